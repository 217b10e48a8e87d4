"""The search interface the rest of the site uses: index, remove, query, rebuild (and status).

Two engines sit behind it. PostgreSQL (kb.search.pg_engine) when the database is PostgreSQL:
``index``/``remove`` write the document's search entry in the caller's transaction, so every
app node sees a publish at once. Whoosh (kb.search.store, kb.search.whoosh_engine) otherwise,
the embedded default for SQLite: ``index``/``remove`` write an outbox row in the caller's
transaction and each node's index catches up after the commit (kb.search.hooks) or at the next
query. ``SEARCH_ENGINE`` = whoosh / postgres overrides the choice.
"""

from __future__ import annotations

import functools
import logging
import math
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import current_app
from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.extensions import db
from kb.models import Document
from kb.search import pg_engine, store, whoosh_engine
from kb.search.documents import load_displayable
from kb.search.models import SearchOutbox
from kb.search.plan import Plan, make_plan
from kb.search.query import mark, snippet
from kb.search.synonyms import synonym_groups

log = logging.getLogger(__name__)
FILTER_FIELDS = ("kind", "position", "department", "validity")
MAX_PAGE = 50


class SearchUnavailable(Exception):
    """The index cannot be opened or rebuilt right now; the page says so instead of failing."""


@dataclass
class Hit:
    document: Document
    title: Markup
    snippet: Markup
    score: float
    partial: bool = False


@dataclass
class SearchPage:
    """One page of results, shaped like Flask-SQLAlchemy's pagination for the ``pager`` macro."""

    text: str
    hits: list[Hit]
    total: int
    page: int
    per_page: int
    words: tuple[str, ...] = field(default=())
    exact: bool = True
    labels: tuple[str, ...] = field(default=())
    full_total: int = 0

    @property
    def only_partial(self) -> bool:
        """No document holds every word: the page says so above the partial matches."""
        return len(self.labels) > 1 and self.full_total == 0 and bool(self.hits)

    @property
    def missing_words_notice(self) -> str:
        quoted = "".join(f"“{label}”" for label in self.labels)
        return f"未找到同时包含{quoted}的文档，以下结果包含部分关键词"

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    has_prev = property(lambda self: self.page > 1)
    has_next = property(lambda self: self.page < self.pages)
    prev_num = property(lambda self: self.page - 1)
    next_num = property(lambda self: self.page + 1)


def in_database() -> bool:
    """Whether this app searches with the PostgreSQL engine (``SEARCH_ENGINE``, else the database)."""
    choice = current_app.config.get("SEARCH_ENGINE") or "auto"
    if choice == "auto":
        return db.engine.dialect.name == "postgresql"
    return choice == "postgres"


def engine_name() -> str:
    return "postgres" if in_database() else "whoosh"


def _mark_pending() -> None:
    db.session.info["search_pending"] = True


def index(document: Document) -> None:
    """Make the document searchable as part of the caller's transaction (PostgreSQL: at once)."""
    if in_database():
        pg_engine.index(document)
        return
    db.session.add(SearchOutbox(document_id=document.id, op="index"))
    _mark_pending()


def remove(document: Document) -> None:
    """Take the document out of search as part of the caller's transaction."""
    if in_database():
        pg_engine.remove(document)
        return
    db.session.add(SearchOutbox(document_id=document.id, op="delete"))
    _mark_pending()


def rebuild(progress: Callable[[int, int], None] | None = None) -> int | None:
    """Rebuild the whole index from the database (Whoosh: into a new directory, swapped in)."""
    if in_database():
        with Session(db.engine) as session:
            return pg_engine.rebuild(session, progress)
    return store.rebuild(progress)


def catch_up(wait: float = 0.0) -> int | None:
    """Apply pending outbox rows now (None if another indexer is busy; nothing to do on PostgreSQL)."""
    if in_database():
        return 0
    return store.catch_up(wait)


def _ready() -> None:
    """Catch up, rebuilding first if the index is missing or corrupt."""
    try:
        store.catch_up(wait=0.0)
    except (store.IndexMissing, store.IndexCorrupt) as error:
        log.warning("search index needs a rebuild: %s", error)
        store.forget_searcher()
        store.repair()


@functools.lru_cache(maxsize=512)
def _plan(text: str, groups: tuple[tuple[str, ...], ...]) -> Plan:
    return make_plan(text, [list(g) for g in groups])


def _run(text: str, filters: dict[str, str | None], page: int, per_page: int) -> SearchPage:
    plan = _plan(text, tuple(tuple(group) for group in synonym_groups()))
    ranked = (pg_engine if in_database() else whoosh_engine).search(plan, filters, page, per_page)
    window = ranked.found[(page - 1) * per_page:page * per_page]
    documents = load_displayable(f.document_id for f in window)
    hits = [Hit(documents[f.document_id], mark(documents[f.document_id].published_revision.title, plan.marks),
                snippet(f.body, plan.marks), f.score, f.partial)
            for f in window if f.document_id in documents]
    return SearchPage(text, hits, ranked.total, page, per_page, plan.marks, ranked.exact, plan.labels,
                      ranked.full_total)


def query(text: str, *, kind: str | None = None, position: str | None = None, department: str | None = None,
          validity: str | None = None, page: int = 1, per_page: int = 10) -> SearchPage:
    """Published, non-archived documents matching ``text``, best first. Raises SearchUnavailable."""
    filters = {"kind": kind, "position": position, "department": department, "validity": validity}
    page = min(max(1, page), MAX_PAGE)
    if not text.strip():
        return SearchPage(text, [], 0, page, per_page)
    if in_database():
        try:
            return _run(text, filters, page, per_page)
        except Exception as error:  # noqa: BLE001  (the page says search is unavailable)
            log.exception("search failed")
            raise SearchUnavailable(str(error)) from error
    for attempt in (1, 2):
        try:
            _ready()
            return _run(text, filters, page, per_page)
        except Exception as error:  # noqa: BLE001  (any failure of the derived index)
            log.exception("search failed (attempt %s)", attempt)
            store.forget_searcher()
            if attempt == 2:
                raise SearchUnavailable(str(error)) from error
            try:
                store.repair()
            except Exception as repair_error:  # noqa: BLE001
                raise SearchUnavailable(str(repair_error)) from repair_error
    raise SearchUnavailable("unreachable")


def _database_status() -> dict[str, object]:
    searchable = db.session.scalar(select(func.count(Document.id)).where(
        Document.published_revision_id.is_not(None), Document.archived.is_(False)))
    return {"engine": "postgres", "published_documents": searchable,
            "indexed_documents": pg_engine.indexed_count(), "behind": 0}


def status() -> dict[str, object]:
    """Where the index is, what it holds and how far behind the outbox it is."""
    if in_database():
        return _database_status()
    root = store.index_root()
    info: dict[str, object] = {"directory": str(root)}
    latest = db.session.scalar(select(func.coalesce(func.max(SearchOutbox.sequence), 0)))
    searchable = db.session.scalar(select(func.count(Document.id)).where(
        Document.published_revision_id.is_not(None), Document.archived.is_(False)))
    info |= {"outbox_sequence": latest, "published_documents": searchable}
    try:
        generation, ix = store.open_generation(root)
        with ix.searcher() as searcher:
            info["indexed_documents"] = searcher.doc_count()
        ix.close()
        state = store.read_state(generation)
        info |= {"generation": generation.name, "indexed_sequence": state.sequence,
                 "behind": max(0, (latest or 0) - state.sequence)}
    except (store.IndexMissing, store.IndexCorrupt) as error:
        info["error"] = str(error)
    return info
