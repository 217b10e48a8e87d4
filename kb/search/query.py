"""Turning what a user typed into a Whoosh query, and highlighting hits in stored text.

Each whitespace-separated term must match (AND); a term matches by its jieba words (all of them,
anywhere) OR by all of its CJK bigrams, so recall does not depend on how jieba cut the words.
Synonyms OR the variants of a term; an all-lowercase query also looks up pinyin keys; a quoted
phrase matches its bigrams at consecutive positions (costly, so only when the user quotes).
"""

from __future__ import annotations

import functools
import re

import jieba
from markupsafe import Markup, escape
from whoosh.query import And, NullQuery, Or, Phrase, Query, Term

from kb.search.analysis import STOP_WORDS, bigrams, init_jieba
from kb.search.pinyin import is_pinyin_query
from kb.search.synonyms import expand

WORD_FIELDS = ("title", "tags", "body")
BIGRAM_FIELDS = ("title_bigram", "doc_number", "body_bigram")
_QUOTED = re.compile(r"[\"“”「」『』]([^\"“”「」『』]+)[\"“”「」『』]")
_SEPARATORS = re.compile(r"[\s,，;；、。!！?？()（）《》<>\[\]【】:：]+")
MAX_TERMS = 8


def split_query(text: str) -> tuple[list[str], list[str]]:
    """(terms, quoted phrases) of a query, each at most MAX_TERMS."""
    phrases = [p.strip() for p in _QUOTED.findall(text) if p.strip()]
    rest = _QUOTED.sub(" ", text)
    terms = [t for t in _SEPARATORS.split(rest) if t]
    return list(dict.fromkeys(terms))[:MAX_TERMS], phrases[:MAX_TERMS]


def _words(term: str) -> list[str]:
    init_jieba()
    words = (w.strip().lower() for w in jieba.cut(term))
    return list(dict.fromkeys(w for w in words if w and re.search(r"\w", w) and w not in STOP_WORDS))


class TreeOr(Or):
    """Or as a binary tree of union matchers (Whoosh's choice for small indexes preloads whole posting lists)."""

    matcher_type = Or.DEFAULT_MATCHER


def _or(queries: list[Query]) -> Query:
    return TreeOr(queries) if len(queries) > 1 else queries[0]


def _any_field(fields: tuple[str, ...], text: str) -> Query:
    return _or([Term(field, text) for field in fields])


def term_query(term: str) -> Query:
    """One term: all its jieba words, or all its bigrams (or ASCII runs)."""
    words = _words(term)
    grams = list(dict.fromkeys(t for t, *_ in bigrams(term)))
    options: list[Query] = []
    if words and not (len(grams) == 1 and words == grams):
        # (a single bigram or ASCII run is matched by its bigram field alone: same recall, half the work)
        options.append(And([_any_field(WORD_FIELDS, w) for w in words]))
    if grams and any(len(g) > 1 for g in grams):
        options.append(And([_any_field(BIGRAM_FIELDS, g) for g in grams]))
    return _or(options) if options else NullQuery


def phrase_query(phrase: str) -> Query:
    grams = [t for t, *_ in bigrams(phrase)]
    if len(grams) < 2:
        return term_query(phrase)
    return _or([Phrase("title_bigram", grams), Phrase("body_bigram", grams), Phrase("doc_number", grams)])


@functools.lru_cache(maxsize=512)
def compile_query(text: str, groups: tuple[tuple[str, ...], ...]) -> tuple[Query, tuple[str, ...]]:
    """(the Whoosh query, words worth highlighting) for a query string and synonym groups."""
    terms, phrases = split_query(text)
    group_lists = [list(g) for g in groups]
    clauses: list[Query] = []
    marks: list[str] = []
    for term in terms:
        variants = expand(term, group_lists)
        clauses.append(_or([term_query(v) for v in variants]))
        marks += variants + [w for v in variants for w in _words(v) if len(w) > 1]
    for phrase in phrases:
        clauses.append(phrase_query(phrase))
        marks.append(phrase)
    if not clauses:
        return NullQuery, ()
    query = And(clauses) if len(clauses) > 1 else clauses[0]
    compact = text.strip()
    if is_pinyin_query(compact):
        query = _or([Term("pinyin", compact), query])
    ordered = sorted(dict.fromkeys(m for m in marks if m), key=len, reverse=True)
    return query.normalize(), tuple(ordered)


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
