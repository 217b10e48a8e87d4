"""三级安全教育登记卡: what an inspector reads on one A4 page — the unit, the person, each level's
dates, content, hours, 教育人, 考核人, 百分制 score and result, the 合计学时 and signature lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select

from core.clock import local_date
from core.extensions import db
from org.models import Employee
from training.induction.models import ClassroomAttendance, ClassroomSession, Level
from training.induction.services.annual_hours import AnnualHours, annual_hours, local_year
from training.induction.services.clearance import Clearance, clearance
from training.induction.services.history import paper_levels
from training.induction.services.progress import LevelProgress, induction_progress, inductions_of
from training.settings import get_setting


@dataclass
class CardLevel:
    """One row of the card."""

    label: str
    started: date | None
    finished: date | None
    content: list[str]
    hours: float
    required: float | None
    trainers: list[str]
    assessors: list[str]
    score: float | None
    result: str


@dataclass
class Card:
    company: str
    number: str
    employee: Employee
    title: str
    levels: list[CardLevel] = field(default_factory=list)
    cleared: bool = False
    annual: AnnualHours | None = None
    status: Clearance | None = None

    @property
    def total_hours(self) -> float:
        return round(sum(level.hours for level in self.levels), 2)


def _sessions(level_id: int) -> list[ClassroomSession]:
    return list(db.session.scalars(select(ClassroomSession).join(ClassroomAttendance).where(
        ClassroomAttendance.induction_level_id == level_id).order_by(ClassroomSession.held_on)))


def _result(lp: LevelProgress) -> str:
    if lp.complete:
        return "合格"
    if lp.exam_required and lp.exam is not None and not lp.exam_ok:
        return "不合格"
    return "未完成"


def _card_level(lp: LevelProgress) -> CardLevel:
    sessions = _sessions(lp.level.id)
    trainers = list(dict.fromkeys(s.trainer.name for s in sessions if s.trainer))
    signer = lp.level.signed_off_by.name if lp.level.signed_off_by else None
    assessors = [signer] if signer else ([] if lp.level.needs_sign_off else trainers[-1:])
    content = [i.document.title for i in lp.level.items] + [s.topic for s in sessions]
    finished = lp.completed_at
    return CardLevel(lp.level.level_label, local_date(lp.opened_at) if lp.opened_at else None,
                     local_date(finished) if finished else None, list(dict.fromkeys(content)), lp.hours,
                     lp.level.required_hours, trainers, assessors,
                     round(lp.exam.percent, 1) if lp.exam is not None else None, _result(lp))


def registration_card(employee: Employee, now: datetime) -> Card:
    """The person's card: their latest induction (or the paper record of a veteran), and the year's
    re-training hours."""
    inductions = inductions_of(employee)
    title = inductions[-1].reason_label if inductions else "纸质档案补录"
    card = Card(str(get_setting("company_name") or ""), f"SJ-{employee.emp_no}", employee, title,
                annual=annual_hours(employee, local_year(now)), status=clearance(employee))
    if inductions:
        progress = induction_progress(inductions[-1])
        card.levels = [_card_level(lp) for lp in progress.levels]
        card.cleared = progress.complete
        return card
    rows = paper_levels(employee)
    card.levels = [CardLevel(row.level_label, row.started_on, row.finished_on, [row.content], row.hours, None,
                             [row.trainer_name], [row.assessor_name], row.score, "合格" if row.passed else "不合格")
                   for row in rows]
    card.cleared = {r.level for r in rows if r.passed} == {lv.value for lv in Level}
    return card
