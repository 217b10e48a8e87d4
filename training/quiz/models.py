"""Question bank (题库), exams (考试) and attempts (答卷) with their frozen snapshots."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.clock import now as clock_now
from core.db import link_table
from core.extensions import db
from org.models import Employee, Position


class QuestionType(StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUEFALSE = "truefalse"

    @property
    def label(self) -> str:
        return str({"single": _l("单选"), "multiple": _l("多选"), "truefalse": _l("判断")}[self.value])


class QuestionLevel(StrEnum):
    COMPANY = "company"
    DEPARTMENT = "department"
    TEAM = "team"

    @property
    def label(self) -> str:
        return str({"company": _l("公司级"), "department": _l("部门级"), "team": _l("班组级")}[self.value])


class ReviewPolicy(StrEnum):
    """What an examinee sees of their own attempt once it is submitted."""

    NOTHING = "nothing"
    SCORE = "score"
    ANSWERS = "answers"
    ANSWERS_AFTER_CLOSE = "after_close"

    @property
    def label(self) -> str:
        return str({
            "nothing": _l("交卷后不显示成绩"),
            "score": _l("交卷后只显示成绩"),
            "answers": _l("交卷后显示成绩和正确答案"),
            "after_close": _l("交卷后显示成绩，考试关闭后显示正确答案"),
        }[self.value])


TRUE_FALSE_OPTIONS = ("正确", "错误")  # stored in attempt snapshots as written here
# A context of their own: as a 判断题's options they read True/False, as a verdict Correct/Incorrect.
_TRUE_FALSE_LABELS = {"正确": lazy_pgettext("判断题选项", "正确"), "错误": lazy_pgettext("判断题选项", "错误")}


def option_label(question_type: str, text: str) -> str:
    """An option's text as the reader sees it: true/false labels in the reader's language."""
    if question_type == QuestionType.TRUEFALSE and text in _TRUE_FALSE_LABELS:
        return str(_TRUE_FALSE_LABELS[text])
    return text


def to_percent(score: float | None, total: float | None) -> float | None:
    """Points on the 百分制 scale, to one decimal (None without a score or a total)."""
    if score is None or not total:
        return None
    return round(float(score) * 100 / float(total), 1)


def meets_pass_mark(score: float, total: float, pass_percent: float) -> bool:
    """Whether ``score`` of ``total`` points reaches the 及格线 ``pass_percent`` (tolerant of rounding)."""
    return total > 0 and score * 100 + 1e-6 >= pass_percent * total

question_positions = link_table("question_positions", "questions", "positions")

exam_positions = link_table("exam_positions", "exams", "positions")


class Question(db.Model):
    """One question; ``options`` is a list of texts and ``answer`` the indexes of the right ones.

    A true/false question has the options 正确/错误 and ``answer`` [0] or [1]. Editing bumps
    ``version``; attempts keep their own snapshot, so they never change afterwards.
    """

    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    type: Mapped[str] = mapped_column(String(12), index=True)
    level: Mapped[str] = mapped_column(String(12), index=True)
    topic: Mapped[str] = mapped_column(String(60), index=True)
    difficulty: Mapped[int] = mapped_column(default=1)
    stem: Mapped[str] = mapped_column(Text)
    options: Mapped[list[str]] = mapped_column(JSON, default=list)
    answer: Mapped[list[int]] = mapped_column(JSON, default=list)
    explanation: Mapped[str] = mapped_column(Text, default="")
    source_document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL"), index=True
    )
    source_section: Mapped[str] = mapped_column(String(120), default="")
    retired: Mapped[bool] = mapped_column(default=False, index=True)
    version: Mapped[int] = mapped_column(default=1)
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(default=clock_now)
    updated_at: Mapped[datetime] = mapped_column(default=clock_now, onupdate=clock_now)

    positions: Mapped[list[Position]] = relationship(secondary=question_positions, order_by=Position.code)
    source_document = relationship("Document")

    @property
    def type_label(self) -> str:
        return QuestionType(self.type).label

    @property
    def level_label(self) -> str:
        return QuestionLevel(self.level).label

    @property
    def answer_letters(self) -> str:
        if self.type == QuestionType.TRUEFALSE:
            return "对" if self.answer == [0] else "错"
        return "".join(chr(65 + i) for i in self.answer)


class Exam(db.Model):
    """An exam: a fixed question list or draw rules, timing, pass mark, attempts and review policy."""

    __tablename__ = "exams"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    level: Mapped[str | None] = mapped_column(String(12), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    published: Mapped[bool] = mapped_column(default=False)
    # Listed in everyone's 我的考试 (within the audience). Induction and assignment exams are
    # usually unlisted: they reach their people through the personal_exams signal instead.
    listed: Mapped[bool] = mapped_column(default=True, server_default=true())
    duration_minutes: Mapped[int] = mapped_column(default=30)
    pass_percent: Mapped[float] = mapped_column(default=60)  # 及格线, % of the total points
    max_attempts: Mapped[int] = mapped_column(default=0)  # 0: unlimited
    opens_at: Mapped[datetime | None]
    closes_at: Mapped[datetime | None]
    shuffle_questions: Mapped[bool] = mapped_column(default=True)
    shuffle_options: Mapped[bool] = mapped_column(default=True)
    partial_credit: Mapped[bool] = mapped_column(default=False)
    review_policy: Mapped[str] = mapped_column(String(12), default=ReviewPolicy.ANSWERS)
    points_single: Mapped[int] = mapped_column(default=2)
    points_multiple: Mapped[int] = mapped_column(default=4)
    points_truefalse: Mapped[int] = mapped_column(default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=clock_now)
    updated_at: Mapped[datetime] = mapped_column(default=clock_now, onupdate=clock_now)

    items: Mapped[list[ExamItem]] = relationship(
        back_populates="exam", cascade="all, delete-orphan", order_by="ExamItem.position"
    )
    rules: Mapped[list[DrawRule]] = relationship(
        back_populates="exam", cascade="all, delete-orphan", order_by="DrawRule.position"
    )
    positions: Mapped[list[Position]] = relationship(secondary=exam_positions, order_by=Position.code)
    department = relationship("Department")

    def points_for(self, question_type: str) -> int:
        return {QuestionType.SINGLE: self.points_single, QuestionType.MULTIPLE: self.points_multiple,
                QuestionType.TRUEFALSE: self.points_truefalse}[QuestionType(question_type)]

    @property
    def total_points(self) -> int:
        if self.rules:
            return sum(rule.count * rule.points for rule in self.rules)
        return sum(self.points_for(item.question.type) for item in self.items)

    @property
    def question_count(self) -> int:
        return sum(rule.count for rule in self.rules) if self.rules else len(self.items)

    def is_closed(self, now: datetime) -> bool:
        return self.closes_at is not None and now >= self.closes_at

    def is_open(self, now: datetime) -> bool:
        started = self.opens_at is None or self.opens_at <= now
        return self.published and started and not self.is_closed(now)

    @property
    def level_label(self) -> str:
        return QuestionLevel(self.level).label if self.level else "—"

    @property
    def review_label(self) -> str:
        return ReviewPolicy(self.review_policy).label


class ExamGrant(db.Model):
    """补考: extra attempts granted to one person at one exam (by the safety department or a trainer)."""

    __tablename__ = "exam_grants"

    id: Mapped[int] = mapped_column(primary_key=True)
    exam_id: Mapped[int] = mapped_column(ForeignKey("exams.id", ondelete="CASCADE"), index=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"), index=True)
    extra_attempts: Mapped[int] = mapped_column(default=1)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id", ondelete="SET NULL"))
    granted_at: Mapped[datetime] = mapped_column(default=clock_now)
    note: Mapped[str] = mapped_column(String(200), default="")

    granted_by: Mapped[Employee | None] = relationship(foreign_keys=[granted_by_id])


class ExamItem(db.Model):
    """One question of a fixed-list exam."""

    __tablename__ = "exam_items"
    __table_args__ = (UniqueConstraint("exam_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    exam_id: Mapped[int] = mapped_column(ForeignKey("exams.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)

    exam: Mapped[Exam] = relationship(back_populates="items")
    question: Mapped[Question] = relationship()


class DrawRule(db.Model):
    """Draw ``count`` questions of ``type`` (and level/topic if set) at start, each worth ``points``."""

    __tablename__ = "exam_draw_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    exam_id: Mapped[int] = mapped_column(ForeignKey("exams.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    type: Mapped[str] = mapped_column(String(12))
    level: Mapped[str | None] = mapped_column(String(12))
    topic: Mapped[str | None] = mapped_column(String(60))
    count: Mapped[int]
    points: Mapped[int]

    exam: Mapped[Exam] = relationship(back_populates="rules")

    def describe(self) -> str:
        parts = [str(self.count), "道", QuestionType(self.type).label]
        if self.level:
            parts.insert(0, QuestionLevel(self.level).label)
        if self.topic:
            parts.insert(0, f"「{self.topic}」")
        return "".join(parts) + f"，每题 {self.points} 分"


class Attempt(db.Model):
    """One sitting of an exam by one employee: a frozen snapshot, saved answers, the result.

    ``open_slot`` is 1 while the attempt is open and NULL once it is closed; with the unique
    constraint on (employee, exam, open_slot) the database itself refuses a second open attempt,
    and the unique (employee, exam, number) refuses going past the allowed attempts, on SQLite
    and PostgreSQL alike, however many requests race. The slot has no default: only
    ``start_attempt`` opens one, so an attempt stored already submitted (demo data, an import)
    never holds it.
    """

    __tablename__ = "attempts"
    __table_args__ = (
        UniqueConstraint("employee_id", "exam_id", "open_slot", name="uq_attempts_one_open"),
        UniqueConstraint("employee_id", "exam_id", "number", name="uq_attempts_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    exam_id: Mapped[int] = mapped_column(ForeignKey("exams.id"), index=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), index=True)
    number: Mapped[int]
    open_slot: Mapped[int | None]
    started_at: Mapped[datetime]
    deadline: Mapped[datetime]
    grace_seconds: Mapped[int] = mapped_column(default=60)
    # Snapshot as served: [{"iid", "qid", "version", "type", "stem", "points", "explanation",
    # "source_document_id", "source_slug", "source_title", "source_section",
    # "options": [{"oid", "text", "correct"}]}] — never sent to the browser as is.
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    answers: Mapped[dict[str, list[str]]] = mapped_column(JSON, default=dict)
    revision: Mapped[int] = mapped_column(default=0)
    partial_credit: Mapped[bool] = mapped_column(default=False)
    pass_percent: Mapped[float] = mapped_column(default=60)
    total_points: Mapped[float] = mapped_column(default=0)
    last_saved_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime | None] = mapped_column(index=True)
    closed_by_deadline: Mapped[bool] = mapped_column(default=False)
    score: Mapped[float | None]
    passed: Mapped[bool | None]
    item_scores: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)

    exam: Mapped[Exam] = relationship()
    employee: Mapped[Employee] = relationship()

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def percent(self) -> float | None:
        """The score on the 百分制 scale (score / total × 100), None before submission."""
        return to_percent(self.score, self.total_points) if self.is_submitted else None

    def hard_deadline(self) -> datetime:
        """The last instant a submit or autosave is still accepted (deadline + grace)."""
        return self.deadline + timedelta(seconds=self.grace_seconds)

    def is_overdue(self, now: datetime) -> bool:
        return not self.is_submitted and now > self.hard_deadline()
