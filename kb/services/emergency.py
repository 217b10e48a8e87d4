"""Emergency plans (应急预案): the 岗位应急处置卡 of a position, and the hazard rows a plan answers.

``emergency_card_for(position)`` is what the printable card (``kb/_emergency_card.html``) and the
workstation card show: every published 现场处置方案 that names the position, with their steps,
and the contacts and equipment of all of them without repeats.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core.extensions import db
from kb.hazards import Grade, grade_for, thresholds
from kb.models import Document, DocumentKind, HazardRow, Revision, document_positions
from org.models import Position

ONSITE = "现场处置方案"
LEVEL_ORDER = ("综合应急预案", "专项应急预案", ONSITE)


def drill_text(months: Any) -> str:
    """每半年 / 每年 / 每 N 个月 至少演练一次."""
    try:
        months = int(months)
    except (TypeError, ValueError):
        return ""
    named = {1: "每月", 3: "每季度", 6: "每半年", 12: "每年", 24: "每两年"}
    return f"{named.get(months, f'每 {months} 个月')}至少演练一次"


@dataclass
class CardPlan:
    document: Document
    revision: Revision

    @property
    def fields(self) -> dict[str, Any]:
        return self.revision.fields


@dataclass
class EmergencyCard:
    """岗位应急处置卡: one position, its on-site plans, and the merged contacts and equipment."""

    position: Position
    plans: list[CardPlan]
    contacts: list[str] = field(default_factory=list)
    equipment: list[str] = field(default_factory=list)

    @property
    def drill(self) -> str:
        months = [int(p.fields.get("drill_months") or 0) for p in self.plans if p.fields.get("drill_months")]
        return drill_text(min(months)) if months else ""


def _published_plans():
    return (select(Document).join(Document.published_revision)
            .where(Document.kind == DocumentKind.EMERGENCY_PLAN, Document.is_published)
            .options(selectinload(Document.published_revision)))


def _merged(plans: list[CardPlan], key: str) -> list[str]:
    seen: dict[str, None] = {}
    for plan in plans:
        for item in plan.fields.get(key) or []:
            seen.setdefault(item, None)
    return list(seen)


def emergency_card_for(position: Position) -> EmergencyCard | None:
    """The position's 岗位应急处置卡, or None when no published 现场处置方案 names it."""
    documents = db.session.scalars(
        _published_plans().join(document_positions, document_positions.c.document_id == Document.id)
        .where(document_positions.c.position_id == position.id).order_by(Document.title)).all()
    plans = [CardPlan(d, d.published_revision) for d in documents
             if d.published_revision.fields.get("level") == ONSITE]
    if not plans:
        return None
    return EmergencyCard(position, plans, _merged(plans, "contacts"), _merged(plans, "equipment"))


def positions_with_cards() -> set[int]:
    """Ids of positions that have at least one published 现场处置方案."""
    rows = db.session.execute(
        select(document_positions.c.position_id, Revision.fields)
        .join(Document, Document.id == document_positions.c.document_id)
        .join(Revision, Revision.id == Document.published_revision_id)
        .where(Document.kind == DocumentKind.EMERGENCY_PLAN, Document.is_published)).all()
    return {position_id for position_id, fields in rows if (fields or {}).get("level") == ONSITE}


@dataclass
class LinkedRow:
    reference: str
    document: Document | None
    row: HazardRow | None
    grade: Grade | None


def split_reference(reference: str) -> tuple[str, str]:
    """"hazards-sb2#有限空间作业" → ("hazards-sb2", "有限空间作业")."""
    slug, _sep, prefix = reference.partition("#")
    return slug.strip(), prefix.strip()


def linked_hazard_rows(revision: Revision) -> list[LinkedRow]:
    """The hazard-list rows a plan names, found in each list's published revision by activity prefix."""
    references = revision.fields.get("hazard_rows") or []
    slugs = {split_reference(r)[0] for r in references}
    documents = {d.slug: d for d in db.session.scalars(
        select(Document).where(Document.slug.in_(slugs), Document.kind == DocumentKind.HAZARD_LIST,
                               Document.archived.is_(False))
        .options(selectinload(Document.published_revision).selectinload(Revision.hazard_rows)))}
    limits = thresholds()
    out = []
    for reference in references:
        slug, prefix = split_reference(reference)
        document = documents.get(slug)
        rows = document.published_revision.hazard_rows if document and document.published_revision else []
        row = next((r for r in rows if r.activity.startswith(prefix)), None)
        out.append(LinkedRow(reference, document, row, grade_for(row.danger, limits) if row else None))
    return out


def plans_for_hazard_list(document: Document) -> list[Document]:
    """Published emergency plans that name a row of this hazard list."""
    plans = db.session.scalars(_published_plans()).all()
    return sorted((p for p in plans if any(split_reference(r)[0] == document.slug
                                           for r in p.published_revision.fields.get("hazard_rows") or [])),
                  key=lambda p: (_level_rank(p), p.title))


def _level_rank(document: Document) -> int:
    level = document.published_revision.fields.get("level") if document.published_revision else None
    return LEVEL_ORDER.index(level) if level in LEVEL_ORDER else len(LEVEL_ORDER)
