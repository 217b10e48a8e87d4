"""The embedded engine (Whoosh files under the instance folder): ranking in tiers.

Documents matching every group of the query come first, ranked by BM25F with field boosts; if
they do not fill the page, documents matching some groups follow, most groups first. Within the
window read, repealed and superseded documents are scored down (``facts.DEMOTE``).
"""

from __future__ import annotations

from dataclasses import dataclass

from whoosh.query import And, AndNot, Or, Query, Term

from kb.search import store
from kb.search.facts import DEMOTE, DEMOTED_VALIDITIES
from kb.search.plan import Plan
from kb.search.query import clauses, phrase_query

EXACT_COUNT_LIMIT = 100
RERANK_EXTRA = 20


@dataclass
class Found:
    """One ranked document as the engine returns it (the page reads the document itself)."""

    document_id: int
    body: str  # stored plain text, for the snippet (Whoosh: read only for the page shown)
    score: float
    partial: bool = False
    matched: int = 0
    docnum: int = -1


@dataclass
class Ranked:
    found: list[Found]
    total: int
    exact: bool
    full_total: int


def _filter(filters: dict[str, str | None]) -> Query | None:
    terms = [Term("positions" if key == "position" else key, str(value))
             for key, value in filters.items() if value]
    return And(terms) if terms else None


def _phrase_filter(searcher, plan: Plan, flt: Query | None) -> set[int] | Query | None:
    """Documents whose stored title, number or body holds every quoted phrase (within ``flt``)."""
    if not plan.phrases:
        return flt
    candidates = searcher.docs_for_query(And([phrase_query(p) for p in plan.phrases] + ([flt] if flt else [])))
    keep = set()
    for docnum in candidates:
        stored = searcher.stored_fields(docnum)
        text = " ".join(str(stored.get(k, "")) for k in ("title", "doc_number", "body")).lower()
        if all(p.lower() in text for p in plan.phrases):
            keep.add(docnum)
    return keep


def _count(results, limit: int) -> tuple[int, bool]:
    """Whoosh's estimate is an upper bound (it said 83 where 24 matched): count for real while
    it is small; past that, counting costs hundreds of ms and the page says 约."""
    scored = results.scored_length()
    if scored < limit:
        return scored, True
    if results.estimated_length() <= EXACT_COUNT_LIMIT:
        return len(results), True
    return results.estimated_length(), False


def _ranked(searcher, results, partial: bool, matched: int) -> list[Found]:
    """Hits with repealed and superseded editions scored down (validity read from its column)."""
    if not results.scored_length():
        return []  # (an empty index's reader has no columns at all)
    reader = searcher.reader()
    ids, validity = reader.column_reader("id"), reader.column_reader("validity")
    found = []
    for hit in results:
        demote = DEMOTE if validity[hit.docnum] in DEMOTED_VALIDITIES else 1.0
        found.append(Found(int(ids[hit.docnum]), "", hit.score * demote, partial, matched, hit.docnum))
    return found


def _matched_counts(searcher, parts: list[Query], docnums: list[int]) -> dict[int, int]:
    """How many of the query's groups each document matches (walks each group's matcher once)."""
    counts = dict.fromkeys(docnums, 0)
    ordered = sorted(docnums)
    for part in parts:
        matcher = part.matcher(searcher)
        for docnum in ordered:
            if not matcher.is_active():
                break
            if matcher.id() < docnum:
                matcher.skip_to(docnum)
            if matcher.is_active() and matcher.id() == docnum:
                counts[docnum] += 1
    return counts


def _partial(searcher, parts: list[Query], full: Query | None, flt, limit: int) -> tuple[list[Found], int, bool]:
    """Documents matching some groups but not all (``full`` None: no document matches all)."""
    some = Or(parts) if full is None else AndNot(Or(parts), full)
    results = searcher.search(some, filter=flt, limit=limit, terms=False)
    found = _ranked(searcher, results, True, 1)
    if len(parts) > 2:  # with two groups, a partial match holds exactly one
        counts = _matched_counts(searcher, parts, [hit.docnum for hit in results])
        for hit, item in zip(results, found, strict=True):
            item.matched = counts.get(hit.docnum, 1)
    found.sort(key=lambda f: (-f.matched, -f.score))
    total, exact = _count(results, limit)
    return found, total, exact


def search(plan: Plan, filters: dict[str, str | None], page: int, per_page: int) -> Ranked:
    """Rank the plan's matches; enough of them for ``page``."""
    parts = clauses(plan)
    if not parts:
        return Ranked([], 0, True, 0)
    need = page * per_page
    searcher = store.searcher()
    flt = _phrase_filter(searcher, plan, _filter(filters))
    if flt is not None and not isinstance(flt, Query) and not flt:
        return Ranked([], 0, True, 0)  # (Whoosh reads an empty set as "no filter")
    full = And(parts) if len(parts) > 1 else parts[0]
    results = searcher.search(full, filter=flt, limit=need + RERANK_EXTRA, terms=False)
    found = sorted(_ranked(searcher, results, False, len(parts)), key=lambda f: -f.score)
    total, exact = _count(results, need + RERANK_EXTRA)
    if len(parts) == 1 or total >= need:
        return _with_bodies(searcher, Ranked(found, total, exact, total), page, per_page)
    more, partial_total, partial_exact = _partial(searcher, parts, full if total else None, flt,
                                                  need - len(found) + RERANK_EXTRA)
    ranked = Ranked(found + more, total + partial_total, exact and partial_exact, total)
    return _with_bodies(searcher, ranked, page, per_page)


def _with_bodies(searcher, ranked: Ranked, page: int, per_page: int) -> Ranked:
    """Read the stored text of the page's hits only (stored fields are the costly part of a hit)."""
    for item in ranked.found[(page - 1) * per_page:page * per_page]:
        item.body = searcher.stored_fields(item.docnum).get("body", "")
    return ranked
