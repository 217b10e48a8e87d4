"""The ``kb`` blueprint and the lookups every kb view shares (scope checks live in kb.permissions)."""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user
from sqlalchemy import select

from core.extensions import db
from core.permissions import deny
from kb.models import Document, DocumentKind, Revision
from kb.permissions import can_edit, can_read

bp = Blueprint("kb", __name__, url_prefix="/kb")

KIND_PATHS = {
    "regulations": DocumentKind.REGULATION,
    "procedures": DocumentKind.PROCEDURE,
    "cases": DocumentKind.CASE,
    "hazards": DocumentKind.HAZARD_LIST,
    "emergency": DocumentKind.EMERGENCY_PLAN,
}
PATH_OF = {kind: path for path, kind in KIND_PATHS.items()}


def kind_from_path(path: str) -> DocumentKind:
    if path not in KIND_PATHS:
        abort(404)
    return KIND_PATHS[path]


def document_or_404(slug: str) -> Document:
    """The document, if this user may open it (published, or theirs to edit); else 404."""
    document = db.session.scalar(select(Document).where(Document.slug == slug))
    if document is None:
        abort(404)
    if not can_read(current_user, document):
        deny(404)
    return document


def revision_or_404(document: Document, number: int | None) -> Revision:
    """A revision of the document; drafts and reviews only for its editors."""
    if number is None:
        revision = document.published_revision if document.is_published else None
        if revision is None:
            revision = document.revisions[-1] if document.revisions else None
    else:
        revision = next((r for r in document.revisions if r.number == number), None)
    if revision is None:
        abort(404)
    if (revision.is_open or not document.is_published) and not can_edit(current_user, document):
        deny(404)
    return revision


def slug_documents(slugs: list[str]) -> dict[str, Document]:
    """Readable documents by slug (unreadable ones are left out, so no link leaks a draft)."""
    if not slugs:
        return {}
    found = db.session.scalars(select(Document).where(Document.slug.in_(slugs)))
    return {d.slug: d for d in found if can_read(current_user, d)}
