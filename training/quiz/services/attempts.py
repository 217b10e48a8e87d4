"""Attempts (答卷): start with a frozen snapshot, autosave with revisions, idempotent submit.

Every function takes ``now``; the client's clock is never consulted. Callers load the attempt
with :func:`lock_attempt` so that autosave and submit are serialised per attempt (row lock on
PostgreSQL; SQLite writing transactions already begin IMMEDIATE).
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from core.exceptions import DomainError
from core.extensions import db
from org.models import Employee
from training.quiz.models import (
    TRUE_FALSE_OPTIONS,
    Attempt,
    Exam,
    ExamGrant,
    Question,
    QuestionType,
    meets_pass_mark,
    option_label,
)
from training.quiz.permissions import may_sit_exam
from training.quiz.services.exam_setup import draw_questions
from training.quiz.services.scoring import score_attempt
from training.quiz.signals import attempt_starting, named_exam_ids, round_start


class StaleRevision(DomainError):
    """An autosave based on an old revision (a replay, another tab, a phone that slept)."""

    def __init__(self, attempt: Attempt) -> None:
        super().__init__("答案已在其他窗口或更早的请求中更新，已同步为最新保存的答案。")
        self.attempt = attempt


class AttemptClosed(DomainError):
    """The attempt is submitted (or its time is up); nothing more can be saved."""


def lock_attempt(attempt_id: int) -> Attempt | None:
    """Load an attempt for writing, locking its row (PostgreSQL) and refreshing stale state."""
    query = select(Attempt).where(Attempt.id == attempt_id).with_for_update()
    return db.session.scalar(query.execution_options(populate_existing=True))


class _CurrentRound:
    """Marker: count the person's current round of the exam, as the other rooms define it."""


CURRENT_ROUND = _CurrentRound()
Since = datetime | None | _CurrentRound


def _since(employee: Employee, exam: Exam, since: Since) -> datetime | None:
    return round_start(employee, exam) if isinstance(since, _CurrentRound) else since


def attempts_used(employee: Employee, exam: Exam, since: Since = CURRENT_ROUND) -> int:
    """Attempts ``employee`` started at ``exam`` in the current round (or since ``since``; None: ever).

    An exam of an induction level counts only the attempts started since that induction opened, the
    exam of a task only those since it was assigned: a person moved to a new team sits the new
    team's exam with its full number of attempts, without anyone granting 补考."""
    query = select(func.count(Attempt.id)).where(Attempt.employee_id == employee.id, Attempt.exam_id == exam.id)
    start = _since(employee, exam, since)
    if start is not None:
        query = query.where(Attempt.started_at >= start)
    return db.session.scalar(query) or 0


def extra_attempts(employee: Employee, exam: Exam, since: Since = CURRENT_ROUND) -> int:
    """补考: the extra attempts granted to ``employee`` at ``exam`` in the current round."""
    query = select(func.coalesce(func.sum(ExamGrant.extra_attempts), 0)).where(
        ExamGrant.employee_id == employee.id, ExamGrant.exam_id == exam.id)
    start = _since(employee, exam, since)
    if start is not None:
        query = query.where(ExamGrant.granted_at >= start)
    return int(db.session.scalar(query) or 0)


def attempts_allowed(employee: Employee, exam: Exam, since: Since = CURRENT_ROUND) -> int | None:
    """The exam's allowed attempts plus any 补考 granted to ``employee`` this round (None: unlimited)."""
    if not exam.max_attempts:
        return None
    return exam.max_attempts + extra_attempts(employee, exam, since)


def attempts_left(employee: Employee, exam: Exam, since: Since = CURRENT_ROUND) -> int | None:
    """How many more attempts ``employee`` may start this round (None: unlimited)."""
    start = _since(employee, exam, since)
    allowed = attempts_allowed(employee, exam, start)
    if allowed is None:
        return None
    return max(allowed - attempts_used(employee, exam, start), 0)


def _next_number(employee: Employee, exam: Exam) -> int:
    """The next attempt's number, over every round (unique per person and exam)."""
    query = select(func.max(Attempt.number)).where(Attempt.employee_id == employee.id, Attempt.exam_id == exam.id)
    return (db.session.scalar(query) or 0) + 1


