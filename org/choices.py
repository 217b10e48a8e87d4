"""Select-box choices for organisation units (shared by org's forms and other packages')."""

from __future__ import annotations

from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from core.extensions import db
from core.forms import options
from org.models import Department, Employee, EmployeeStatus, Position, Team

NONE = (0, "—")


def department_options() -> list[SelectChoice]:
    departments = db.session.scalars(select(Department).order_by(Department.code))
    return options((d.id, f"{d.code} {d.name}") for d in departments)


def team_options(blank: bool = True) -> list[SelectChoice]:
    teams = db.session.scalars(select(Team).order_by(Team.code))
    return options([NONE] * blank + [(t.id, f"{t.code} {t.name}") for t in teams])


def position_options(blank: bool = True) -> list[SelectChoice]:
    positions = db.session.scalars(select(Position).order_by(Position.code))
    return options([NONE] * blank + [(p.id, p.name) for p in positions])


def employee_options(blank: bool = True) -> list[SelectChoice]:
    people = db.session.scalars(
        select(Employee).where(Employee.status == EmployeeStatus.IN_POST).order_by(Employee.emp_no))
    return options([NONE] * blank + [(e.id, f"{e.emp_no} {e.name}") for e in people])
