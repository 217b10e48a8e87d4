"""Accounts and organisation operations. Services flush, send their signals and write their
audit rows; the caller (a view or a command) commits once."""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import current_app, has_app_context
from pypinyin import lazy_pinyin
from sqlalchemy import Select, func, or_, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from core.audit import AuditEvent, audit_action
from core.exceptions import DomainError
from core.extensions import db
from org import throttle
from org.models import Department, Employee, EmployeeStatus, Position, Role, Team
from org.permissions import employee_scope, team_scope
from org.signals import employee_changed, employee_created

EMP_NO_PATTERN = re.compile(r"^[A-Za-z0-9]{1,32}$")
# One-time passwords are read off paper or a screen and typed on a phone: no look-alikes
# (0/O/o, 1/l/I/i, 2/Z/z, 5/S/s, 8/B, 9/g/q, 6/b/G, u/v, c/C, k/K, p/P, w/W, x/X, y/Y).
PASSWORD_ALPHABET = "adefhjmnrtAEFHJLMNQRT347"
INITIAL_PASSWORD_LENGTH = 14
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 256
MIN_PASSWORD_SCORE = 2  # zxcvbn: at least a million guesses (logins are throttled, hashes are scrypt)
ZXCVBN_MAX_LENGTH = 72  # zxcvbn's own bound; a longer passphrase is judged by its first 72 characters
# Words zxcvbn's English lists miss but people here reach for first: the site's name and the
# pinyin of safety slogans and common Chinese passwords (passed to zxcvbn as extra dictionary words).
SITE_WORDS = ("anzhi", "安知", "anquan", "anquandiyi", "anquanshengchan", "shengchan", "woaini", "zhongguo",
              "yuangong", "mima")
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
    """A one-time random password of unambiguous characters (about 64 bits)."""
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(INITIAL_PASSWORD_LENGTH))


def hash_password(password: str) -> str:
    """Hash with Werkzeug's scrypt (tests configure a cheaper method for speed)."""
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if has_app_context() else "scrypt"
    return generate_password_hash(password, method=method)


def new_initial_password() -> tuple[str, str]:
    """A one-time password and its hash (hashing is slow: do it before the write transaction)."""
    password = generate_initial_password()
    return password, hash_password(password)


def find_employee(emp_no: str) -> Employee | None:
    """The employee with this 工号 (after normalisation), or None."""
    return db.session.scalar(select(Employee).where(Employee.emp_no == normalize_emp_no(emp_no)))


class LoginThrottled(DomainError):
    """Too many failed logins for this 工号 or address; the message says when to try again."""


def check_credentials(emp_no: str, password: str, now: datetime, ip: str = "") -> int | None:
    """The reading half of a login (slow by design: the password hash): the id of the in-post
    employee whose 工号 and password match, or None. Raises LoginThrottled, checking no password,
    once the 工号 or the address is locked out."""
    if throttle.is_locked(normalize_emp_no(emp_no), ip, now):
        raise LoginThrottled(_throttled_message())
    employee = _matching_employee(emp_no, password)
    return employee.id if employee is not None else None


def record_login(emp_no: str, employee_id: int | None, now: datetime, ip: str = "") -> Employee | None:
    """The writing half (one short transaction): the counted failure and its audit row, or the
    login time; the employee, or None. A lockout reached meanwhile by other failed logins wins
    (LoginThrottled, nothing recorded), so no more outcomes are revealed than the limit allows."""
    account = normalize_emp_no(emp_no)
    if throttle.is_locked(account, ip, now):
        raise LoginThrottled(_throttled_message())
    employee = db.session.get(Employee, employee_id) if employee_id is not None else None
    if employee is None or not employee.is_active:
        throttle.record_failure(account, ip, now)
        audit_action("login.failure", actor=None, now=now, target=account)
        return None
    employee.last_login_at = now
    audit_action("login.success", actor=employee, now=now, target=employee.emp_no)
    return employee


def record_throttled(emp_no: str, now: datetime) -> None:
    """The audit row of a refused, locked-out login."""
    audit_action("login.rate_limited", actor=None, now=now, target=normalize_emp_no(emp_no))


