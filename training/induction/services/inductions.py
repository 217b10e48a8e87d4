"""Opening inductions (三级安全教育): at hire, after a change of team or position, after a long absence.

Services flush; the caller commits.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from core.audit import audit_action
from core.clock import today
from core.exceptions import DomainError, NotAllowed
from core.extensions import db
from kb.models import Document
from kb.services.reading import hazard_lists_for_team, procedures_for_position
from org.models import Employee, EmployeeStatus
from training.induction.models import Absence, Induction, InductionLevel, InductionReason, Level, LevelItem, Programme
from training.induction.permissions import may_record_absence
from training.induction.services.progress import induction_progress, inductions_of
from training.settings import get_setting, level_hours


def _programme_for(level: Level, employee: Employee) -> Programme | None:
    """The most specific active programme: department + position, then department, then company-wide."""
    rows = db.session.scalars(select(Programme).where(Programme.level == level, Programme.active)).all()

    def rank(p: Programme) -> int | None:
        if p.department_id not in (None, employee.department_id):
            return None
        if p.position_id not in (None, employee.position_id):
            return None
        return (p.department_id is not None) * 2 + (p.position_id is not None)

    ranked = [(rank(p), p.id, p) for p in rows if rank(p) is not None]
    return max(ranked, key=lambda t: (t[0], t[1]))[2] if ranked else None


def team_level_documents(employee: Employee) -> list[tuple[Document, str]]:
    """The procedures of the person's position and their team's hazard list (always at team level)."""
    procedures = procedures_for_position(employee.position_id)
    hazard_lists = hazard_lists_for_team(employee.team_id)
    return [(d, "procedure") for d in procedures] + [(d, "hazard_list") for d in hazard_lists]


def _build_level(employee: Employee, level: Level, hours: float) -> InductionLevel:
    programme = _programme_for(level, employee)
    row = InductionLevel(level=level, order=level.index, required_hours=hours)
    seen: set[int] = set()
    default_minutes = int(get_setting("default_expected_minutes"))
    entries: list[tuple[Document, int, str]] = []
    if programme is not None:
        row.required_hours = programme.hours if programme.hours is not None else hours
        row.exam_id, row.pass_mark = programme.exam_id, programme.pass_mark
        entries += [(i.document, i.expected_minutes, "programme") for i in programme.items]
    if level is Level.TEAM:
        entries += [(d, default_minutes, source) for d, source in team_level_documents(employee)]
    for position, (document, minutes, source) in enumerate(entries):
        if document.id not in seen and document.is_published:
            seen.add(document.id)
            row.items.append(LevelItem(document=document, expected_minutes=minutes, position=position,
                                       source=source))
    return row


def _company_level_done(employee: Employee) -> bool:
    for induction in inductions_of(employee):
        progress = induction_progress(induction)
        if any(lp.level.level == Level.COMPANY and lp.complete for lp in progress.levels):
            return True
    return False


def open_induction(employee: Employee, reason: InductionReason, now: datetime, note: str = "") -> Induction:
    """Open an induction: all three levels at hire; department and team levels for re-training
    (plus the company level if it was never completed)."""
    levels = list(Level)
    if reason is not InductionReason.NEW_HIRE and _company_level_done(employee):
        levels = [Level.DEPARTMENT, Level.TEAM]
    hours = dict(zip(Level, level_hours(), strict=True))
    induction = Induction(employee=employee, reason=reason, opened_at=now, department_id=employee.department_id,
                          team_id=employee.team_id, position_id=employee.position_id, note=note[:200])
    induction.levels = [_build_level(employee, level, hours[level]) for level in levels]
    db.session.add(induction)
    db.session.flush()
    return induction


def is_recent_hire(employee: Employee, now: datetime) -> bool:
    if employee.hire_date is None or employee.status != EmployeeStatus.IN_POST:
        return False
    return (today(now) - employee.hire_date).days <= int(get_setting("new_hire_days"))


def on_employee_created(employee: Employee, now: datetime, **_: object) -> None:
    """A new hire's induction opens automatically."""
    if is_recent_hire(employee, now) and not inductions_of(employee):
        open_induction(employee, InductionReason.NEW_HIRE, now)


def on_employee_changed(employee: Employee, now: datetime, changes: dict | None = None, **_: object) -> None:
    """A change of team or position re-opens department- and team-level training."""
    changes = changes or {}
    if employee.status != EmployeeStatus.IN_POST:
        return
    moved = [k for k in ("team", "position") if k in changes]
    if moved:
        what = "；".join(f"{'班组' if k == 'team' else '岗位'}：{changes[k][0] or '无'} → {changes[k][1] or '无'}"
                        for k in moved)
        open_induction(employee, InductionReason.JOB_CHANGE, now, note=what)
    elif "hire_date" in changes and is_recent_hire(employee, now) and not inductions_of(employee):
        open_induction(employee, InductionReason.NEW_HIRE, now)


def record_absence(actor: Employee, employee: Employee, left_on: date, returned_on: date | None,
                   reason: str, now: datetime) -> Induction | None:
    """Record 离岗/返岗; a return after ≥ the threshold (default 365 days) re-opens training."""
    if not may_record_absence(actor):
        raise NotAllowed("只有安全管理部门或系统管理员可以登记离岗/返岗。")
    if returned_on is not None and returned_on < left_on:
        raise DomainError("返岗日期不能早于离岗日期。", field="returned_on")
    if left_on > today(now):
        raise DomainError("离岗日期不能晚于今天。", field="left_on")
    db.session.add(Absence(employee=employee, left_on=left_on, returned_on=returned_on, reason=reason[:120],
                           recorded_by_id=actor.id, created_at=now))
    audit_action("training.absence", actor=actor, now=now, target=employee.emp_no)
    db.session.flush()
    days = int(get_setting("absence_days"))
    if returned_on is not None and (returned_on - left_on).days >= days:
        return open_induction(employee, InductionReason.RETURN, now,
                              note=f"离岗 {left_on.isoformat()} 至 {returned_on.isoformat()}")
    return None
