"""Accounts and organisation operations. Services flush; the caller commits."""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app, has_app_context
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from core.exceptions import DomainError
from core.extensions import db
from org.models import Department, Employee, EmployeeStatus, Position, Team
from org.roles import Role

EMP_NO_PATTERN = re.compile(r"^[A-Za-z0-9]{1,32}$")
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
MIN_PASSWORD_LENGTH = 8
# A real hash to compare against when the account does not exist, so a login for an
# unknown 工号 costs as much time as one with a wrong password.
_DUMMY_HASH = generate_password_hash("anzhi-timing-equaliser")


def normalize_emp_no(raw: str) -> str:
    """NFKC-fold and trim a 工号 (fullwidth digits from a phone keyboard become ASCII)."""
    return unicodedata.normalize("NFKC", raw or "").strip().upper()


def validate_emp_no(emp_no: str) -> None:
    """Raise unless the (normalised) 工号 is 1–32 ASCII letters or digits."""
    if not EMP_NO_PATTERN.match(emp_no):
        raise DomainError("工号只能由 1–32 位半角字母或数字组成。", field="emp_no")


def generate_initial_password() -> str:
    """A one-time random password of 10 unambiguous characters."""
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(10))


def hash_password(password: str) -> str:
    """Hash with Werkzeug's scrypt (tests configure a cheaper method for speed)."""
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if has_app_context() else "scrypt"
    return generate_password_hash(password, method=method)


def find_employee(emp_no: str) -> Employee | None:
    """The employee with this 工号 (after normalisation), or None."""
    return db.session.scalar(select(Employee).where(Employee.emp_no == normalize_emp_no(emp_no)))


def authenticate(emp_no: str, password: str, now: datetime) -> Employee | None:
    """The in-post employee whose 工号 and password match, or None (constant-time-ish)."""
    employee = find_employee(emp_no)
    if employee is None or not employee.password_hash:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(employee.password_hash, password) or not employee.is_active:
        return None
    employee.last_login_at = now
    return employee


def check_password_strength(password: str, emp_no: str) -> None:
    """Raise unless the password is ≥ 8 characters, mixes letters and digits, and is not the 工号."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(f"密码至少 {MIN_PASSWORD_LENGTH} 位。", field="new_password")
    if not (re.search(r"[A-Za-z]", password) and re.search(r"\d", password)):
        raise DomainError("密码须同时包含字母和数字。", field="new_password")
    if emp_no.lower() in password.lower():
        raise DomainError("密码不能包含工号。", field="new_password")


def change_password(employee: Employee, current: str, new: str) -> None:
    """Set a new password after checking the current one; ends every other session."""
    if not check_password_hash(employee.password_hash, current):
        raise DomainError("当前密码不正确。", field="current_password")
    if current == new:
        raise DomainError("新密码不能与当前密码相同。", field="new_password")
    check_password_strength(new, employee.emp_no)
    employee.password_hash = hash_password(new)
    employee.must_change_password = False
    end_sessions(employee)


def reset_password(employee: Employee) -> str:
    """Give the employee a new one-time password (returned once) and end their sessions."""
    password = generate_initial_password()
    employee.password_hash = hash_password(password)
    employee.must_change_password = True
    end_sessions(employee)
    return password


def end_sessions(employee: Employee) -> None:
    """Invalidate every session of this employee (the version is part of the session id)."""
    employee.session_version = (employee.session_version or 0) + 1


@dataclass
class EmployeeData:
    """Validated fields for creating or editing an employee."""

    emp_no: str
    name: str
    department: Department
    team: Team | None
    position: Position | None
    hire_date: date | None
    status: str = EmployeeStatus.IN_POST
    roles: frozenset[Role] = frozenset()


def _check_team(data: EmployeeData) -> None:
    if data.team is not None and data.team.department_id != data.department.id:
        raise DomainError(f"班组“{data.team.name}”不属于部门“{data.department.name}”。", "team")


def create_employee(data: EmployeeData) -> tuple[Employee, str]:
    """Create an employee with a one-time initial password; returns (employee, password)."""
    validate_emp_no(data.emp_no)
    _check_team(data)
    if find_employee(data.emp_no) is not None:
        raise DomainError(f"工号 {data.emp_no} 已存在。", field="emp_no")
    employee = Employee(emp_no=data.emp_no, must_change_password=True)
    _apply(employee, data)
    password = generate_initial_password()
    employee.password_hash = hash_password(password)
    db.session.add(employee)
    db.session.flush()
    return employee, password


def update_employee(employee: Employee, data: EmployeeData) -> dict[str, tuple[str, str]]:
    """Apply edits; returns the changed fields as {field: (old, new)} for the audit log."""
    _check_team(data)
    before = describe(employee)
    _apply(employee, data)
    if data.status == EmployeeStatus.LEFT:
        end_sessions(employee)
    db.session.flush()
    after = describe(employee)
    return {key: (before[key], after[key]) for key in after if before[key] != after[key]}


def _apply(employee: Employee, data: EmployeeData) -> None:
    employee.name = data.name.strip()
    employee.department = data.department
    employee.team = data.team
    employee.position = data.position
    employee.hire_date = data.hire_date
    employee.status = data.status
    employee.set_roles(set(data.roles))


def describe(employee: Employee) -> dict[str, str]:
    """The fields of an employee as display strings (for diffs and audit)."""
    return {
        "name": employee.name or "",
        "department": employee.department.name if employee.department else "",
        "team": employee.team.name if employee.team else "",
        "position": employee.position.name if employee.position else "",
        "hire_date": employee.hire_date.isoformat() if employee.hire_date else "",
        "status": employee.status or "",
        "roles": ",".join(sorted(r.value for r in employee.roles)) if employee.id else "",
    }


def deactivate_employee(employee: Employee) -> None:
    """Mark an employee as left (离职); their sessions end at their next request."""
    employee.status = EmployeeStatus.LEFT
    end_sessions(employee)


def organisation_counts() -> dict[str, int]:
    """Counts shown on the admin's home page."""
    in_post = Employee.status == EmployeeStatus.IN_POST

    def count(model, *where) -> int:
        return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0

    return {
        "departments": count(Department, Department.active),
        "teams": count(Team, Team.active),
        "positions": count(Position, Position.active),
        "employees": count(Employee, in_post),
        "must_change": count(Employee, in_post, Employee.must_change_password),
    }
