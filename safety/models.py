"""Safety tables: certificates and position requirements, 三违 records, post checks, settings."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.clock import now as clock_now
from core.extensions import db
from org.models import Employee, Position
from safety.catalogue import KIND_BY_CODE, CertificateKind, kind_label


class SafetySetting(db.Model):
    """One safety setting (key/value); defaults live in safety.settings."""

    __tablename__ = "safety_settings"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(500))
    updated_at: Mapped[datetime] = mapped_column(default=clock_now, onupdate=clock_now)


class PositionRequirement(db.Model):
    """A position requires a valid certificate of this kind before work (持证上岗)."""

    __tablename__ = "position_certificate_requirements"
    __table_args__ = (UniqueConstraint("position_id", "kind_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("positions.id", ondelete="CASCADE"), index=True)
    kind_code: Mapped[str] = mapped_column(String(40))

    position: Mapped[Position] = relationship()

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind_code)


class Certificate(db.Model):
    """One certificate held by an employee: system and item, number, authority, dates and a scan."""

    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"), index=True)
    kind_code: Mapped[str] = mapped_column(String(40), index=True)
    number: Mapped[str] = mapped_column(String(60))
    authority: Mapped[str] = mapped_column(String(120), default="")
    issued_on: Mapped[date]
    valid_until: Mapped[date] = mapped_column(index=True)
    next_review_on: Mapped[date | None] = mapped_column(index=True)
    revoked: Mapped[bool] = mapped_column(default=False)  # 吊销/注销/复审不合格
    scan_id: Mapped[int | None] = mapped_column(ForeignKey("attachments.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(String(200), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=clock_now)
    updated_at: Mapped[datetime] = mapped_column(default=clock_now, onupdate=clock_now)

    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id])

    @property
    def kind(self) -> CertificateKind | None:
        return KIND_BY_CODE.get(self.kind_code)

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind_code)

    @property
    def due_on(self) -> date:
        """The first date that matters: the review (复审) if one falls before expiry, else expiry."""
        if self.next_review_on and self.next_review_on < self.valid_until:
            return self.next_review_on
        return self.valid_until

    @property
    def due_label(self) -> str:
        return str(_l("复审") if self.next_review_on and self.next_review_on < self.valid_until else _l("有效期满"))

    def is_valid_on(self, day: date) -> bool:
        """Valid on ``day``: not revoked, not expired, and not past a missed review."""
        return not self.revoked and day <= self.due_on

    def status_label(self, day: date) -> str:
        if self.revoked:
            return str(_l("已注销"))
        if day > self.valid_until:
            return str(_l("已过期"))
        if self.next_review_on and day > self.next_review_on:
            return str(_l("逾期未复审"))
        return str(_l("有效"))


class ViolationType(StrEnum):
    COMMAND = "command"
    OPERATION = "operation"
    DISCIPLINE = "discipline"

    @property
    def label(self) -> str:
        return str({"command": _l("违章指挥"), "operation": _l("违章作业"),
                    "discipline": _l("违反劳动纪律")}[self.value])


class Severity(StrEnum):
    GENERAL = "general"
    SERIOUS = "serious"

    @property
    def label(self) -> str:
        return str({"general": _l("一般三违"), "serious": _l("严重三违")}[self.value])


class Violation(db.Model):
    """A 三违 record against one person; a stand-down runs 停岗 → 再培训任务 → 考试 → 复岗签字."""

    __tablename__ = "violations"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    occurred_at: Mapped[datetime] = mapped_column(index=True)
    place: Mapped[str] = mapped_column(String(120))
    type: Mapped[str] = mapped_column(String(12))
    severity: Mapped[str] = mapped_column(String(12))
    description: Mapped[str] = mapped_column(Text)
    procedure_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))
    action_taken: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=clock_now)
    stand_down: Mapped[bool] = mapped_column(default=False)
    stand_down_reason: Mapped[str] = mapped_column(String(200), default="")
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("assignments.id", ondelete="SET NULL"))
    exam_id: Mapped[int | None] = mapped_column(ForeignKey("exams.id", ondelete="SET NULL"))
    returned_at: Mapped[datetime | None]
    returned_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id", ondelete="SET NULL"))
    return_note: Mapped[str] = mapped_column(String(200), default="")
    case_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))

    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id])
    recorded_by: Mapped[Employee | None] = relationship(foreign_keys=[recorded_by_id])
    returned_by: Mapped[Employee | None] = relationship(foreign_keys=[returned_by_id])
    department = relationship("Department")
    team = relationship("Team")
    procedure = relationship("Document", foreign_keys=[procedure_id])
    case_document = relationship("Document", foreign_keys=[case_document_id])
    assignment = relationship("Assignment")

    @property
    def type_label(self) -> str:
        return ViolationType(self.type).label

    @property
    def severity_label(self) -> str:
        return Severity(self.severity).label

    @property
    def is_serious(self) -> bool:
        return self.severity == Severity.SERIOUS

    @property
    def standing_down(self) -> bool:
        """Still off the post: stood down and no 复岗 signature yet."""
        return self.stand_down and self.returned_at is None


class PostCheck(db.Model):
    """一分钟岗位自查: three questions answered on the post page, kept as practice (not an exam)."""

    __tablename__ = "post_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"), index=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("positions.id", ondelete="CASCADE"), index=True)
    question_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    correct: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    answered_at: Mapped[datetime] = mapped_column(default=clock_now)
    detail: Mapped[str] = mapped_column(Text, default="")

    position: Mapped[Position] = relationship()
