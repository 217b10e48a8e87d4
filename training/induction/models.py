"""Three-level induction (三级安全教育): programmes, each employee's inductions, study and classroom hours."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.clock import now as clock_now
from core.extensions import db
from kb.models import Document
from org.models import Department, Employee, Position, Team


class Level(StrEnum):
    """公司级 → 部门/车间级 → 班组级, in this order."""

    COMPANY = "company"
    DEPARTMENT = "department"
    TEAM = "team"

    @property
    def label(self) -> str:
        return str({"company": _l("公司级"), "department": _l("部门（车间）级"), "team": _l("班组级")}[self.value])

    @property
    def index(self) -> int:
        return list(Level).index(self)


class InductionReason(StrEnum):
    NEW_HIRE = "new_hire"
    JOB_CHANGE = "job_change"
    RETURN = "return"

    @property
    def label(self) -> str:
        labels = {"new_hire": _l("新员工入职"), "job_change": _l("调岗/换班组"), "return": _l("离岗后返岗")}
        return str(labels[self.value])


class Programme(db.Model):
    """What one level teaches: study items, hours, exam and pass mark; optionally per department/position."""

    __tablename__ = "induction_programmes"

    id: Mapped[int] = mapped_column(primary_key=True)
    level: Mapped[str] = mapped_column(String(12), index=True)
    title: Mapped[str] = mapped_column(String(120))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    position_id: Mapped[int | None] = mapped_column(ForeignKey("positions.id"), index=True)
    exam_id: Mapped[int | None] = mapped_column(ForeignKey("exams.id", ondelete="SET NULL"), index=True)
    pass_mark: Mapped[int | None]
    hours: Mapped[float | None]  # None: the company setting for this level
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=clock_now)

    department: Mapped[Department | None] = relationship()
    position: Mapped[Position | None] = relationship()
    items: Mapped[list[ProgrammeItem]] = relationship(
        back_populates="programme", cascade="all, delete-orphan", order_by="ProgrammeItem.position"
    )

    @property
    def level_label(self) -> str:
        return Level(self.level).label


class ProgrammeItem(db.Model):
    __tablename__ = "induction_programme_items"
    __table_args__ = (UniqueConstraint("programme_id", "document_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("induction_programmes.id", ondelete="CASCADE"))
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    expected_minutes: Mapped[int] = mapped_column(default=15)
    position: Mapped[int] = mapped_column(default=0)

    programme: Mapped[Programme] = relationship(back_populates="items")
    document: Mapped[Document] = relationship()


class Induction(db.Model):
    """One round of induction for one employee: at hire (three levels) or re-training (two levels)."""

    __tablename__ = "inductions"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(16))
    opened_at: Mapped[datetime] = mapped_column(default=clock_now)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    position_id: Mapped[int | None] = mapped_column(ForeignKey("positions.id"))
    note: Mapped[str] = mapped_column(String(200), default="")

    employee: Mapped[Employee] = relationship()
    department: Mapped[Department] = relationship()
    team: Mapped[Team | None] = relationship()
    position: Mapped[Position | None] = relationship()
    levels: Mapped[list[InductionLevel]] = relationship(
        back_populates="induction", cascade="all, delete-orphan", order_by="InductionLevel.order"
    )

    @property
    def reason_label(self) -> str:
        return InductionReason(self.reason).label


class InductionLevel(db.Model):
    """One level of one induction; complete when study, hours, exam and (dept/team) sign-off are done."""

    __tablename__ = "induction_levels"
    __table_args__ = (UniqueConstraint("induction_id", "level"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    induction_id: Mapped[int] = mapped_column(ForeignKey("inductions.id", ondelete="CASCADE"), index=True)
    level: Mapped[str] = mapped_column(String(12))
    order: Mapped[int] = mapped_column(default=0)
    required_hours: Mapped[float] = mapped_column(default=8)
    exam_id: Mapped[int | None] = mapped_column(ForeignKey("exams.id", ondelete="SET NULL"))
    pass_mark: Mapped[int | None]
    signed_off_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id", ondelete="SET NULL"))
    signed_off_at: Mapped[datetime | None]
    sign_off_note: Mapped[str] = mapped_column(String(200), default="")

    induction: Mapped[Induction] = relationship(back_populates="levels")
    signed_off_by: Mapped[Employee | None] = relationship(foreign_keys=[signed_off_by_id])
    items: Mapped[list[LevelItem]] = relationship(
        back_populates="induction_level", cascade="all, delete-orphan", order_by="LevelItem.position"
    )
    attendance: Mapped[list[ClassroomAttendance]] = relationship(back_populates="induction_level")

    @property
    def level_label(self) -> str:
        return Level(self.level).label

    @property
    def needs_sign_off(self) -> bool:
        return self.level != Level.COMPANY


class LevelItem(db.Model):
    """A document to study in one level (snapshot of the programme when the level was opened)."""

    __tablename__ = "induction_level_items"
    __table_args__ = (UniqueConstraint("induction_level_id", "document_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    induction_level_id: Mapped[int] = mapped_column(
        ForeignKey("induction_levels.id", ondelete="CASCADE"), index=True
    )
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    expected_minutes: Mapped[int] = mapped_column(default=15)
    position: Mapped[int] = mapped_column(default=0)
    source: Mapped[str] = mapped_column(String(16), default="programme")
    credited_minutes: Mapped[float] = mapped_column(default=0)
    done_at: Mapped[datetime | None]

    induction_level: Mapped[InductionLevel] = relationship(back_populates="items")
    document: Mapped[Document] = relationship()


class StudySession(db.Model):
    """学习记录: opened at a server timestamp; confirming credits the visible time the server saw, capped."""

    __tablename__ = "study_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    revision_id: Mapped[int | None] = mapped_column(ForeignKey("revisions.id", ondelete="SET NULL"))
    level_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("induction_level_items.id", ondelete="SET NULL"), index=True
    )
    started_at: Mapped[datetime] = mapped_column(default=clock_now)
    # The page beats while it is visible; each beat credits the time since the last one, at most
    # a short gap, so a hidden tab, a closed phone or a forged beat earns nothing beyond that gap.
    last_seen_at: Mapped[datetime | None]
    visible_seconds: Mapped[float] = mapped_column(default=0, server_default="0")
    acknowledged_at: Mapped[datetime | None]
    credited_minutes: Mapped[float] = mapped_column(default=0)

    employee: Mapped[Employee] = relationship()
    document: Mapped[Document] = relationship()
    level_item: Mapped[LevelItem | None] = relationship()


class ClassroomSession(db.Model):
    """A taught session a trainer records: date, 学时, topic and attendees."""

    __tablename__ = "classroom_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    level: Mapped[str] = mapped_column(String(12))
    held_on: Mapped[date]
    hours: Mapped[float]
    topic: Mapped[str] = mapped_column(String(200))
    trainer_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=clock_now)

    trainer: Mapped[Employee | None] = relationship()
    attendance: Mapped[list[ClassroomAttendance]] = relationship(
        back_populates="session", cascade="all, delete-orphan"
    )

    @property
    def level_label(self) -> str:
        return Level(self.level).label


class ClassroomAttendance(db.Model):
    __tablename__ = "classroom_attendance"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("classroom_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"), primary_key=True)
    induction_level_id: Mapped[int | None] = mapped_column(
        ForeignKey("induction_levels.id", ondelete="SET NULL"), index=True
    )

    session: Mapped[ClassroomSession] = relationship(back_populates="attendance")
    employee: Mapped[Employee] = relationship()
    induction_level: Mapped[InductionLevel | None] = relationship(back_populates="attendance")


class Absence(db.Model):
    """离岗/返岗: a period away from the post; a long one re-opens department and team training."""

    __tablename__ = "absences"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"), index=True)
    left_on: Mapped[date]
    returned_on: Mapped[date | None]
    reason: Mapped[str] = mapped_column(String(120), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=clock_now)

    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id])


class PaperLevel(db.Model):
    """纸质档案补录: one level of a three-level induction done before the system, as its paper card says."""

    __tablename__ = "paper_induction_levels"
    __table_args__ = (UniqueConstraint("employee_id", "level"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"), index=True)
    level: Mapped[str] = mapped_column(String(12))
    started_on: Mapped[date]
    finished_on: Mapped[date]
    hours: Mapped[float]
    content: Mapped[str] = mapped_column(String(200))
    score: Mapped[float | None]  # 百分制, when the paper card has one
    passed: Mapped[bool]
    trainer_name: Mapped[str] = mapped_column(String(60))  # 教育人 as signed on paper
    assessor_name: Mapped[str] = mapped_column(String(60))  # 考核人 as signed on paper
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(default=clock_now)

    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id])
    recorded_by: Mapped[Employee | None] = relationship(foreign_keys=[recorded_by_id])

    @property
    def level_label(self) -> str:
        return Level(self.level).label
