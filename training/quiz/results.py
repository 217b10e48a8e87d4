"""Results: best result per exam (public API), review visibility, 错题本 (wrong-answer book).

Public API for induction, assignments and records (other training modules import these):

- ``best_result(employee_id, exam_id) -> AttemptResult | None`` — the best submitted attempt
  (highest score, then earliest), or None if the employee never finished one.
- ``results_for(employee_id) -> list[AttemptResult]`` — every submitted attempt, newest first.
- ``training.quiz.exams.exams_open_to(employee, now) -> list[Exam]``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from core.extensions import db
from org.models import Employee
from org.roles import Role
from training.quiz.models import Attempt, ReviewPolicy


@dataclass(frozen=True)
class AttemptResult:
    """The recorded outcome of one submitted attempt."""

    attempt_id: int
    exam_id: int
    employee_id: int
    score: float
    total_points: float
    passed: bool
    started_at: datetime
    submitted_at: datetime

    @classmethod
    def of(cls, attempt: Attempt) -> AttemptResult:
        return cls(attempt.id, attempt.exam_id, attempt.employee_id, attempt.score or 0.0,
                   attempt.total_points, bool(attempt.passed), attempt.started_at, attempt.submitted_at)


def best_result(employee_id: int, exam_id: int) -> AttemptResult | None:
    """The employee's best submitted attempt at the exam (highest score, earliest on a tie)."""
    query = (select(Attempt)
             .where(Attempt.employee_id == employee_id, Attempt.exam_id == exam_id,
                    Attempt.submitted_at.is_not(None))
             .order_by(Attempt.score.desc(), Attempt.submitted_at, Attempt.id).limit(1))
    attempt = db.session.scalar(query)
    return AttemptResult.of(attempt) if attempt else None


def results_for(employee_id: int) -> list[AttemptResult]:
    """Every submitted attempt of the employee, newest first."""
    query = (select(Attempt).where(Attempt.employee_id == employee_id, Attempt.submitted_at.is_not(None))
             .order_by(Attempt.submitted_at.desc(), Attempt.id.desc()))
    return [AttemptResult.of(a) for a in db.session.scalars(query)]


def may_see_score(attempt: Attempt, viewer: Employee) -> bool:
    """The examinee sees the score unless the policy hides it; managers in scope always do."""
    if not attempt.is_submitted:
        return False
    if viewer.id != attempt.employee_id:
        return True
    return attempt.exam.review_policy != ReviewPolicy.NOTHING


def may_see_answers(attempt: Attempt, viewer: Employee, now: datetime) -> bool:
    """Correct answers and explanations: per review policy (the safety department always)."""
    if not attempt.is_submitted:
        return False
    if viewer.has_role(Role.SAFETY_DEPT):
        return True
    policy = attempt.exam.review_policy
    if policy == ReviewPolicy.ANSWERS:
        return True
    return policy == ReviewPolicy.ANSWERS_AFTER_CLOSE and attempt.exam.is_closed(now)


@dataclass
class ReviewItem:
    number: int
    item: dict[str, Any]
    chosen: list[str]
    earned: float

    @property
    def is_right(self) -> bool:
        return self.earned >= float(self.item["points"])

    @property
    def is_partial(self) -> bool:
        return 0 < self.earned < float(self.item["points"])

    @property
    def correct_letters(self) -> str:
        return "".join(chr(65 + i) for i, o in enumerate(self.item["options"]) if o["correct"])

    @property
    def chosen_letters(self) -> str:
        return "".join(chr(65 + i) for i, o in enumerate(self.item["options"]) if o["oid"] in self.chosen) or "未答"


def review_items(attempt: Attempt) -> list[ReviewItem]:
    """The snapshot with the examinee's choices and the points earned (only once reviewable)."""
    return [ReviewItem(n, item, list(attempt.answers.get(item["iid"], [])),
                       float(attempt.item_scores.get(item["iid"], 0.0)))
            for n, item in enumerate(attempt.items, 1)]


@dataclass
class Mistake:
    """One question in the 错题本, as last answered wrongly (the version the employee saw)."""

    question_id: int
    review: ReviewItem
    attempt: Attempt


def mistakes_for(employee: Employee, now: datetime) -> list[Mistake]:
    """Questions whose latest reviewable answer by ``employee`` was wrong, newest first."""
    query = (select(Attempt).where(Attempt.employee_id == employee.id, Attempt.submitted_at.is_not(None))
             .order_by(Attempt.submitted_at.desc(), Attempt.id.desc()))
    seen: set[int] = set()
    mistakes: list[Mistake] = []
    for attempt in db.session.scalars(query):
        if not may_see_answers(attempt, employee, now):
            continue
        for review in review_items(attempt):
            qid = review.item["qid"]
            if qid in seen:
                continue
            seen.add(qid)
            if not review.is_right:
                mistakes.append(Mistake(qid, review, attempt))
    return mistakes


@dataclass
class ExamRow:
    """One line of 我的考试: an exam open to the employee and where they stand."""

    exam: Any
    status: str
    badge: str
    open_attempt_id: int | None
    can_start: bool


def my_exam_rows(employee: Employee, now: datetime) -> list[ExamRow]:
    """Exams open to ``employee`` at ``now`` with a status each (进行中/已通过/未通过/未参加)."""
    from training.quiz.attempts import attempts_left, open_attempt
    from training.quiz.exams import exams_open_to

    rows = []
    for exam in exams_open_to(employee, now):
        current = open_attempt(employee, exam)
        best = best_result(employee.id, exam.id)
        left = attempts_left(employee, exam)
        if current is not None and not current.is_overdue(now):
            status, badge = "进行中", "warn"
        elif best is None:
            status, badge = "未参加", "info"
        elif exam.review_policy == ReviewPolicy.NOTHING:
            status, badge = "已交卷", "info"
        else:
            status, badge = ("已通过", "ok") if best.passed else ("未通过", "bad")
        can_start = current is not None or left is None or left > 0
        rows.append(ExamRow(exam, status, badge, current.id if current else None, can_start))
    return rows
