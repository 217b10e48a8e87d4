"""我的考试: the exams open to one employee and where they stand in each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import or_, select

from core.clock import local_date
from core.extensions import db
from org.models import Employee
from training.quiz.models import Exam, ReviewPolicy
from training.quiz.permissions import is_in_audience
from training.quiz.services.attempts import attempts_left, open_attempt
from training.quiz.services.results import AttemptResult, best_result, earlier_pass
from training.quiz.services.retakes import lock_reason
from training.quiz.signals import ExamRound, current_round, named_exam_ids


def exams_open_to(employee: Employee, now: datetime) -> list[Exam]:
    """Published exams ``employee`` may start at ``now`` (open window and audience), by close date.

    Unlisted exams count when a ``personal_exams`` receiver names them (an unlocked induction
    level's exam, an open task's exam). Attempts left are not checked here: see ``attempts_left``.
    """
    personal = named_exam_ids(employee, now)
    query = (
        select(Exam)
        .where(Exam.published.is_(True), or_(Exam.listed.is_(True), Exam.id.in_(personal)))
        .where(or_(Exam.opens_at.is_(None), Exam.opens_at <= now))
        .where(or_(Exam.closes_at.is_(None), Exam.closes_at > now))
        .where(or_(Exam.department_id.is_(None), Exam.department_id == employee.department_id))
        .order_by(Exam.closes_at.is_(None), Exam.closes_at, Exam.id)
    )
    return [exam for exam in db.session.scalars(query) if is_in_audience(exam, employee)]


@dataclass
class ExamRow:
    """One line of 我的考试: an exam open to the employee and where they stand this round."""

    exam: Exam
    status: str
    badge: str
    open_attempt_id: int | None
    can_start: bool
    locked: str | None = None
    out_of_attempts: bool = False
    left: int | None = None
    earlier: str = ""


def my_exam_rows(employee: Employee, now: datetime) -> list[ExamRow]:
    """Exams open to ``employee`` at ``now`` with a status each (进行中/已通过/未通过/未参加/未解锁)."""
    return [exam_row(employee, exam, now) for exam in exams_open_to(employee, now)]


def _status(exam: Exam, best: AttemptResult | None, running: bool, locked: str | None) -> tuple[str, str]:
    if running:
        return _("进行中"), "warn"
    if locked:
        return _("未解锁"), ""
    if best is None:
        return _("未参加"), "info"
    if exam.review_policy == ReviewPolicy.NOTHING:
        return _("已交卷"), "info"
    return (_("已通过"), "ok") if best.passed else (_("未通过"), "bad")


def _earlier_note(employee: Employee, exam: Exam, current: ExamRound | None) -> str:
    """"上次通过：2026-03-02（原班组：冲压一班）" for a pass from an earlier round, which no longer counts."""
    if current is None or exam.review_policy == ReviewPolicy.NOTHING:
        return ""
    found = earlier_pass(employee.id, exam.id, current.since)
    if found is None:
        return ""
    day = local_date(found.submitted_at).isoformat()
    where = f"（{current.earlier}）" if current.earlier else ""
    return _("上次通过：%(day)s%(where)s，不计入本轮", day=day, where=where)


def exam_row(employee: Employee, exam: Exam, now: datetime) -> ExamRow:
    """Where ``employee`` stands in ``exam`` this round: status word, attempts left, whether they may
    start, why not. Attempts from an earlier round (before the current induction level or task
    began) neither pass the exam nor use up its attempts; a pass among them is noted."""
    current = open_attempt(employee, exam)
    this_round = current_round(employee, exam)
    since = this_round.since if this_round else None
    best = best_result(employee.id, exam.id, since)
    left = attempts_left(employee, exam, since)
    locked = lock_reason(exam, employee, now) if current is None else None
    status, badge = _status(exam, best, current is not None and not current.is_overdue(now), locked)
    out = left == 0 and current is None and not (best and best.passed)
    can_start = current is not None or (not locked and (left is None or left > 0))
    return ExamRow(exam, status, badge, current.id if current else None, can_start, locked, out, left,
                   _earlier_note(employee, exam, this_round))
