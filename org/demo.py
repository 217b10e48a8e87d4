"""Demo organisation loader: content/demo/org.yaml → departments, teams, positions, people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import yaml
from sqlalchemy import select

from core.extensions import db
from org.models import Department, Employee, Position, Team
from org.roles import Role
from org.services import EmployeeData, create_employee, hash_password
from org.signals import employee_created

DEMO_PASSWORD = "Anzhi2026"


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
    created = 0
    departments = {}
    for item in spec["departments"]:
        dept = db.session.scalar(select(Department).where(Department.code == item["code"]))
        if dept is None:
            dept = Department(code=item["code"], name=item["name"])
            db.session.add(dept)
            created += 1
        departments[item["code"]] = dept
    positions = {}
    for item in spec["positions"]:
        pos = db.session.scalar(select(Position).where(Position.code == item["code"]))
        if pos is None:
            pos = Position(**item)
            db.session.add(pos)
            created += 1
        positions[item["code"]] = pos
    teams = {}
    for item in spec["teams"]:
        team = db.session.scalar(select(Team).where(Team.code == item["code"]))
        if team is None:
            team = Team(code=item["code"], name=item["name"], department=departments[item["department"]])
            db.session.add(team)
            created += 1
        teams[item["code"]] = team
    db.session.flush()
    logins = []
    for item in spec["employees"]:
        employee = db.session.scalar(select(Employee).where(Employee.emp_no == item["emp_no"]))
        if employee is None:
            employee, _password = create_employee(EmployeeData(
                emp_no=item["emp_no"], name=item["name"], department=departments[item["department"]],
                team=teams.get(item.get("team", "")), position=positions.get(item.get("position", "")),
                hire_date=item.get("hire_date") if isinstance(item.get("hire_date"), date) else None,
                status=item.get("status", "in_post"),
                roles=frozenset(Role(r) for r in item.get("roles", [])),
            ))
            if item.get("demo"):
                employee.password_hash = hash_password(DEMO_PASSWORD)
                employee.must_change_password = item["demo"] == "新员工"
            employee_created.send(employee, now=now)
            created += 1
        if item.get("demo"):
            logins.append(DemoLogin(item["demo"], employee.emp_no, employee.name, DEMO_PASSWORD,
                                    employee.must_change_password))
    for item in spec["teams"]:
        team = teams[item["code"]]
        if team.leader_id is None and item.get("leader"):
            team.leader = db.session.scalar(select(Employee).where(Employee.emp_no == item["leader"]))
    db.session.flush()
    return created, logins


def demo_logins(path: Path) -> list[DemoLogin]:
    """The demo accounts of the demo file that exist in the database (read only)."""
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    found = []
    for item in spec["employees"]:
        if not item.get("demo"):
            continue
        employee = db.session.scalar(select(Employee).where(Employee.emp_no == item["emp_no"]))
        if employee is not None:
            found.append(DemoLogin(item["demo"], employee.emp_no, employee.name, DEMO_PASSWORD,
                                   employee.must_change_password))
    return found
