"""Induction listens to org (hires, moves) and to the quiz engine (which exams, which to refuse)."""

from __future__ import annotations

from kb.signals import content_check_requested
from org.signals import employee_changed, employee_created
from training.induction.services.exam_gate import (
    on_attempt_starting,
    on_exam_locked,
    on_exam_round,
    on_exam_trainers,
    on_personal_exams,
)
from training.induction.services.inductions import on_employee_changed, on_employee_created
from training.induction.services.programmes import programmes_citing
from training.quiz.signals import attempt_starting, exam_locked, exam_round, exam_trainers, personal_exams


def connect_receivers() -> None:
    """A new hire or a change of team/position opens an induction; induction exams follow the levels;
    ``flask content check`` asks which programmes still teach a repealed document."""
    employee_created.connect(on_employee_created)
    employee_changed.connect(on_employee_changed)
    attempt_starting.connect(on_attempt_starting)
    personal_exams.connect(on_personal_exams)
    content_check_requested.connect(programmes_citing)
    exam_locked.connect(on_exam_locked)
    exam_trainers.connect(on_exam_trainers)
    exam_round.connect(on_exam_round)