def open_attempt(employee: Employee, exam: Exam) -> Attempt | None:
    """The employee's attempt at the exam that is still open (never a submitted one)."""
    query = select(Attempt).where(Attempt.employee_id == employee.id, Attempt.exam_id == exam.id,
                                  Attempt.open_slot == 1, Attempt.submitted_at.is_(None))
    return db.session.scalar(query)


def _release_stale_slot(employee: Employee, exam: Exam) -> None:
    """Free the open slot a submitted attempt still holds (rows stored before the slot had no
    default), so a new attempt can start instead of the old result coming back."""
    stale = db.session.scalars(select(Attempt).where(
        Attempt.employee_id == employee.id, Attempt.exam_id == exam.id, Attempt.open_slot == 1,
        Attempt.submitted_at.is_not(None))).all()
    for attempt in stale:
        attempt.open_slot = None
    if stale:
        db.session.flush()


def _token(used: set[str]) -> str:
    while (token := secrets.token_hex(5)) in used:
        pass
    used.add(token)
    return token


def _snapshot_item(question: Question, points: int, shuffle: bool, rng: random.Random,
                   used: set[str]) -> dict[str, Any]:
    texts = list(TRUE_FALSE_OPTIONS) if question.type == QuestionType.TRUEFALSE else list(question.options)
    options = [{"oid": _token(used), "text": text, "correct": index in question.answer}
               for index, text in enumerate(texts)]
    if shuffle and question.type != QuestionType.TRUEFALSE:
        rng.shuffle(options)
    document = question.source_document
    return {
        "iid": _token(used), "qid": question.id, "version": question.version, "type": question.type,
        "stem": question.stem, "points": points, "explanation": question.explanation,
        "source_document_id": question.source_document_id,
        "source_slug": document.slug if document else "", "source_title": document.title if document else "",
        "source_section": question.source_section, "options": options,
    }


def build_snapshot(exam: Exam, rng: random.Random) -> list[dict[str, Any]]:
    """The questions, option order and points as they will be served, frozen for the attempt."""
    pairs = draw_questions(exam, rng)
    if not pairs:
        raise DomainError("这场考试还没有题目，请联系安全管理部门。")
    if exam.shuffle_questions:
        rng.shuffle(pairs)
    used: set[str] = set()
    return [_snapshot_item(q, points, exam.shuffle_options, rng, used) for q, points in pairs]


def start_attempt(employee: Employee, exam: Exam, now: datetime, *, grace_seconds: int = 60,
                  rng: random.Random | None = None) -> Attempt:
    """Resume the open attempt or start a new one; never two open attempts, never past the limit."""
    current = open_attempt(employee, exam)
    if current is not None and current.is_overdue(now):
        submit_attempt(lock_attempt(current.id), now)
        current = None
    if current is not None:
        return current
    _release_stale_slot(employee, exam)
    if not exam.is_open(now) or not may_sit_exam(employee, exam, named_exam_ids(employee, now)):
        raise DomainError("这场考试现在不开放，或不面向您。")
    attempt_starting.send(exam, employee=employee, now=now)
    since = round_start(employee, exam)
    allowed = attempts_allowed(employee, exam, since)
    if allowed is not None and attempts_used(employee, exam, since) >= allowed:
        raise DomainError(f"您已用完这场考试的 {allowed} 次机会，请联系安全管理部门或培训负责人申请补考。")
    deadline = now + timedelta(minutes=exam.duration_minutes)
    if exam.closes_at is not None:
        deadline = min(deadline, exam.closes_at)
    attempt = Attempt(exam=exam, employee=employee, number=_next_number(employee, exam), open_slot=1,
                      started_at=now, deadline=deadline,
                      grace_seconds=grace_seconds, items=build_snapshot(exam, rng or random.SystemRandom()),
                      answers={}, partial_credit=exam.partial_credit, pass_percent=exam.pass_percent)
    attempt.total_points = float(sum(item["points"] for item in attempt.items))
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:
        # Another request started this attempt at the same instant: hand back that one.
        winner = open_attempt(employee, exam)
        if winner is None:
            raise DomainError("请稍后重试。") from None
        return winner
    return attempt


