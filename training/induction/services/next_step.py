"""下一步 for a person in induction: the one thing to do now, and a three-level stepper saying, per
level, what is done, what is missing, who records classroom hours and who signs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask import url_for

from core.extensions import db
from org.models import Employee
from training.induction.models import Level
from training.induction.services.progress import InductionProgress, LevelProgress
from training.induction.services.trainer import safety_department, trainers_of
from training.quiz.models import Exam
from training.quiz.services.attempts import attempts_left, open_attempt
from training.quiz.services.retakes import whom_to_ask
from training.settings import get_setting


@dataclass
class LevelStep:
    """One level of the stepper."""

    progress: LevelProgress
    state: str  # done / current / locked
    done: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    recorders: list[str] = field(default_factory=list)
    signers: list[str] = field(default_factory=list)
    hours_note: str = ""


@dataclass
class NextStep:
    """The large 下一步 card: what to do, why, and the button (or whom the person waits for)."""

    title: str
    detail: str
    url: str | None = None
    button: str = ""
    waiting: bool = False


def _names(people: list[Employee]) -> list[str]:
    return [p.name for p in people]


def _who_records(employee: Employee, level: Level) -> list[str]:
    people = trainers_of(employee, level) if level is not Level.COMPANY else []
    return _names(people) or [f"{n}（安全管理部门）" for n in _names(safety_department()[:2])] or ["安全管理部门"]


def _hours_note(lp: LevelProgress) -> str:
    """Company level: 8 学时 needed while the items total far less — say where the rest comes from."""
    per_hour = float(get_setting("minutes_per_hour")) or 45.0
    study_hours = sum(i.expected_minutes for i in lp.level.items) / per_hour
    rest = lp.level.required_hours - study_hours
    if rest <= 0.05:
        return ""
    return (f"本级需 {lp.level.required_hours:g} 学时：自学资料约 {study_hours:.1f} 学时，"
            f"其余约 {rest:.1f} 学时来自集中授课（由下列人员登记）。")


def _level_step(employee: Employee, lp: LevelProgress, state: str) -> LevelStep:
    level = Level(lp.level.level)
    step = LevelStep(lp, state, recorders=_who_records(employee, level), hours_note=_hours_note(lp))
    if lp.level.needs_sign_off:
        step.signers = _names(trainers_of(employee, level)) or ["（未设负责人，请联系安全管理部门）"]
    step.done = [text for ok, text in (
        (lp.items_total and lp.items_ok, f"学习资料 {lp.items_done}/{lp.items_total}"),
        (lp.hours_ok, f"学时 {lp.hours:g}/{lp.level.required_hours:g}"),
        (lp.exam_required and lp.exam_ok, "考试已通过"),
        (lp.level.needs_sign_off and lp.signed_off, "已签字确认"),
    ) if ok]
    step.missing = [] if lp.complete else [m for m in lp.missing if m != "须先完成上一级培训"]
    return step


def stepper(employee: Employee, progress: InductionProgress) -> list[LevelStep]:
    """Every level of the induction with its state, in order."""
    current = progress.current
    return [_level_step(employee, lp, "done" if lp.complete else ("current" if lp is current else "locked"))
            for lp in progress.levels]


def _exam_step(employee: Employee, lp: LevelProgress, now: datetime) -> NextStep | None:
    exam = db.session.get(Exam, lp.level.exam_id)
    if exam is None:
        return None
    label = lp.level.level_label
    url = url_for("quiz.show_exam", exam_id=exam.id)
    if open_attempt(employee, exam) is not None:
        return NextStep(f"继续{label}考试", "您有一份未交卷的答卷。", url, "继续作答")
    left = attempts_left(employee, exam)
    if left == 0:
        return NextStep(f"{label}考试需要补考", f"考试次数已用完。请联系：{'、'.join(whom_to_ask(exam, employee))}。",
                        url, "查看考试", waiting=True)
    chances = "" if left is None else f"还有 {left} 次机会，"
    return NextStep(f"参加{label}考试", f"{exam.title}：{exam.question_count} 题，{exam.duration_minutes} 分钟，"
                    f"{chances}及格线 {exam.pass_percent:g} 分（百分制）。", url, "去考试")


def next_step(employee: Employee, progress: InductionProgress, now: datetime) -> NextStep | None:
    """The one thing to do now in the current level (None once every level is complete)."""
    lp = progress.current
    if lp is None:
        return None
    label = lp.level.level_label
    pending = [i for i in lp.level.items if i.done_at is None]
    if pending:
        item = pending[0]
        number = lp.items_done + 1
        return NextStep(f"学习：{item.document.title}", f"{label}第 {number}/{lp.items_total} 项，预计 "
                        f"{item.expected_minutes} 分钟；读完在文末点“确认已学习”。",
                        url_for("induction.study_document", document_id=item.document_id, item=item.id), "开始学习")
    if not lp.exam_ok:
        step = _exam_step(employee, lp, now)
        if step is not None:
            return step
    if not lp.hours_ok:
        who = "、".join(_who_records(employee, Level(lp.level.level)))
        return NextStep(f"参加{label}集中授课", f"还差 {lp.level.required_hours - lp.hours:g} 学时，"
                        f"由 {who} 登记授课学时。", waiting=True)
    who = "、".join(_names(trainers_of(employee, Level(lp.level.level)))) or "培训负责人"
    return NextStep(f"等待{label}签字确认", f"学习、学时和考试都已完成，请 {who} 签字确认。", waiting=True)
