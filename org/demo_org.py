"""Demo organisation loader: content/demo/org.yaml → departments, teams, positions, people."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TypeVar

import yaml
from sqlalchemy import select

from core.extensions import db
from org.models import Department, Employee, Position, Role, Team
from org.services import EmployeeData, create_employee, hash_password

DEMO_PASSWORD = "Anzhi2026"
Unit = TypeVar("Unit", Department, Position, Team)


@dataclass
class DemoLogin:
    label: str
    emp_no: str
    name: str
    password: str
    must_change: bool


def load_demo_org(path: Path, now: datetime) -> tuple[int, list[DemoLogin]]:
    """Create what is missing from the demo file (never overwrites); returns (created, logins)."""
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    departments, new_departments = _ensure_units(
        Department, spec["departments"], lambda item: Department(code=item["code"], name=item["name"]))
    positions, new_positions = _ensure_units(Position, spec["positions"], lambda item: Position(**item))
    teams, new_teams = _ensure_units(Team, spec["teams"], lambda item: Team(
        code=item["code"], name=item["name"], department=departments[item["department"]]))
    db.session.flush()
    new_people = 0
    logins = []
    for item in spec["employees"]:
        employee = _find(item["emp_no"])
        if employee is None:
            employee = _create_demo_employee(item, departments, teams, positions, now)
            new_people += 1
        if item.get("demo"):
            logins.append(_login(item, employee))
    for item in spec["teams"]:
        team = teams[item["code"]]
        if team.leader_id is None and item.get("leader"):
            team.leader = _find(item["leader"])
    db.session.flush()
    return new_departments + new_positions + new_teams + new_people, logins


def _ensure_units(model: type[Unit], items: list[dict], build: Callable[[dict], Unit]) -> tuple[dict[str, Unit], int]:
    """The units of the demo file by code, created where missing; returns (units, how many created)."""
    units, created = {}, 0
    for item in items:
        unit = db.session.scalar(select(model).where(model.code == item["code"]))
        if unit is None:
            unit = build(item)
            db.session.add(unit)
            created += 1
        units[item["code"]] = unit
    return units, created


def _create_demo_employee(item: dict, departments: dict, teams: dict, positions: dict, now: datetime) -> Employee:
    employee, _password = create_employee(EmployeeData(
        emp_no=item["emp_no"], name=item["name"], department=departments[item["department"]],
        team=teams.get(item.get("team", "")), position=positions.get(item.get("position", "")),
        hire_date=item.get("hire_date") if isinstance(item.get("hire_date"), date) else None,
        status=item.get("status", "in_post"), gender=str(item.get("gender") or ""),
        roles=frozenset(Role(r) for r in item.get("roles", [])),
    ), actor=None, now=now)
    if item.get("demo"):
        employee.password_hash = hash_password(DEMO_PASSWORD)
        employee.must_change_password = item["demo"] == "新员工"
    return employee


def _find(emp_no: str) -> Employee | None:
    return db.session.scalar(select(Employee).where(Employee.emp_no == emp_no))


def _login(item: dict, employee: Employee) -> DemoLogin:
    return DemoLogin(item["demo"], employee.emp_no, employee.name, DEMO_PASSWORD, employee.must_change_password)


def demo_logins(path: Path) -> list[DemoLogin]:
    """The demo accounts of the demo file that exist in the database (read only)."""
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    found = []
    for item in spec["employees"]:
        if not item.get("demo"):
            continue
        employee = _find(item["emp_no"])
        if employee is not None:
            found.append(_login(item, employee))
    return found