def _clean_choice(item: dict[str, Any], choice: list[str]) -> list[str]:
    valid = [option["oid"] for option in item["options"]]
    picked = [oid for oid in valid if oid in set(choice)]
    return picked if item["type"] == QuestionType.MULTIPLE else picked[:1]


@dataclass
class SaveResult:
    revision: int
    ignored: bool = False


def save_answer(attempt: Attempt, iid: str, choice: list[str], revision: int, now: datetime) -> SaveResult:
    """Autosave one answer if ``revision`` is the attempt's current one; stale posts raise."""
    if attempt.is_submitted:
        raise AttemptClosed("这份答卷已交卷，不能再修改。")
    if attempt.is_overdue(now):
        submit_attempt(attempt, now)
        raise AttemptClosed("考试时间已到，已按已保存的答案自动交卷。")
    if revision != attempt.revision:
        raise StaleRevision(attempt)
    item = next((item for item in attempt.items if item["iid"] == iid), None)
    if item is None:
        return SaveResult(attempt.revision, ignored=True)
    answers = dict(attempt.answers)
    answers[iid] = _clean_choice(item, choice)
    attempt.answers = answers
    attempt.revision += 1
    attempt.last_saved_at = now
    db.session.flush()
    return SaveResult(attempt.revision)


def _close(attempt: Attempt, finished: datetime, by_deadline: bool) -> None:
    score, per_item = score_attempt(attempt.items, attempt.answers, partial_credit=attempt.partial_credit)
    attempt.score = score
    attempt.item_scores = per_item
    attempt.passed = meets_pass_mark(score, attempt.total_points, attempt.pass_percent)
    attempt.submitted_at = finished
    attempt.closed_by_deadline = by_deadline
    attempt.open_slot = None


def submit_attempt(attempt: Attempt, now: datetime, *, answers: dict[str, list[str]] | None = None,
                   revision: int | None = None) -> Attempt:
    """Close and score the attempt exactly once; a repeat submit changes nothing.

    Within deadline + grace the page's answers are merged in (when based on the current
    revision); later, the attempt closes with the answers saved before time ran out.
    """
    if attempt.is_submitted:
        return attempt
    if attempt.is_overdue(now):
        _close(attempt, attempt.deadline, by_deadline=True)
    else:
        if answers and revision == attempt.revision:
            merged = dict(attempt.answers)
            for item in attempt.items:
                if item["iid"] in answers:
                    merged[item["iid"]] = _clean_choice(item, answers[item["iid"]])
            attempt.answers = merged
        _close(attempt, now, by_deadline=False)
    db.session.flush()
    return attempt


def close_overdue_attempts(now: datetime, employee: Employee | None = None) -> int:
    """Close every open attempt whose deadline + grace has passed (score saved answers)."""
    query = select(Attempt.id).where(Attempt.open_slot == 1, Attempt.deadline < now)
    if employee is not None:
        query = query.where(Attempt.employee_id == employee.id)
    closed = 0
    for attempt_id in db.session.scalars(query).all():
        attempt = lock_attempt(attempt_id)
        if attempt is not None and attempt.is_overdue(now):
            submit_attempt(attempt, now)
            closed += 1
    return closed


@dataclass
class ServedOption:
    oid: str
    text: str
    letter: str


@dataclass
class ServedItem:
    """What the examinee's page may show of a snapshot item: no key, no correctness."""

    iid: str
    number: int
    type: str
    stem: str
    points: float
    options: list[ServedOption]
    chosen: list[str] = field(default_factory=list)

    @property
    def type_label(self) -> str:
        return QuestionType(self.type).label

    @property
    def input_type(self) -> str:
        return "checkbox" if self.type == QuestionType.MULTIPLE else "radio"


def served_items(attempt: Attempt) -> list[ServedItem]:
    """The attempt's questions as they may be sent to the browser during the attempt."""
    return [
        ServedItem(iid=item["iid"], number=n, type=item["type"], stem=item["stem"], points=item["points"],
                   options=[ServedOption(o["oid"], option_label(item["type"], o["text"]), chr(65 + i))
                            for i, o in enumerate(item["options"])],
                   chosen=list(attempt.answers.get(item["iid"], [])))
        for n, item in enumerate(attempt.items, 1)
    ]
