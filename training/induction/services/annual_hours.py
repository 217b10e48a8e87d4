"""年度再培训学时: hours credited in one calendar year against the yearly requirement.

The year runs in the site's time zone (Asia/Shanghai, BABEL_DEFAULT_TIMEZONE): a study session
acknowledged at 2026-12-31 17:00 UTC (01:00 on 1 January in Beijing) counts for the next year.
Credited = acknowledged study minutes / 每学时分钟数 + classroom sessions attended (held_on in the year).
Required = 20 学时 in a high-risk unit; otherwise the provincial figures for high-risk / special-operation
positions (default 8) and everyone else (default 4); 0 for someone hired that year whose three-level
induction is still open (their induction hours are the year's training).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from core.clock import local, start_of_day
from core.extensions import db
from org.models import Employee
from training.induction.models import ClassroomAttendance, ClassroomSession, StudySession
from training.induction.services.clearance import Clearance, clearance
from training.settings import get_setting


@dataclass(frozen=True)
class AnnualHours:
    """One person's 年度再培训 for ``year``: required vs credited (= study + classroom) 学时."""

    year: int
    required: float
    credited: float
    classroom: float
    study: float
    in_induction: bool = False

    @property
    def met(self) -> bool:
        return self.credited + 1e-9 >= self.required

    @property
    def status_label(self) -> str:
        return str(_l("达标") if self.met else _l("未达标"))

    @property
    def line(self) -> str:
        """"2026 年度再培训：3.5 / 8 学时"."""
        return str(_l("%(year)s 年度再培训：%(credited)s / %(required)s 学时", year=self.year,
                      credited=f"{self.credited:g}", required=f"{self.required:g}"))


def local_year(now: datetime) -> int:
    """The calendar year of ``now`` in the company's time zone (Beijing time)."""
    return local(now).year


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """[1 January 00:00, next 1 January 00:00) Beijing time, as UTC instants (the database stores UTC)."""
    return start_of_day(date(year, 1, 1)), start_of_day(date(year + 1, 1, 1))


@dataclass(frozen=True)
class Requirement:
    """The yearly 学时 under the current settings (read once per batch)."""

    high_risk_unit: bool
    unit_hours: float
    key_position_hours: float
    other_hours: float

    @classmethod
    def current(cls) -> Requirement:
        return cls(bool(get_setting("high_risk_unit")), float(get_setting("annual_hours_high_risk")),
                   float(get_setting("annual_hours_key_positions")), float(get_setting("annual_hours_other")))

    def for_employee(self, employee: Employee) -> float:
        """20 in a high-risk unit; else by position (high-risk or special operation → the higher figure)."""
        if self.high_risk_unit:
            return self.unit_hours
        position = employee.position
        if position is not None and (position.high_risk or position.special_operation):
            return self.key_position_hours
        return self.other_hours


def _study_minutes(ids: list[int], year: int) -> dict[int, float]:
    start, end = year_bounds(year)
    rows = db.session.execute(
        select(StudySession.employee_id, func.coalesce(func.sum(StudySession.credited_minutes), 0))
        .where(StudySession.employee_id.in_(ids), StudySession.acknowledged_at.is_not(None),
               StudySession.acknowledged_at >= start, StudySession.acknowledged_at < end)
        .group_by(StudySession.employee_id)
    ).all()
    return {eid: float(minutes) for eid, minutes in rows}


def _classroom_hours(ids: list[int], year: int) -> dict[int, float]:
    rows = db.session.execute(
        select(ClassroomAttendance.employee_id, func.coalesce(func.sum(ClassroomSession.hours), 0))
        .join(ClassroomSession, ClassroomSession.id == ClassroomAttendance.session_id)
        .where(ClassroomAttendance.employee_id.in_(ids), ClassroomSession.held_on >= date(year, 1, 1),
               ClassroomSession.held_on < date(year + 1, 1, 1))
        .group_by(ClassroomAttendance.employee_id)
    ).all()
    return {eid: float(hours) for eid, hours in rows}


def annual_hours_many(employees: Iterable[Employee], year: int,
                      clearances: Mapping[int, Clearance] | None = None) -> dict[int, AnnualHours]:
    """AnnualHours per employee id, in two queries for everybody (dashboards, exports).

    ``clearances`` (already computed by the caller) tells whether a hire of ``year`` is still in
    induction; without it clearance is computed for those hires only.
    """
    people = list(employees)
    ids = [e.id for e in people]
    if not ids:
        return {}
    study, classroom = _study_minutes(ids, year), _classroom_hours(ids, year)
    per_hour = float(get_setting("minutes_per_hour")) or 45.0
    requirement = Requirement.current()
    result = {}
    for employee in people:
        hired_this_year = employee.hire_date is not None and employee.hire_date.year == year
        in_induction = False
        if hired_this_year:
            status = (clearances or {}).get(employee.id) or clearance(employee)
            in_induction = status.status == "in_training"
        study_hours = round(study.get(employee.id, 0.0) / per_hour, 2)
        class_hours = round(classroom.get(employee.id, 0.0), 2)
        result[employee.id] = AnnualHours(
            year=year, required=0.0 if in_induction else requirement.for_employee(employee),
            credited=round(study_hours + class_hours, 2), classroom=class_hours, study=study_hours,
            in_induction=in_induction)
    return result


def annual_hours(employee: Employee, year: int) -> AnnualHours:
    """One person's 年度再培训 for ``year``."""
    return annual_hours_many([employee], year)[employee.id]
