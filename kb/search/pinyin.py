"""Pinyin keys for titles and tags: initials and full pinyin of every run of word units up to 8 characters.

``dhzy`` and ``donghuozuoye`` find 动火作业; ``yxkj`` finds 有限空间 inside 有限空间作业 (word units
are jieba's words and sub-words). Characters with two common readings get both (行车 → xingche,
hangche), capped so a run cannot explode into many keys.
"""

from __future__ import annotations

import itertools
import re

from pypinyin import lazy_pinyin

from kb.search.analysis import jieba_words

_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
PINYIN_QUERY = re.compile(r"^[a-z]{2,40}$")
MAX_RUN = 8  # characters
MAX_VARIANTS = 4
# Characters whose second reading is common in safety texts.
HETERONYMS = {"行": ("xing", "hang"), "重": ("zhong", "chong"), "长": ("chang", "zhang"), "调": ("tiao", "diao"),
              "冲": ("chong", "chong"), "差": ("cha", "chai"), "卡": ("ka", "qia"), "处": ("chu", "chu"),
              "空": ("kong", "kong"), "载": ("zai", "zai"), "种": ("zhong", "zhong"), "降": ("jiang", "xiang")}


def _variants(text: str, syllables: list[str]) -> list[list[str]]:
    """The phrase-aware reading first, then readings with the other sound of a heteronym."""
    options = [sorted({s, *HETERONYMS.get(c, ())}, key=lambda x: x != s) for c, s in zip(text, syllables,
                                                                                         strict=True)]
    return [list(combo) for combo in itertools.islice(itertools.product(*options), MAX_VARIANTS)]


def _run_keys(run: str) -> set[str]:
    syllables = lazy_pinyin(run)
    if len(syllables) != len(run):
        return set()
    cuts = {0, len(run)}
    for _word, _pos, start, end in jieba_words(run):
        cuts.update((start, end))
    bounds = sorted(cuts)
    keys: set[str] = set()
    variants = _variants(run, syllables)
    for i, start in enumerate(bounds):
        for end in (b for b in bounds[i + 1:] if b - start <= MAX_RUN):
            for reading in variants:
                piece = reading[start:end]
                keys.add("".join(piece))
                keys.add("".join(s[0] for s in piece))
    for reading in variants:  # the whole run, however long
        keys.update(("".join(reading), "".join(s[0] for s in reading)))
    return keys


def pinyin_keys(*texts: str) -> set[str]:
    """All initials and full-pinyin keys for each Chinese run of the texts."""
    keys: set[str] = set()
    for text in texts:
        for run in _HAN_RUN.findall(text or ""):
            keys |= _run_keys(run)
    return {k for k in keys if len(k) >= 2}


def is_pinyin_query(text: str) -> bool:
    """Only an all-lowercase-letters query is worth looking up as pinyin."""
    return bool(PINYIN_QUERY.match(text))
