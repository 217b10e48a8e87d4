"""Documents as a picker offers them: by title, with kind and validity, repealed ones marked."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from core.extensions import db
from kb.models import KIND_LABELS, Document, DocumentKind

NOT_CURRENT = ("已废止", "已修订")


@dataclass(frozen=True)
class DocumentOption:
    id: int
    slug: str
    label: str  # 标题 · 类型 · 效力
    repealed: bool


def document_options(kinds: tuple[str, ...] = ()) -> list[DocumentOption]:
    """Published, unarchived documents by kind then title; 已废止/已修订 ones marked (and listed last)."""
    query = select(Document).where(Document.is_published, Document.archived.is_(False))
    if kinds:
        query = query.where(Document.kind.in_(kinds))
    options = [_option(document) for document in db.session.scalars(query.order_by(Document.kind, Document.title))]
    return sorted(options, key=lambda option: option.repealed)


def _option(document: Document) -> DocumentOption:
    repealed = document.validity in NOT_CURRENT
    parts = [document.title, str(KIND_LABELS[DocumentKind(document.kind)])]
    if document.validity:
        parts.append(f"【{document.validity}】" if repealed else document.validity)
    return DocumentOption(document.id, document.slug, " · ".join(parts), repealed)
