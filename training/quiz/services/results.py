"""Results: each employee's best result per exam, every result, the review of an attempt, 错题本.

``AttemptResult`` is the one shape in which results leave the quiz engine: induction levels,
tasks and records judge and show it (``exam_outcome`` applies another pass mark when a level
sets its own).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select

from core.extensions import db
from org.models import Employee
from training.quiz.models import Attempt, Exam, meets_pass_mark, to_percent
from training.quiz.permissions import may_see_answers
from training.quiz.signals import named_exam_ids


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
    pass_percent: float = 60

    @property
    def percent(self) -> float:
        """The score on the 百分制 scale."""
        return to_percent(self.score, self.total_points) or 0.0

    @classmethod
    def of(cls, attempt: Attempt) -> AttemptResult:
        return cls(attempt.id, attempt.exam_id, attempt.employee_id, attempt.score or 0.0,
                   attempt.total_points, bool(attempt.passed), attempt.started_at, attempt.submitted_at,
                   attempt.pass_percent)


def best_result(employee_id: int, exam_id: int, started_since: datetime | None = None) -> AttemptResult | None:
    """The employee's best submitted attempt at the exam (highest score, earliest on a tie);
    with ``started_since``, only attempts started at or after that instant count."""
    query = (select(Attempt)
             .where(Attempt.employee_id == employee_id, Attempt.exam_id == exam_id,
                    Attempt.submitted_at.is_not(None))
             .order_by(Attempt.score.desc(), Attempt.submitted_at, Attempt.id).limit(1))
    if started_since is not None:
        query = query.where(Attempt.started_at >= started_since)
    attempt = db.session.scalar(query)
    return AttemptResult.of(attempt) if attempt else None


def results_for(employee_id: int) -> list[AttemptResult]:
    """Every submitted attempt of the employee, newest first."""
    query = (select(Attempt).where(Attempt.employee_id == employee_id, Attempt.submitted_at.is_not(None))
             .order_by(Attempt.submitted_at.desc(), Attempt.id.desc()))
    return [AttemptResult.of(a) for a in db.session.scalars(query)]


def exam_outcome(employee_id: int, exam_id: int | None, pass_mark: float | None = None,
                 started_since: datetime | None = None) -> AttemptResult | None:
    """The best submitted attempt (started at or after ``started_since``, when given), ``passed``
    judged against ``pass_mark`` (a 及格线 in %) when one is given."""
    if exam_id is None:
        return None
    result = best_result(employee_id, exam_id, started_since)
    if result is None or pass_mark is None:
        return result
    return replace(result, passed=meets_pass_mark(result.score, result.total_points, pass_mark),
                   pass_percent=float(pass_mark))


def exam_title(exam_id: int | None) -> str:
    """The exam's title, or ``#id`` when it no longer exists."""
    if exam_id is None:
        return ""
    exam = db.session.get(Exam, exam_id)
    return exam.title if exam is not None else f"#{exam_id}"


def exam_choices() -> list[tuple[int, str]]:
    """(id, title) of every exam, for selects."""
    return [(e.id, e.title) for e in db.session.scalars(select(Exam).order_by(Exam.id))]


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
    named = named_exam_ids(employee, now, finished=True)
    for attempt in db.session.scalars(query):
        if not may_see_answers(attempt, employee, now, named):
            continue
        for review in review_items(attempt):
            qid = review.item["qid"]
            if qid in seen:
                continue
            seen.add(qid)
            if not review.is_right:
                mistakes.append(Mistake(qid, review, attempt))
    return mistakes
