"""Induction's answers to the quiz engine's signals: which exams a person should see, which to refuse."""

from __future__ import annotations

from datetime import datetime

from core.exceptions import DomainError
from org.models import Employee
from training.induction.services.progress import current_induction, induction_progress


def on_personal_exams(employee: Employee, *, now: datetime) -> list[int]:
    """Quiz signal receiver: the exams of this person's unlocked, unfinished induction levels."""
    induction = current_induction(employee)
    if induction is None:
        return []
    return [lp.level.exam_id for lp in induction_progress(induction).levels
            if lp.level.exam_id and lp.unlocked and not lp.complete]


def on_attempt_starting(exam, *, employee: Employee, now: datetime) -> None:
    """Quiz signal receiver: refuse an induction exam whose level is still locked."""
    check_exam_allowed(employee, exam.id)


def check_exam_allowed(employee: Employee, exam_id: int) -> None:
    """For the quiz engine: raise when ``exam_id`` is the exam of a level still locked for ``employee``."""
    induction = current_induction(employee)
    if induction is None:
        return
    for lp in induction_progress(induction).levels:
        if lp.level.exam_id == exam_id and not lp.complete:
            if not lp.unlocked:
                raise DomainError(f"请先完成上一级培训，再参加{lp.level.level_label}考试。")
            return

