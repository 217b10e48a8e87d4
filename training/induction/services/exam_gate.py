"""Induction's answers to the quiz engine's signals: which exams a person should see, which to refuse,
who answers for a level's exam (补考), and why an exam is still locked."""

from __future__ import annotations

from datetime import datetime

from core.exceptions import DomainError
from org.models import Employee
from training.induction.models import Induction, InductionLevel, Level
from training.induction.services.progress import (
    LevelProgress,
    current_induction,
    induction_progress,
    inductions_of,
)
from training.induction.services.trainer import trainers_of
from training.quiz.signals import ExamRound


def on_personal_exams(employee: Employee, *, now: datetime, finished: bool = False) -> list[int]:
    """Quiz signal receiver: the exams of this person's unlocked, unfinished induction levels
    (with ``finished``: of every level of every induction they have had)."""
    if finished:
        return [level.exam_id for induction in inductions_of(employee) for level in induction.levels
                if level.exam_id]
    induction = current_induction(employee)
    if induction is None:
        return []
    return [lp.level.exam_id for lp in induction_progress(induction).levels
            if lp.level.exam_id and lp.unlocked and not lp.complete]


def on_attempt_starting(exam, *, employee: Employee, now: datetime) -> None:
    """Quiz signal receiver: refuse an induction exam whose level is still locked."""
    check_exam_allowed(employee, exam.id)


def _level_of_exam(employee: Employee, exam_id: int) -> LevelProgress | None:
    """The current induction's unfinished level whose exam is ``exam_id``."""
    induction = current_induction(employee)
    if induction is None:
        return None
    return next((lp for lp in induction_progress(induction).levels
                 if lp.level.exam_id == exam_id and not lp.complete), None)


def lock_message(lp: LevelProgress) -> str | None:
    """Why this level's exam cannot be sat yet: an earlier level unfinished, or (先学后考) its own study
    items not yet confirmed; None when it can."""
    if not lp.unlocked:
        before = [p.level.level_label for p in induction_progress(lp.level.induction).levels
                  if p.level.order < lp.level.order and not p.complete]
        return f"请先完成{'、'.join(before)}培训，再参加{lp.level.level_label}考试。"
    if not lp.items_ok:
        return (f"先学后考：请先学完{lp.level.level_label}的学习资料（已完成 {lp.items_done}/{lp.items_total} 项），"
                "再参加考试。")
    return None


def check_exam_allowed(employee: Employee, exam_id: int) -> None:
    """For the quiz engine: raise when ``exam_id`` is the exam of a level not yet open to ``employee``."""
    lp = _level_of_exam(employee, exam_id)
    message = lock_message(lp) if lp is not None else None
    if message:
        raise DomainError(message)


def on_exam_locked(exam, *, employee: Employee, now: datetime) -> str | None:
    """Quiz signal receiver: why this induction exam cannot be started yet (shown instead of 开始考试)."""
    lp = _level_of_exam(employee, exam.id)
    return lock_message(lp) if lp is not None else None


def on_exam_trainers(exam, *, employee: Employee) -> list[Employee]:
    """Quiz signal receiver: the trainers of the level this exam belongs to (they may grant 补考)."""
    lp = _level_of_exam(employee, exam.id)
    return trainers_of(employee, Level(lp.level.level)) if lp is not None else []


def on_exam_round(exam, *, employee: Employee) -> ExamRound | None:
    """Quiz signal receiver: an exam of a level of the current induction counts only attempts started
    since that induction opened (the same rule the level's progress applies)."""
    inductions = inductions_of(employee)
    if not inductions:
        return None
    induction = inductions[-1]
    level = next((lv for lv in induction.levels if lv.exam_id == exam.id), None)
    if level is None:
        return None
    previous = inductions[-2] if len(inductions) > 1 else None
    return ExamRound(induction.opened_at, _earlier_label(induction, previous, level))


def _earlier_label(induction: Induction, previous: Induction | None, level: InductionLevel) -> str:
    """What an attempt from before this induction belonged to, in the person's words."""
    if previous is None:
        return "本轮培训开始前"
    if level.level == Level.TEAM and previous.team is not None and previous.team_id != induction.team_id:
        return f"原班组：{previous.team.name}"
    if level.level == Level.DEPARTMENT and previous.department_id != induction.department_id:
        return f"原部门：{previous.department.name}"
    return f"上一轮培训（{previous.reason_label}）"
