"""The search interface the rest of the site uses: index, remove, query, rebuild (and status).

Views and services never touch Whoosh; another engine could replace this module's insides.
``index``/``remove`` only write an outbox row in the caller's transaction; the index catches up
after the commit (see kb.search.hooks) or at the next query.
"""

from __future__ import annotations

import functools
import logging
import math
from collections.abc import Callable
from dataclasses import dataclass, field

from markupsafe import Markup
from sqlalchemy import func, select

from core.extensions import db
from kb.models import Document
from kb.search import store, whoosh_engine
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


def _mark_pending() -> None:
    db.session.info["search_pending"] = True


def index(document: Document) -> None:
    """Queue the document for (re)indexing in the caller's transaction."""
    db.session.add(SearchOutbox(document_id=document.id, op="index"))
    _mark_pending()


def remove(document: Document) -> None:
    """Queue the document's removal from the index in the caller's transaction."""
    db.session.add(SearchOutbox(document_id=document.id, op="delete"))
    _mark_pending()


def rebuild(progress: Callable[[int, int], None] | None = None) -> int | None:
    """Rebuild the whole index from the database into a new directory and swap it in."""
    return store.rebuild(progress)


def catch_up(wait: float = 0.0) -> int | None:
    """Apply pending outbox rows now (None if another indexer is busy)."""
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
    ranked = whoosh_engine.search(plan, filters, page, per_page)
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


def status() -> dict[str, object]:
    """Where the index is, what it holds and how far behind the outbox it is."""
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
