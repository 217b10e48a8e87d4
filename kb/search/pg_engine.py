"""The PostgreSQL engine: search inside the database, so every app node sees a publish at once.

Each published document has a row in ``search_entries`` written in the publishing transaction:
the same tokens the Whoosh analyzers make (jieba words, CJK bigrams, ASCII runs, pinyin keys),
stored as a ``tsvector`` literal with field weights (A title and document number, B facts, tags
and pinyin, D body) under a GIN index. Lexemes are written and queried verbatim (cast from a
literal, no text-search configuration), so the database's locale never changes a token.

A query group matches by all its jieba words or all its bigrams, as with Whoosh; documents are
ordered by how many groups they match, then ``ts_rank`` with the field weights, repealed and
superseded editions scored down. Quoted phrases are checked against the stored text.

Common words match thousands of rows, so the work per match is kept small: matching and counting
come from the GIN index alone (no body vector is read), every match is ranked roughly by the small
``title_vector``, and only the best few hundred are ranked exactly against the whole vector.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, cast, delete, func, select, text
from sqlalchemy.dialects.postgresql import TSVECTOR, insert
from sqlalchemy.orm import Session

from core.extensions import db
from kb.models import Document
from kb.search.analysis import STOP_WORDS, bigrams, jieba_words
from kb.search.documents import index_fields, load_searchable, searchable_ids
from kb.search.facts import DEMOTE, DEMOTED_VALIDITIES, accident_variants
from kb.search.models import SearchEntry
from kb.search.pinyin import pinyin_keys
from kb.search.plan import Plan, words
from kb.search.whoosh_engine import Found, Ranked

MAX_POSITION = 16383
MAX_POSITIONS_PER_LEXEME = 255
MAX_LEXEME = 200
BATCH = 200
WEIGHTS = "{0.1, 0.2, 0.5, 1.0}"  # D, C, B, A
# (index_fields key, weight, analyzers): jieba words and/or bigrams.
FIELDS = (("title", "A", True, True), ("doc_number", "A", False, True), ("facts", "B", True, True),
          ("body", "D", True, True))  # facts hold the tags
TITLE_FIELDS = FIELDS[:2]  # the small vector every match is roughly ranked by
PINYIN_PREFIX = "py:"
SYNONYM_WEIGHT = 0.9
CANDIDATES = 200  # matches ranked exactly beyond the page (the rest by a rough rank)


def _quote(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _tokens(value: str, jieba: bool, grams: bool) -> Iterator[tuple[str, int]]:
    """(lexeme, character offset) from the same analyzers Whoosh uses."""
    if jieba:
        for word, _pos, start, _end in jieba_words(value):
            yield word.lower(), start
    if grams:
        for gram, _pos, start, _end in bigrams(value):
            yield gram, start


def vector_literal(fields: dict[str, Any], parts: tuple = FIELDS, pinyin: bool = True) -> str:
    """A tsvector literal: every lexeme with its positions and weights (the first field wins a clash)."""
    positions: dict[str, dict[int, str]] = {}
    base = 0
    for key, weight, jieba, grams in FIELDS:
        value = str(fields.get(key) or "")
        for lexeme, start in _tokens(value, jieba, grams) if (key, weight, jieba, grams) in parts else ():
            if lexeme in STOP_WORDS or not lexeme:
                continue
            slots = positions.setdefault(lexeme[:MAX_LEXEME], {})
            if len(slots) < MAX_POSITIONS_PER_LEXEME:
                slots.setdefault(min(MAX_POSITION, base + start + 1), weight)
        base += len(value) + 1
    title_keys = pinyin_keys(str(fields.get("title") or "")) if pinyin else set()
    for key in str(fields.get("pinyin") or "").split() if pinyin else ():
        positions.setdefault(PINYIN_PREFIX + key, {}).setdefault(1, "A" if key in title_keys else "B")
    return " ".join(_quote(lexeme) + ":" + ",".join(f"{p}{w}" for p, w in sorted(slots.items()))
                    for lexeme, slots in positions.items())


def _entry_values(document: Document) -> dict[str, Any]:
    fields = index_fields(document)
    return {"document_id": document.id, "kind": fields["kind"], "department": fields["department"],
            "validity": fields["validity"], "positions": f",{fields['positions']},",
            "demoted": fields["validity"] in DEMOTED_VALIDITIES, "title": fields["title"][:200],
            "body": fields["body"], "vector": cast(vector_literal(fields), TSVECTOR),
            "title_vector": cast(vector_literal(fields, TITLE_FIELDS, pinyin=False), TSVECTOR)}


def _upsert(session: Session, documents: Iterable[Document]) -> None:
    rows = [_entry_values(d) for d in documents]
    if not rows:
        return
    for row in rows:  # one statement per row: each vector is its own cast expression
        statement = insert(SearchEntry).values(**row)
        session.execute(statement.on_conflict_do_update(
            index_elements=[SearchEntry.document_id],
            set_={k: statement.excluded[k] for k in row if k != "document_id"} | {"updated_at": func.now()}))


def index(document: Document) -> None:
    """Write the document's entry in the caller's transaction (it commits with the publish)."""
    if document.published_revision is None or document.archived:
        remove(document)
        return
    db.session.flush()
    _upsert(db.session, [document])


def remove(document: Document) -> None:
    db.session.execute(delete(SearchEntry).where(SearchEntry.document_id == document.id))


def rebuild(session: Session, progress: Callable[[int, int], None] | None = None) -> int:
    """Rewrite every entry from the database in one transaction (readers see the old ones until commit)."""
    ids = searchable_ids(session)
    session.execute(delete(SearchEntry))
    for offset in range(0, len(ids), BATCH):
        chunk = ids[offset:offset + BATCH]
        documents = load_searchable(chunk, session)
        _upsert(session, [documents[i] for i in chunk if i in documents])
        session.expunge_all()
        if progress:
            progress(min(offset + BATCH, len(ids)), len(ids))
    session.commit()
    # New entries wait in the GIN index's pending list, which every query reads in full: merge them
    # into the index now. And fresh statistics, or the planner misjudges how many rows match.
    session.execute(text("SELECT gin_clean_pending_list('ix_search_entries_vector')"))
    session.execute(text("ANALYZE search_entries"))
    session.commit()
    return len(ids)


def indexed_count() -> int:
    return db.session.scalar(select(func.count()).select_from(SearchEntry)) or 0


# -- queries -------------------------------------------------------------------------------------

def _all(lexemes: list[str]) -> str:
    quoted = [_quote(x) for x in dict.fromkeys(lexemes)]
    return quoted[0] if len(quoted) == 1 else "(" + " & ".join(quoted) + ")"


def _any(parts: list[str]) -> str:
    parts = list(dict.fromkeys(p for p in parts if p))
    return parts[0] if len(parts) == 1 else "(" + " | ".join(parts) + ")" if parts else ""


def _term_options(term: str) -> list[str]:
    """A term's alternatives: all its jieba words, all its bigrams (kb.search.query.term_query's rule)."""
    found = [w for w in words(term) if w not in STOP_WORDS]
    grams = list(dict.fromkeys(g for g, *_ in bigrams(term) if g not in STOP_WORDS))
    options = []
    if found and not (len(grams) == 1 and found == grams):
        options.append(_all(found))
    if grams and any(len(g) > 1 for g in grams):
        options.append(_all(grams))
    return options


def term_tsquery(term: str) -> str:
    """What a term matches: all its jieba words, or all its bigrams."""
    return _any(_term_options(term))


@dataclass
class _Group:
    """A plan group in SQL: what matches it, the phrase to find in the stored text, what ranks it."""

    match: str
    phrase: str | None
    rank: list[tuple[str, float, int]]  # (tsquery, weight, ts_rank normalisation): synonyms weigh less


def _group(variants: tuple[str, ...], pinyin: str | None = None) -> _Group:
    same = {variants[0], *accident_variants(variants[0])} if variants else set()
    ranked = [(term_tsquery(v), 1.0 if v in same else SYNONYM_WEIGHT, 1) for v in variants]
    if pinyin:  # a title key: not scaled by the document's length (shorter titles win the tie)
        ranked.insert(0, (_quote(PINYIN_PREFIX + pinyin), 1.0, 0))
    ranked = [r for r in ranked if r[0]]
    return _Group(_any([r[0] for r in ranked]), None, ranked)


def _groups(plan: Plan) -> list[_Group]:
    found = [_group(g.variants, plan.pinyin if n == 0 else None) for n, g in enumerate(plan.groups)]
    for phrase in plan.phrases:
        query = _all([g for g, *_ in bigrams(phrase)] or [phrase.lower()])
        found.append(_Group(query, phrase.lower(), [(query, 1.0, 1)]))
    if plan.pinyin and not plan.groups:
        found.append(_group((), plan.pinyin))
    return [g for g in found if g.match]


def _where(filters: dict[str, str | None], params: dict[str, Any]) -> str:
    clauses = []
    for key in ("kind", "department", "validity"):
        if filters.get(key):
            clauses.append(f"{key} = :f_{key}")
            params[f"f_{key}"] = str(filters[key])
    if filters.get("position"):
        clauses.append("positions LIKE :f_position")
        params["f_position"] = f"%,{filters['position']},%"
    return "".join(f" AND {c}" for c in clauses)


def _test(n: int, group: _Group, params: dict[str, Any]) -> str:
    """The group's match, answered by the GIN index alone (a quoted phrase also reads the stored text)."""
    params[f"q{n}"] = group.match
    test = f"vector @@ CAST(:q{n} AS tsquery)"
    if group.phrase:
        params[f"p{n}"] = group.phrase
        test += f" AND strpos(lower(title || ' ' || body), :p{n}) > 0"
    return test


