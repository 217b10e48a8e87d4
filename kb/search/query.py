"""Turning a search plan (kb.search.plan) into Whoosh queries, and highlighting hits in stored text.

A word of the query matches by its jieba words (all of them, anywhere) OR by all of its CJK
bigrams, so recall does not depend on how jieba cut the words. Each plan group is one clause (its
variants ORed); the engine ranks documents matching every clause above those matching some.
A quoted phrase matches its bigrams; the engine then keeps the documents whose stored text holds it.
"""

from __future__ import annotations

import functools
import re

from markupsafe import Markup, escape
from whoosh.query import And, NullQuery, Or, Query, Term

from kb.search.analysis import bigrams
from kb.search.plan import Plan, words

WORD_FIELDS = ("title", "facts")  # facts hold the tags too
BIGRAM_FIELDS = ("title_bigram", "facts_bigram", "body_bigram")  # title_bigram holds the document number


class TreeOr(Or):
    """Or as a binary tree of union matchers (Whoosh's choice for small indexes preloads whole posting lists)."""

    matcher_type = Or.DEFAULT_MATCHER


def _or(queries: list[Query]) -> Query:
    return TreeOr(queries) if len(queries) > 1 else queries[0]


def _any_field(fields: tuple[str, ...], text: str) -> Query:
    return _or([Term(field, text) for field in fields])


@functools.lru_cache(maxsize=2048)
def term_query(term: str) -> Query:
    """One term: all its bigrams (ASCII runs whole) anywhere; a lone character by its jieba word.

    (Matching a term's jieba words as an alternative found little the bigrams miss and made every
    query tree twice as big: Whoosh builds and sizes each node per segment, per search.)
    """
    grams = list(dict.fromkeys(t for t, *_ in bigrams(term)))
    if grams and any(len(g) > 1 for g in grams):
        return And([_any_field(BIGRAM_FIELDS, g) for g in grams])
    found = words(term)
    return And([_any_field(WORD_FIELDS, w) for w in found]) if found else NullQuery


def phrase_query(phrase: str) -> Query:
    """Every bigram of the phrase somewhere (whoosh_engine keeps only texts holding the phrase itself)."""
    grams = list(dict.fromkeys(t for t, *_ in bigrams(phrase)))
    if not grams:
        return NullQuery
    return And([_any_field(BIGRAM_FIELDS, g) for g in grams])


@functools.lru_cache(maxsize=512)
def clauses(plan: Plan) -> list[Query]:
    """One Whoosh query per plan group and phrase; the pinyin lookup is an alternative of the first."""
    found = [_or([term_query(v) for v in group.variants]).normalize() for group in plan.groups]
    found += [phrase_query(p).normalize() for p in plan.phrases]
    if plan.pinyin:
        pinyin = Term("pinyin", plan.pinyin)
        found = [_or([pinyin, found[0]])] + found[1:] if found else [pinyin]
    return [c for c in found if c is not NullQuery]


def _spans(text: str, words: tuple[str, ...]) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) of the words in text, longest words first, case-insensitive."""
    folded = text.lower()
    taken: list[tuple[int, int]] = []
    for word in words:
        needle = word.lower()
        start = folded.find(needle)
        while start != -1 and needle:
            end = start + len(needle)
            if not any(s < end and start < e for s, e in taken):
                taken.append((start, end))
            start = folded.find(needle, end)
    return sorted(taken)


def mark(text: str, words: tuple[str, ...]) -> Markup:
    """Text escaped, with every hit wrapped in <mark> (the hits are escaped too)."""
    out = Markup("")
    cursor = 0
    for start, end in _spans(text, words):
        out += escape(text[cursor:start]) + Markup("<mark>") + escape(text[start:end]) + Markup("</mark>")
        cursor = end
    return out + escape(text[cursor:])


def snippet(text: str, words: tuple[str, ...], width: int = 120) -> Markup:
    """A window of stored text around the first hit, escaped and marked."""
    text = re.sub(r"\s+", " ", text or "").strip()
    spans = _spans(text, words)
    first = spans[0][0] if spans else 0
    start = max(0, first - width // 4)
    end = min(len(text), start + width)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return escape(prefix) + mark(text[start:end], words) + escape(suffix)
