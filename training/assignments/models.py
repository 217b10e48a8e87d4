"""Assignments (学习任务): who assigned which documents and exam to whom, with a due date; one task per person."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.clock import now as clock_now
from core.db import link_table
from core.extensions import db
from kb.models import Document
from org.models import Employee


class AssignmentKind(StrEnum):
    MANUAL = "manual"
    RESTUDY = "restudy"
    RETRAINING = "retraining"  # 三违停岗再培训 (opened by safety)
    CERT_REVIEW = "cert_review"  # 特种作业/特种设备证件复审培训 (from safety's expiring list)

    @property
    def label(self) -> str:
        return {"manual": "布置的学习", "restudy": "规程修订重新学习", "retraining": "三违停岗再培训",
                "cert_review": "证件复审培训"}[self.value]


assignment_documents = link_table("assignment_documents", "assignments", "documents")


class Assignment(db.Model):
    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(12), default=AssignmentKind.MANUAL)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id", ondelete="SET NULL"), index=True)
    target_label: Mapped[str] = mapped_column(String(200), default="")
    due_on: Mapped[date]
    exam_id: Mapped[int | None] = mapped_column(ForeignKey("exams.id", ondelete="SET NULL"), index=True)
    source_revision_id: Mapped[int | None] = mapped_column(ForeignKey("revisions.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=clock_now)

    assigned_by: Mapped[Employee | None] = relationship()
    documents: Mapped[list[Document]] = relationship(secondary=assignment_documents, order_by=Document.title)
    tasks: Mapped[list[Task]] = relationship(back_populates="assignment", cascade="all, delete-orphan")

    @property
    def kind_label(self) -> str:
        return AssignmentKind(self.kind).label


class Task(db.Model):
    """One employee's share of an assignment; complete when every document is acknowledged
    (current revision) and the exam passed."""

    __tablename__ = "tasks"
    __table_args__ = (UniqueConstraint("assignment_id", "employee_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"), index=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=clock_now)

    assignment: Mapped[Assignment] = relationship(back_populates="tasks")
    employee: Mapped[Employee] = relationship()