def _rank(n: int, group: _Group, params: dict[str, Any]) -> str:
    """The group's exact rank: its best variant against the whole weighted vector."""
    best = []
    for m, (query, weight, normalisation) in enumerate(group.rank):
        params[f"r{n}_{m}"] = query
        best.append(f"{weight} * ts_rank(CAST(:weights AS real[]), e.vector, CAST(:r{n}_{m} AS tsquery), "
                    f"{normalisation})")
    return f"GREATEST({', '.join(best)})"


def _found(groups: list[_Group], filters: dict[str, str | None], params: dict[str, Any]) -> str:
    """Every match with the groups it matches and a rough rank by the small title vector only."""
    where = _where(filters, params)
    rough = "ts_rank(CAST(:weights AS real[]), title_vector, CAST(:qany AS tsquery), 1)"
    scans = [f"SELECT document_id, {rough} AS rough, length(title) AS title_length FROM search_entries "
             f"WHERE {_test(n, group, params)}{where}" for n, group in enumerate(groups)]
    if len(scans) == 1:
        return scans[0].replace("SELECT document_id,", "SELECT document_id, 1 AS matched,", 1)
    return (f"SELECT document_id, count(*) AS matched, max(rough) AS rough, max(title_length) AS title_length "
            f"FROM ({' UNION ALL '.join(scans)}) AS hits GROUP BY document_id")


