"""Analyzers for Chinese search. Whoosh pickles these classes into the index:
NEVER rename or move this module or its classes (an old index would no longer open).

- ``JiebaTokenizer``: jieba's search-mode segmentation (dictionary only, HMM off: 2× faster, and
  the bigram field already finds words jieba does not know) with word positions (sub-words share
  the position of the word they come from, so quoted phrases match consecutive words);
- ``BigramTokenizer``: overlapping CJK character pairs, ASCII letter and digit runs whole,
  so any Chinese substring of two characters or more, ``GB 30871-2022``, ``30871``, ``LOTO``
  and ``SDS`` are all findable whatever jieba made of them.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import jieba
from flask import current_app, has_app_context
from whoosh.analysis import LowercaseFilter, Token, Tokenizer

USER_DICT = Path(__file__).with_name("userdict.txt")
STOP_WORDS = frozenset("的 了 和 与 及 或 在 是 等 对 为 应 由 其 被 将 把 之 并 于 以 中".split())
_WORD = re.compile(r"[\w\u3400-\u9fff]", re.UNICODE)
_RUNS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[A-Za-z]+|[0-9]+")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_ready = threading.Lock()
_loaded = False


def init_jieba(tmp_dir: str | None = None) -> None:
    """Load jieba's dictionary and our safety-term user dictionary once per process."""
    global _loaded
    with _ready:
        if _loaded:
            return
        jieba.setLogLevel(logging.WARNING)
        if tmp_dir is None and has_app_context():
            tmp_dir = current_app.config.get("JIEBA_CACHE_DIR")
        if tmp_dir:
            os.makedirs(tmp_dir, exist_ok=True)
            jieba.dt.tmp_dir = tmp_dir
        jieba.initialize()
        with open(USER_DICT, "rb") as handle:
            jieba.load_userdict(handle)
        _loaded = True


def jieba_words(text: str) -> Iterator[tuple[str, int, int, int]]:
    """(word, position, start, end) in jieba search mode, sub-words at their word's position."""
    init_jieba()
    freq = jieba.dt.FREQ
    position = -1
    for word, start, end in jieba.tokenize(text, mode="default", HMM=False):
        if not _WORD.search(word):
            continue
        position += 1
        width = len(word)
        # jieba's own search mode (Tokenizer.tokenize): known 2- and 3-character sub-words first.
        for size in (2, 3):
            if width > size:
                for i in range(width - size + 1):
                    gram = word[i:i + size]
                    if freq.get(gram):
                        yield gram, position, start + i, start + i + size
        yield word, position, start, end


def bigrams(text: str) -> Iterator[tuple[str, int, int, int]]:
    """(term, position, start, end): CJK character pairs (a lone character alone), ASCII runs whole."""
    position = -1
    for run in _RUNS.finditer(text):
        chars, start = run.group(), run.start()
        if not _CJK.match(chars) or len(chars) == 1:
            position += 1
            yield chars.lower(), position, start, run.end()
            continue
        for i in range(len(chars) - 1):
            position += 1
            yield chars[i:i + 2], position, start + i, start + i + 2


class _PositionalTokenizer(Tokenizer):
    """Shared Whoosh plumbing: turn (text, pos, start, end) tuples into Whoosh tokens."""

    def _terms(self, value: str) -> Iterator[tuple[str, int, int, int]]:
        raise NotImplementedError

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for text, pos, start, end in self._terms(value):
            if removestops and text in STOP_WORDS:
                continue
            token.text = text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = text
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token


class JiebaTokenizer(_PositionalTokenizer):
    def _terms(self, value):
        return jieba_words(value)


class BigramTokenizer(_PositionalTokenizer):
    def _terms(self, value):
        return bigrams(value)


def JiebaAnalyzer():  # noqa: N802  (Whoosh's analyzers are factory functions by convention)
    return JiebaTokenizer() | LowercaseFilter()


def BigramAnalyzer():  # noqa: N802
    return BigramTokenizer()
