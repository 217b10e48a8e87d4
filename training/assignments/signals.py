"""Assignments listen to kb (a procedure's new revision means re-study) and to the quiz engine (task exams)."""

from __future__ import annotations

from kb.signals import revision_published
from training.assignments.services import on_exam_round, on_personal_exams, on_revision_published
from training.quiz.signals import exam_round, personal_exams


def connect_receivers() -> None:
    """Re-study on a procedure's new revision; an open task's exam shows in 我的考试
    and counts only attempts since the task was assigned."""
    revision_published.connect(on_revision_published)
    personal_exams.connect(on_personal_exams)
    exam_round.connect(on_exam_round)
