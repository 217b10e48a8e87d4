"""Documents (法规/规程/案例/危险源清单), their revisions, hazard rows and read acknowledgements."""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    ColumnElement,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
    and_,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.clock import now as clock_now
from core.db import link_table
from core.extensions import db
from org.models import Department, Employee, Position, Team

# A document's identifier (标识) in URLs and content file names: lowercase words joined by hyphens.
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class DocumentKind(StrEnum):
    REGULATION = "regulation"
    PROCEDURE = "procedure"
    CASE = "case"
    HAZARD_LIST = "hazard_list"
    EMERGENCY_PLAN = "emergency_plan"

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self])


KIND_LABELS = {
    DocumentKind.REGULATION: _l("法律法规"),
    DocumentKind.PROCEDURE: _l("岗位安全操作规程"),
    DocumentKind.CASE: _l("三违案例"),
    DocumentKind.HAZARD_LIST: _l("危险源辨识清单"),
    DocumentKind.EMERGENCY_PLAN: _l("应急预案"),
}


class RevisionStatus(StrEnum):
    """draft → in_review → published → superseded; a rejected review returns to draft."""

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"
    ARCHIVED = "archived"

    @property
    def label(self) -> str:
        return str({"draft": _l("草稿"), "in_review": _l("待审核"), "published": _l("已发布"),
                "superseded": _l("已被替代"), "archived": _l("已归档")}[self.value])


document_positions = link_table("document_positions", "documents", "positions")


class Document(db.Model):
    """A knowledge-base document; what employees see is its ``published`` revision."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    owner_department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    published_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("revisions.id", use_alter=True, ondelete="SET NULL")
    )
    archived: Mapped[bool] = mapped_column(default=False)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Denormalised from the published revision for listing filters.
    doc_number: Mapped[str | None] = mapped_column(String(120), index=True)
    validity: Mapped[str | None] = mapped_column(String(12))
    violation_type: Mapped[str | None] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(default=clock_now)
    updated_at: Mapped[datetime] = mapped_column(default=clock_now, onupdate=clock_now)

    owner_department: Mapped[Department] = relationship()
    team: Mapped[Team | None] = relationship()
    positions: Mapped[list[Position]] = relationship(secondary=document_positions, order_by=Position.code)
    published_revision: Mapped[Revision | None] = relationship(
        foreign_keys=[published_revision_id], post_update=True
    )
    revisions: Mapped[list[Revision]] = relationship(
        back_populates="document", foreign_keys="Revision.document_id", order_by="Revision.number"
    )

    @property
    def kind_label(self) -> str:
        return DocumentKind(self.kind).label

    @hybrid_property
    def is_published(self) -> bool:
        """Employees may see it: it has a published revision and is not archived."""
        return self.published_revision_id is not None and not self.archived

    @is_published.inplace.expression
    @classmethod
    def _is_published_expression(cls) -> ColumnElement[bool]:
        return and_(cls.published_revision_id.is_not(None), cls.archived.is_(False))


class Revision(db.Model):
    """One version of a document: Markdown body, kind-specific fields, who wrote and approved it."""

    __tablename__ = "revisions"
    __table_args__ = (UniqueConstraint("document_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    status: Mapped[str] = mapped_column(String(12), default=RevisionStatus.DRAFT, index=True)
    title: Mapped[str] = mapped_column(String(200))
    body_md: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    change_note: Mapped[str] = mapped_column(String(500), default="")
    # Why the safety department sent the revision back (退回意见); cleared on resubmission.
    review_note: Mapped[str] = mapped_column(String(500), default="")
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id", ondelete="SET NULL"))
    approver_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id", ondelete="SET NULL"))
    effective_date: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=clock_now)
    submitted_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]

    document: Mapped[Document] = relationship(back_populates="revisions", foreign_keys=[document_id])
    author: Mapped[Employee | None] = relationship(foreign_keys=[author_id])
    approver: Mapped[Employee | None] = relationship(foreign_keys=[approver_id])
    hazard_rows: Mapped[list[HazardRow]] = relationship(
        back_populates="revision", cascade="all, delete-orphan", order_by="HazardRow.position"
    )

    @property
    def status_label(self) -> str:
        return RevisionStatus(self.status).label

    @property
    def is_open(self) -> bool:
        """Still being written or reviewed (draft / in review)."""
        return self.status in (RevisionStatus.DRAFT, RevisionStatus.IN_REVIEW)


class HazardRow(db.Model):
    """One row of a hazard list (危险源辨识与防范措施清单) with its LEC scores."""

    __tablename__ = "hazard_rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    activity: Mapped[str] = mapped_column(String(200))
    hazard: Mapped[str] = mapped_column(Text)
    accident_type: Mapped[str] = mapped_column(String(20))
    likelihood: Mapped[float]  # L
    exposure: Mapped[float]  # E
    consequence: Mapped[float]  # C
    measures: Mapped[str] = mapped_column(Text)
    responsible: Mapped[str] = mapped_column(String(120))

    revision: Mapped[Revision] = relationship(back_populates="hazard_rows")

    @property
    def danger(self) -> float:
        """D = L × E × C, rounded so that 0.2 × 10 × 40 is 80, not 80.00000000000001."""
        return round(self.likelihood * self.exposure * self.consequence, 2)


class Acknowledgement(db.Model):
    """已阅读确认: an employee confirmed reading one revision; stale once a newer one is published."""

    __tablename__ = "acknowledgements"
    __table_args__ = (UniqueConstraint("employee_id", "revision_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id", ondelete="CASCADE"))
    acknowledged_at: Mapped[datetime] = mapped_column(default=clock_now)

    employee: Mapped[Employee] = relationship()
    revision: Mapped[Revision] = relationship()
