"""Documents as a picker offers them: by title, with kind and validity, repealed ones marked."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from core.extensions import db
from kb.models import KIND_LABELS, Document, DocumentKind, HazardRow

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


REPEALED_CLASS = {"class": "picker-repealed"}


def document_choices(kinds: tuple[str, ...] = (), blank: str | None = None,
                     keep: tuple[str, ...] = ()) -> list[SelectChoice]:
    """The same documents as WTForms choices valued by slug (what a document's fields store).

    ``keep`` are slugs already chosen that the list would otherwise leave out (an archived or
    unpublished document a draft still names), so re-saving a form never drops them silently.
    """
    options = document_options(kinds)
    choices = [SelectChoice("", blank)] if blank is not None else []
    choices += [SelectChoice(o.slug, o.label, dict(REPEALED_CLASS) if o.repealed else {}) for o in options]
    offered = {o.slug for o in options}
    missing = [slug for slug in keep if slug and slug not in offered]
    if missing:
        for document in db.session.scalars(select(Document).where(Document.slug.in_(missing))):
            label = f"{document.title} · {KIND_LABELS[DocumentKind(document.kind)]} · 【{_('未发布或已归档')}】"
            choices.append(SelectChoice(document.slug, label, dict(REPEALED_CLASS)))
    return choices


def hazard_row_choices(keep: tuple[str, ...] = ()) -> list[SelectChoice]:
    """Rows of the published hazard lists as "清单 · 作业活动：危险源", valued "标识#作业活动" as emergency
    plans store them. A stored reference (which may name only the start of an activity) keeps its value
    on the one row it points at, so re-saving a plan changes nothing."""
    rows = db.session.execute(
        select(Document.slug, Document.title, HazardRow.activity, HazardRow.hazard)
        .join(HazardRow, HazardRow.revision_id == Document.published_revision_id)
        .where(Document.kind == DocumentKind.HAZARD_LIST, Document.archived.is_(False))
        .order_by(Document.title, HazardRow.position)).all()
    values = {(slug, activity): f"{slug}#{activity}" for slug, _title, activity, _hazard in rows}
    unmatched = []
    for reference in keep:
        slug, _sep, prefix = reference.partition("#")
        matches = [key for key in values if key[0] == slug.strip() and key[1].startswith(prefix.strip())]
        if len(matches) == 1 and prefix.strip():
            values[matches[0]] = reference
        else:
            unmatched.append(reference)
    choices = [SelectChoice(values[(slug, activity)], f"{title} · {activity}：{_short(hazard)}")
               for slug, title, activity, hazard in rows]
    return choices + [SelectChoice(reference, f"{reference.partition('#')[2]}（清单中已找不到，请重新选择）",
                                   dict(REPEALED_CLASS)) for reference in unmatched]


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
