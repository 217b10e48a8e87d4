"""历史记录补录: trainers enter the paper three-level records of people hired before the system,
so veterans count as cleared (准许上岗) and the dashboards are true. Services flush; callers commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from core.audit import audit_action
from core.clock import today
from core.exceptions import DomainError, NotAllowed
from core.extensions import db
from org.models import Employee
from training.induction.models import Level, PaperLevel
from training.induction.permissions import may_record_history


@dataclass
class PaperLevelData:
    """One level as written on the paper card."""

    level: Level
    started_on: date
    finished_on: date
    hours: float
    content: str
    passed: bool
    trainer_name: str
    assessor_name: str
    score: float | None = None


def paper_levels(employee: Employee) -> list[PaperLevel]:
    """The employee's paper records, company → department → team."""
    rows = db.session.scalars(select(PaperLevel).where(PaperLevel.employee_id == employee.id)).all()
    return sorted(rows, key=lambda row: Level(row.level).index)


def paper_complete(employee: Employee) -> bool:
    """True when the paper records cover all three levels, each passed."""
    rows = paper_levels(employee)
    return {row.level for row in rows if row.passed} == {level.value for level in Level}


def paper_complete_many(employee_ids: list[int]) -> dict[int, bool]:
    """paper_complete for each employee id, in one query."""
    passed: dict[int, set[str]] = {eid: set() for eid in employee_ids}
    if employee_ids:
        for row in db.session.execute(select(PaperLevel.employee_id, PaperLevel.level).where(
                PaperLevel.employee_id.in_(employee_ids), PaperLevel.passed.is_(True))):
            passed[row.employee_id].add(row.level)
    every = {level.value for level in Level}
    return {eid: levels == every for eid, levels in passed.items()}


def _check(employee: Employee, data: PaperLevelData, now: datetime) -> None:
    label = data.level.label
    if data.finished_on < data.started_on:
        raise DomainError(f"{label}：结束日期不能早于开始日期。", field=f"{data.level}-finished_on")
    if data.finished_on > today(now):
        raise DomainError(f"{label}：结束日期不能晚于今天。", field=f"{data.level}-finished_on")
    if employee.hire_date is not None and data.started_on < employee.hire_date - timedelta(days=366):
        raise DomainError(f"{label}：开始日期早于入职日期一年以上，请核对。", field=f"{data.level}-started_on")
    if not 0 < data.hours <= 200:
        raise DomainError(f"{label}：学时须大于 0 且不超过 200。", field=f"{data.level}-hours")
    if data.score is not None and not 0 <= data.score <= 100:
        raise DomainError(f"{label}：成绩按百分制填写，0–100。", field=f"{data.level}-score")
    for value, what in ((data.content, "教育内容"), (data.trainer_name, "教育人"), (data.assessor_name, "考核人")):
        if not value.strip():
            raise DomainError(f"{label}：请填写{what}（照纸质登记卡）。", field=f"{data.level}-content")


def record_paper_induction(actor: Employee, employee: Employee, levels: list[PaperLevelData],
                           now: datetime) -> list[PaperLevel]:
    """Record (or correct) the paper three-level records of a person hired before the system."""
    if not may_record_history(actor, employee):
        raise NotAllowed("只有安全管理部门或本部门安全员可以补录历史三级教育记录。")
    if not levels:
        raise DomainError("请至少填写一级教育记录。")
    existing = {row.level: row for row in paper_levels(employee)}
    saved = []
    for data in levels:
        _check(employee, data, now)
        row = existing.get(data.level) or PaperLevel(employee_id=employee.id, level=data.level)
        row.started_on, row.finished_on, row.hours = data.started_on, data.finished_on, data.hours
        row.content, row.score, row.passed = data.content.strip()[:200], data.score, data.passed
        row.trainer_name, row.assessor_name = data.trainer_name.strip()[:60], data.assessor_name.strip()[:60]
        row.recorded_by_id, row.recorded_at = actor.id, now
        db.session.add(row)
        saved.append(row)
    db.session.flush()
    audit_action("training.paper_record", actor=actor, now=now, target=f"{employee.emp_no} {employee.name}",
                  detail={"levels": [str(d.level.label) for d in levels]})
    return saved
