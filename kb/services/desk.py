"""The safety department's desk on the home page: 待审核, its own drafts, recent publishes."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from core.extensions import db
from kb.models import Revision, RevisionStatus
from org.models import Employee

SHOWN = 5


@dataclass(frozen=True)
class Desk:
    waiting_count: int
    waiting: list[Revision]
    my_drafts: list[Revision]
    recent: list[Revision]


def editorial_desk(actor: Employee) -> Desk:
    """Four small queries: reviews waiting (oldest first), the actor's open drafts, the latest publishes."""
    waiting_count = db.session.scalar(
        select(func.count()).select_from(Revision).where(Revision.status == RevisionStatus.IN_REVIEW)) or 0
    waiting = db.session.scalars(select(Revision).where(Revision.status == RevisionStatus.IN_REVIEW)
                                 .order_by(Revision.submitted_at).limit(SHOWN)).all()
    drafts = db.session.scalars(select(Revision).where(Revision.status == RevisionStatus.DRAFT,
                                                       Revision.author_id == actor.id)
                                .order_by(Revision.created_at.desc()).limit(SHOWN)).all()
    recent = db.session.scalars(select(Revision).where(Revision.published_at.is_not(None),
                                                       Revision.status == RevisionStatus.PUBLISHED)
                                .order_by(Revision.published_at.desc()).limit(SHOWN)).all()
    return Desk(waiting_count, list(waiting), list(drafts), list(recent))