def _throttled_message() -> str:
    minutes = max(1, throttle.window_seconds() // 60)
    return (f"登录失败次数过多，已暂时锁定。请 {minutes} 分钟后再试；"
            "如忘记密码，请联系管理员重置。")


def _matching_employee(emp_no: str, password: str) -> Employee | None:
    """The in-post employee whose 工号 and password match (constant-time-ish), or None."""
    employee = find_employee(emp_no)
    if employee is None or not employee.password_hash:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(employee.password_hash, password) or not employee.is_active:
        return None
    return employee


def check_password_strength(password: str, emp_no: str, name: str = "") -> None:
    """Raise unless the password suits ASVS 5.0 level 2 (6.2.x): 8–256 characters, any
    characters (no composition rules, passphrases welcome), not the 工号 or the name, and not a
    common or easily guessed password by zxcvbn's frequency lists of leaked passwords and words."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(f"密码至少 {MIN_PASSWORD_LENGTH} 位。", field="new_password")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise DomainError(f"密码最多 {MAX_PASSWORD_LENGTH} 位。", field="new_password")
    personal = _personal_words(emp_no, name)
    lowered = password.lower()
    if any(word in lowered for word in personal):
        raise DomainError("密码不能包含工号或姓名（含姓名拼音）。", field="new_password")
    from zxcvbn import zxcvbn  # its word lists take ~12 MB: load them when a password is set

    strength = zxcvbn(password[:ZXCVBN_MAX_LENGTH], user_inputs=[*personal, *SITE_WORDS])
    if strength["score"] < MIN_PASSWORD_SCORE:
        raise DomainError("这个密码太常见或太容易被猜到（如常见密码、键盘排列、重复字符、年份或简单替换）。"
                          "请换一个更长、不常见的密码，例如由几个词组成的短语。", field="new_password")


def _personal_words(emp_no: str, name: str) -> list[str]:
    """The 工号, the name and its pinyin (lower case), as far as they are long enough to matter."""
    name = (name or "").strip()
    words = [emp_no.lower(), name.lower(), "".join(lazy_pinyin(name)).lower() if name else ""]
    return [word for word in words if len(word) >= 2 and not (word.isascii() and len(word) < 3)]


def change_password(employee: Employee, current: str, new: str, *, now: datetime) -> None:
    """Set a new password after checking the current one; ends every other session."""
    if not check_password_hash(employee.password_hash, current):
        raise DomainError("当前密码不正确。", field="current_password")
    if current == new:
        raise DomainError("新密码不能与当前密码相同。", field="new_password")
    check_password_strength(new, employee.emp_no, employee.name)
    employee.password_hash = hash_password(new)
    employee.must_change_password = False
    end_sessions(employee)
    audit_action("password.change", actor=employee, now=now, target=employee.emp_no)


def reset_password(employee: Employee, *, actor: Employee, now: datetime) -> str:
    """Give the employee a new one-time password (returned once) and end their sessions."""
    password = generate_initial_password()
    employee.password_hash = hash_password(password)
    employee.must_change_password = True
    end_sessions(employee)
    audit_action("password.reset", actor=actor, now=now, target=employee.emp_no)
    return password


def log_out(employee: Employee, *, now: datetime) -> None:
    """End every session of this employee, this one included (退出登录)."""
    end_sessions(employee)
    audit_action("logout", actor=employee, now=now, target=employee.emp_no)


def set_locale(employee: Employee, locale: str) -> None:
    """Remember the interface language the employee chose."""
    employee.locale = locale


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
    gender: str | None = None  # 男 / 女 / ""; None keeps what is recorded


def _check_team(data: EmployeeData) -> None:
    if data.team is not None and data.team.department_id != data.department.id:
        raise DomainError(f"班组“{data.team.name}”不属于部门“{data.department.name}”。", "team")


def create_employee(data: EmployeeData, *, actor: Employee | None, now: datetime,
                    initial: tuple[str, str] | None = None) -> tuple[Employee, str]:
    """Create an employee with a one-time initial password; returns (employee, password).

    Sends ``employee_created`` (a new hire's induction opens) and writes the audit row;
    ``actor`` is None when the system (a command, the demo loader) creates the account.
    ``initial`` is a (password, hash) made beforehand by ``new_initial_password``.
    """
    validate_emp_no(data.emp_no)
    _check_team(data)
    if find_employee(data.emp_no) is not None:
        raise DomainError(f"工号 {data.emp_no} 已存在。", field="emp_no")
    employee = Employee(emp_no=data.emp_no, must_change_password=True)
    _apply(employee, data)
    password, employee.password_hash = initial or new_initial_password()
    db.session.add(employee)
    db.session.flush()
    employee_created.send(employee, now=now)
    audit_action("employee.create", actor=actor, now=now, target=employee.emp_no)
    return employee, password


def update_employee(employee: Employee, data: EmployeeData, *, actor: Employee | None,
                    now: datetime) -> dict[str, tuple[str, str]]:
    """Apply edits; returns the changed fields as {field: (old, new)}.

    A change sends ``employee_changed`` (a new team or position re-opens training) and is
    audited, a change of roles separately.
    """
    _check_team(data)
    before, old_roles = describe(employee), employee.roles
    _apply(employee, data)
    if data.status == EmployeeStatus.LEFT:
        end_sessions(employee)
    db.session.flush()
    after = describe(employee)
    changes = {key: (before[key], after[key]) for key in after if before[key] != after[key]}
    if changes:
        employee_changed.send(employee, now=now, changes=changes)
        audit_action("employee.update", actor=actor, now=now, target=employee.emp_no,
                     detail={"changes": changes})
    if employee.roles != old_roles:
        audit_action("employee.roles", actor=actor, now=now, target=employee.emp_no,
                     detail={"from": sorted(old_roles), "to": sorted(employee.roles)})
    return changes


def _apply(employee: Employee, data: EmployeeData) -> None:
    employee.name = data.name.strip()
    employee.department = data.department
    employee.team = data.team
    employee.position = data.position
    employee.hire_date = data.hire_date
    employee.status = data.status
    if data.gender is not None:
        employee.gender = data.gender
    employee.set_roles(set(data.roles))


def describe(employee: Employee) -> dict[str, str]:
    """The fields of an employee as display strings (for diffs and audit)."""
    return {
        "name": employee.name or "",
        "department": employee.department.name if employee.department else "",
        "team": employee.team.name if employee.team else "",
        "position": employee.position.name if employee.position else "",
        "hire_date": employee.hire_date.isoformat() if employee.hire_date else "",
        "gender": employee.gender or "",
        "status": employee.status or "",
        "roles": ",".join(sorted(r.value for r in employee.roles)) if employee.id else "",
    }


def deactivate_employee(employee: Employee, *, actor: Employee | None, now: datetime) -> None:
    """Mark an employee as left (离职); their sessions end at their next request."""
    employee.status = EmployeeStatus.LEFT
    end_sessions(employee)
    audit_action("employee.deactivate", actor=actor, now=now, target=employee.emp_no)


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


def employees_query(actor: Employee, *, text: str = "", department_id: int | None = None,
                    team_id: int | None = None, status: str = "") -> Select:
    """The employees ``actor`` may see, by 工号 or name, unit and status (a status not known: any)."""
    query = select(Employee).where(employee_scope(actor)).order_by(Employee.emp_no)
    if text:
        query = query.where(or_(Employee.emp_no.ilike(f"%{normalize_emp_no(text)}%"),
                                Employee.name.ilike(f"%{text}%")))
    if department_id:
        query = query.where(Employee.department_id == department_id)
    if team_id:
        query = query.where(Employee.team_id == team_id)
    if status in {s.value for s in EmployeeStatus}:
        query = query.where(Employee.status == status)
    return query


def visible_teams(actor: Employee) -> list[Team]:
    """The teams ``actor`` manages, by code."""
    return list(db.session.scalars(select(Team).where(team_scope(actor)).order_by(Team.code)))


def all_departments() -> list[Department]:
    return list(db.session.scalars(select(Department).order_by(Department.code)))


def all_positions() -> list[Position]:
    return list(db.session.scalars(select(Position).order_by(Position.code)))


def team_members(team: Team) -> list[Employee]:
    """The team's in-post members, by 工号."""
    return list(db.session.scalars(select(Employee).where(
        Employee.team_id == team.id, Employee.status == EmployeeStatus.IN_POST).order_by(Employee.emp_no)))


def head_counts_by_team() -> dict[int | None, int]:
    """In-post employees per team id (None: not in a team)."""
    return dict(db.session.execute(
        select(Employee.team_id, func.count()).where(Employee.status == EmployeeStatus.IN_POST)
        .group_by(Employee.team_id)).all())


UNIT_FIELDS: dict[type, tuple[str, ...]] = {
    Department: ("code", "name"),
    Team: ("code", "name", "department_id", "leader_id"),
    Position: ("code", "name", "special_operation", "high_risk"),
}


def save_unit(unit: Department | Team | Position, values: dict[str, Any], *, actor: Employee,
              now: datetime) -> None:
    """Create or edit a department, team or position; a duplicate code or name raises and changes nothing."""
    try:
        with db.session.begin_nested():  # a savepoint: a duplicate undoes only this change
            _fill_unit(unit, values)
            db.session.add(unit)
    except IntegrityError as error:
        raise DomainError("代码或名称与已有记录重复。", field="code") from error
    audit_action("org.change", actor=actor, now=now, target=f"{unit.__tablename__}:{unit.code}",
                 detail={"name": unit.name})


def _fill_unit(unit: Department | Team | Position, values: dict[str, Any]) -> None:
    for name in UNIT_FIELDS[type(unit)]:
        setattr(unit, name, values[name])
    unit.code = unit.code.strip() if isinstance(unit, Position) else unit.code.strip().upper()
    if isinstance(unit, Team):
        unit.leader_id = unit.leader_id or None


def recent_audit(limit: int = 8) -> dict[str, list[AuditEvent]]:
    """The admin's home page: the last roster imports and the latest audit entries (two small queries)."""
    latest = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    return {"imports": list(db.session.scalars(latest.where(AuditEvent.action == "roster.import").limit(3))),
            "latest": list(db.session.scalars(latest.limit(limit)))}
