"""What a user typed, understood once for every engine: word groups, alternatives, phrases, pinyin.

``叉车 饮酒`` is two groups (a document holding both ranks first, one holding either still shows);
``叉车 OR 铲车`` is one group of two alternatives; ``"动火作业票"`` is a phrase; a lone Chinese
character split off by a stray space (``剪板 机``) joins its neighbour; an all-lowercase query is
also looked up as pinyin. Each alternative is expanded with the synonym list and, for accident
types, GB 6441-1986's names with GB 6441-2025's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import jieba

from kb.search.analysis import STOP_WORDS, init_jieba
from kb.search.facts import accident_variants
from kb.search.pinyin import is_pinyin_query
from kb.search.synonyms import expand

_QUOTED = re.compile(r"[\"“”「」『』]([^\"“”「」『』]+)[\"“”「」『』]")
_SEPARATORS = re.compile(r"[\s,，;；、。!！?？()（）《》<>\[\]【】:：]+")
_OR = frozenset({"OR", "|", "｜", "或者"})
_HAN = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$")
MAX_TERMS = 8
MAX_VARIANTS = 12


@dataclass(frozen=True)
class Group:
    """One thing the user asked for: any of its variants (alternatives, synonyms) satisfies it."""

    label: str
    variants: tuple[str, ...]


@dataclass(frozen=True)
class Plan:
    groups: tuple[Group, ...] = ()
    phrases: tuple[str, ...] = ()
    pinyin: str | None = None
    marks: tuple[str, ...] = field(default=())

    @property
    def empty(self) -> bool:
        return not self.groups and not self.phrases and not self.pinyin

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(g.label for g in self.groups) + self.phrases


def words(term: str) -> list[str]:
    """jieba's words of a term, lower-cased, without stop words and punctuation."""
    init_jieba()
    found = (w.strip().lower() for w in jieba.cut(term, HMM=False))
    return list(dict.fromkeys(w for w in found if w and re.search(r"\w", w) and w not in STOP_WORDS))


def _join_split_words(tokens: list[str]) -> list[str]:
    """Glue a lone Chinese character to the Chinese token before (or after) it: an IME slip."""
    out: list[str] = []
    for token in tokens:
        lone = len(token) == 1 and _HAN.match(token)
        if out and _HAN.match(out[-1]) and _HAN.match(token) and (lone or len(out[-1]) == 1):
            out[-1] += token
        else:
            out.append(token)
    return out


def _alternatives(tokens: list[str]) -> list[list[str]]:
    """Tokens split into groups at OR: ``A OR B C`` → [[A, B], [C]]."""
    groups: list[list[str]] = []
    joining = False
    for token in tokens:
        if token.upper() in _OR:
            joining = bool(groups)
            continue
        if joining:
            groups[-1].append(token)
        else:
            groups.append([token])
        joining = False
    return groups


def _variants(alternatives: list[str], synonyms: list[list[str]]) -> tuple[str, ...]:
    found: list[str] = []
    for term in alternatives:
        for variant in expand(term, synonyms) + accident_variants(term):
            if variant not in found:
                found.append(variant)
    return tuple(found[:MAX_VARIANTS])


def make_plan(text: str, synonyms: list[list[str]]) -> Plan:
    """The plan for a query string and a synonym list."""
    phrases = tuple(dict.fromkeys(p.strip() for p in _QUOTED.findall(text) if p.strip()))[:MAX_TERMS]
    tokens = [t for t in _SEPARATORS.split(_QUOTED.sub(" ", text)) if t]
    groups = []
    for alternatives in _alternatives(_join_split_words(tokens))[:MAX_TERMS]:
        groups.append(Group(" 或 ".join(alternatives), _variants(alternatives, synonyms)))
    compact = text.strip()
    pinyin = compact if is_pinyin_query(compact) else None
    marks = [v for g in groups for v in g.variants] + list(phrases)
    marks += [w for g in groups for v in g.variants for w in words(v) if len(w) > 1]
    ordered = tuple(sorted(dict.fromkeys(m for m in marks if m), key=len, reverse=True))
    return Plan(tuple(groups), phrases, pinyin, ordered)
