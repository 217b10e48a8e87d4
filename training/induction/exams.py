"""The few facts induction, assignments and records need from the quiz engine (training.quiz).

Kept behind these functions so the rest of this code does not depend on the quiz engine's internals.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class ExamOutcome:
    """An employee's best result in one exam."""

    score: float | None
    passed: bool
    at: datetime | None
    attempt_id: int | None = None


def _quiz_services() -> Any:
    try:
        from training.quiz import services
    except ImportError:  # the quiz engine is not installed in this build
        return None
    return services


def exam_outcome(employee_id: int, exam_id: int | None, pass_mark: int | None = None) -> ExamOutcome | None:
    """The best submitted attempt as an ExamOutcome (``pass_mark`` overrides the exam's own), or None."""
    services = _quiz_services()
    if exam_id is None or services is None or not hasattr(services, "best_result"):
        return None
    result = services.best_result(employee_id, exam_id)
    if result is None:
        return None
    score = _get(result, "score")
    passed = bool(_get(result, "passed"))
    if pass_mark is not None and score is not None:
        passed = float(score) >= pass_mark
    at = _get(result, "submitted_at") or _get(result, "at")
    return ExamOutcome(None if score is None else float(score), passed, at, _get(result, "id") or
                       _get(result, "attempt_id"))


def _get(result: Any, name: str) -> Any:
    if isinstance(result, dict):
        return result.get(name)
    return getattr(result, name, None)


def exam_choices() -> list[tuple[int, str]]:
    """(id, title) of every exam, for selects; empty when there is no quiz engine."""
    try:
        from training.quiz.models import Exam
    except ImportError:
        return []
    from sqlalchemy import select

    from core.extensions import db

    return [(e.id, e.title) for e in db.session.scalars(select(Exam).order_by(Exam.id))]


def exam_title(exam_id: int | None) -> str:
    """The exam's title, or ``#id`` when unknown."""
    if exam_id is None:
        return ""
    try:
        from training.quiz.models import Exam
    except ImportError:
        return f"#{exam_id}"
    from core.extensions import db

    exam = db.session.get(Exam, exam_id)
    return exam.title if exam is not None else f"#{exam_id}"


def exam_url(exam_id: int | None) -> str | None:
    """The quiz engine's page for taking the exam, or None when it is not available."""
    from flask import url_for
    from werkzeug.routing import BuildError

    if exam_id is None:
        return None
    try:
        return url_for("quiz.show_exam", exam_id=exam_id)
    except BuildError:
        return None
