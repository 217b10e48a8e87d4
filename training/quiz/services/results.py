"""Results: each employee's best result per exam, every result, the review of an attempt, 错题本.

``AttemptResult`` is the one shape in which results leave the quiz engine: induction levels,
tasks and records judge and show it (``exam_outcome`` applies another pass mark when a level
sets its own).
"""

from __future__ import annotations

from collections.abc import Iterable
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


RESULT_COLUMNS = (Attempt.id, Attempt.exam_id, Attempt.employee_id, Attempt.score, Attempt.total_points,
                  Attempt.passed, Attempt.started_at, Attempt.submitted_at, Attempt.pass_percent)


def _result_of_row(row: Any) -> AttemptResult:
    return AttemptResult(row.id, row.exam_id, row.employee_id, row.score or 0.0, row.total_points, bool(row.passed),
                         row.started_at, row.submitted_at, row.pass_percent)


Wanted = tuple[int, int | None, datetime | None]  # (employee id, exam id, started since)


def best_results(wanted: Iterable[Wanted]) -> dict[Wanted, AttemptResult]:
    """The best submitted attempt per (employee id, exam id, started since) — as ``best_result``
    gives for one — for any number of them in one query."""
    since_by_pair: dict[tuple[int, int], set[datetime | None]] = {}
    for employee_id, exam_id, since in wanted:
        if exam_id is not None:
            since_by_pair.setdefault((employee_id, exam_id), set()).add(since)
    if not since_by_pair:
        return {}
    query = (select(*RESULT_COLUMNS)
             .where(Attempt.employee_id.in_({e for e, _x in since_by_pair}),
                    Attempt.exam_id.in_({x for _e, x in since_by_pair}), Attempt.submitted_at.is_not(None))
             .order_by(Attempt.score.desc(), Attempt.submitted_at, Attempt.id))
    best: dict[Wanted, AttemptResult] = {}
    for row in db.session.execute(query):
        for since in since_by_pair.get((row.employee_id, row.exam_id), ()):
            key = (row.employee_id, row.exam_id, since)
            if key not in best and (since is None or row.started_at >= since):
                best[key] = _result_of_row(row)
    return best


def results_for_many(employee_ids: Iterable[int]) -> dict[int, list[AttemptResult]]:
    """Every submitted attempt of each employee, newest first, in one query."""
    ids = set(employee_ids)
    found: dict[int, list[AttemptResult]] = {eid: [] for eid in ids}
    if not ids:
        return found
    query = (select(*RESULT_COLUMNS).where(Attempt.employee_id.in_(ids), Attempt.submitted_at.is_not(None))
             .order_by(Attempt.submitted_at.desc(), Attempt.id.desc()))
    for row in db.session.execute(query):
        found[row.employee_id].append(_result_of_row(row))
    return found


def judged(result: AttemptResult | None, pass_mark: float | None) -> AttemptResult | None:
    """``result`` with ``passed`` judged against ``pass_mark`` (a 及格线 in %) when one is given."""
    if result is None or pass_mark is None:
        return result
    return replace(result, passed=meets_pass_mark(result.score, result.total_points, pass_mark),
                   pass_percent=float(pass_mark))


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


def earlier_pass(employee_id: int, exam_id: int, before: datetime) -> AttemptResult | None:
    """The latest passed attempt started before ``before`` (an earlier round): shown in the
    history, never counted for the current round."""
    query = (select(Attempt)
             .where(Attempt.employee_id == employee_id, Attempt.exam_id == exam_id, Attempt.passed.is_(True),
                    Attempt.submitted_at.is_not(None), Attempt.started_at < before)
             .order_by(Attempt.submitted_at.desc(), Attempt.id.desc()).limit(1))
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
    return judged(best_result(employee_id, exam_id, started_since), pass_mark)


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