def _sql(groups: list[_Group], filters: dict[str, str | None]) -> tuple[str, dict[str, Any]]:
    params: dict[str, Any] = {"demote": DEMOTE, "weights": WEIGHTS, "groups": len(groups),
                              "qany": _any([g.match for g in groups])}
    found = _found(groups, filters, params)
    ranks = " + ".join(_rank(n, group, params) for n, group in enumerate(groups))
    # Matching, counting and the rough rank never read a body vector (GIN index, title vector); the
    # exact rank (best variant per group, whole vector) and the stored text only the best CANDIDATES.
    sql = f"""
        WITH found AS MATERIALIZED ({found}),
        candidates AS (
            SELECT document_id, matched FROM found
            ORDER BY matched DESC, rough DESC, title_length, document_id LIMIT :candidates
        )
        SELECT c.document_id, e.body, c.matched, (SELECT count(*) FROM found) AS total,
               (SELECT count(*) FROM found WHERE matched = :groups) AS full_total,
               ({ranks}) * CASE WHEN e.demoted THEN :demote ELSE 1 END AS score
        FROM candidates AS c JOIN search_entries AS e ON e.document_id = c.document_id
        ORDER BY c.matched DESC, score DESC, length(e.title), c.document_id
        LIMIT :limit"""
    return sql, params


def search(plan: Plan, filters: dict[str, str | None], page: int, per_page: int) -> Ranked:
    """Rank the plan's matches in the database; enough of them for ``page``."""
    groups = _groups(plan)
    if not groups:
        return Ranked([], 0, True, 0)
    sql, params = _sql(groups, filters)
    limit = page * per_page
    # The planner prices `vector @@` as cheap and scans the table when a query matches a large share
    # of it, reading every body vector; the GIN index answers the same without reading one.
    # (An error aborts the transaction, and the setting with it.)
    db.session.execute(text("SET LOCAL enable_seqscan = off"))
    rows = db.session.execute(text(sql).bindparams(bindparam("limit")),
                              params | {"limit": limit, "candidates": limit + CANDIDATES}).all()
    db.session.execute(text("SET LOCAL enable_seqscan TO DEFAULT"))
    found = [Found(r.document_id, r.body, float(r.score), r.matched < len(groups), r.matched) for r in rows]
    total = rows[0].total if rows else 0
    full_total = rows[0].full_total if rows else 0
    return Ranked(found, total, True, full_total)


