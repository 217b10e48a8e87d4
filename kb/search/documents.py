"""What the index holds for one document, read from the database (published revision only)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from core.extensions import db
from kb.models import Document, Revision
from kb.search.facts import facts_text
from kb.search.pinyin import pinyin_keys

# Field keys holding slugs or machine values, not words a reader would search for.
_SKIP_FIELDS = {"replaced_by", "references", "procedure", "hazard_list", "positions", "team", "owner"}
_MARKDOWN = [
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), " "),
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\{:[^}]*\}"), " "),
    (re.compile(r"<[^>]+>"), " "),
    (re.compile(r"^\s{0,3}(#{1,6}|>|[-*+]|\d+\.)\s+", re.M), ""),
    (re.compile(r"[*_`|~]+"), " "),
    (re.compile(r"^\s*:?-{3,}:?.*$", re.M), " "),
    (re.compile(r"[ \t]+"), " "),
    (re.compile(r"\n{2,}"), "\n"),
]


def plain_text(markdown: str) -> str:
    """Markdown reduced to readable text (for indexing and snippets; never rendered as HTML)."""
    text = markdown or ""
    for pattern, replacement in _MARKDOWN:
        text = pattern.sub(replacement, text)
    return text.strip()


def _flatten(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in _SKIP_FIELDS:
                yield from _flatten(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _flatten(item)


def searchable_query():
    """Documents employees may find: a published revision and not archived."""
    return (select(Document)
            .where(Document.published_revision_id.is_not(None), Document.archived.is_(False))
            .options(selectinload(Document.positions), selectinload(Document.owner_department),
                     selectinload(Document.published_revision).selectinload(Revision.hazard_rows)))


def searchable_ids(session: Session) -> list[int]:
    return list(session.scalars(
        select(Document.id).where(Document.published_revision_id.is_not(None), Document.archived.is_(False))
        .order_by(Document.id)))


def index_fields(document: Document) -> dict[str, Any]:
    """The Whoosh fields for a published document."""
    revision = document.published_revision
    assert revision is not None
    fields = revision.fields or {}
    parts = [plain_text(revision.body_md)]
    parts += [plain_text(text) for text in _flatten(fields) if text != fields.get("doc_number")]
    for row in revision.hazard_rows:
        parts.append(" ".join([row.activity, row.hazard, row.accident_type, row.measures, row.responsible]))
    parts.append(" ".join(p.name for p in document.positions))
    tags = [str(t) for t in (document.tags or fields.get("tags") or [])]
    body = "\n".join(p for p in parts if p)
    doc_number = document.doc_number or fields.get("doc_number") or ""
    facts = " ".join(p for p in (facts_text(document, fields, revision.hazard_rows), *tags) if p)
    return {
        "id": str(document.id),
        "slug": document.slug,
        "kind": document.kind,
        "status": "published",
        "department": str(document.owner_department_id),
        "validity": document.validity or fields.get("validity") or "",
        "positions": ",".join(p.code for p in document.positions),
        "title": revision.title,
        "title_bigram": f"{revision.title} {doc_number}",
        "doc_number": doc_number,
        "tags": " ".join(tags),
        "body": body,
        "body_bigram": body,
        "facts": facts,
        "facts_bigram": facts,
        "pinyin": " ".join(sorted(pinyin_keys(revision.title, *tags))),
    }


def load_searchable(ids: Iterable[int], session: Session | None = None) -> dict[int, Document]:
    """The given documents that are searchable now, by id."""
    session = session or db.session
    ids = list(ids)
    if not ids:
        return {}
    rows = session.scalars(searchable_query().where(Document.id.in_(ids))).all()
    return {d.id: d for d in rows}


def load_displayable(ids: Iterable[int]) -> dict[int, Document]:
    """The given documents if still published and not archived (the index may lag): for result pages."""
    ids = list(ids)
    if not ids:
        return {}
    rows = db.session.scalars(
        select(Document).where(Document.id.in_(ids), Document.published_revision_id.is_not(None),
                               Document.archived.is_(False))
        .options(joinedload(Document.published_revision))).all()
    return {d.id: d for d in rows}
