"""Departments (部门/车间), teams (班组), positions (岗位), employees (员工账号) and their roles (角色)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.clock import now
from core.extensions import db


class Role(StrEnum):
    EMPLOYEE = "employee"
    TEAM_LEADER = "team_leader"
    SAFETY_OFFICER = "safety_officer"
    SAFETY_DEPT = "safety_dept"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.EMPLOYEE: _l("员工"),
    Role.TEAM_LEADER: _l("班组长"),
    Role.SAFETY_OFFICER: _l("部门安全员"),
    Role.SAFETY_DEPT: _l("安全管理部门"),
    Role.ADMIN: _l("系统管理员"),
}

# Roles that see every employee, team and department (org.permissions builds on this).
ORG_WIDE_ROLES = frozenset({Role.SAFETY_DEPT, Role.ADMIN})


class EmployeeStatus(StrEnum):
    IN_POST = "in_post"
    LEFT = "left"

    @property
    def label(self) -> str:
        return str({"in_post": _l("在岗"), "left": _l("离职")}[self.value])


class Department(db.Model):
    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    active: Mapped[bool] = mapped_column(default=True)

    teams: Mapped[list[Team]] = relationship(back_populates="department", order_by="Team.code")

    def __str__(self) -> str:
        return self.name


class Team(db.Model):
    __tablename__ = "teams"
    __table_args__ = (UniqueConstraint("department_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    leader_id: Mapped[int | None] = mapped_column(
        ForeignKey("employees.id", use_alter=True, ondelete="SET NULL")
    )
    active: Mapped[bool] = mapped_column(default=True)

    department: Mapped[Department] = relationship(back_populates="teams")
    leader: Mapped[Employee | None] = relationship(foreign_keys=[leader_id])

    def __str__(self) -> str:
        return self.name


class Position(db.Model):
    """岗位; special operations (特种作业/特种设备作业) need a certificate before work."""

    __tablename__ = "positions"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    special_operation: Mapped[bool] = mapped_column(default=False)
    high_risk: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)

    def __str__(self) -> str:
        return self.name


class EmployeeRole(db.Model):
    __tablename__ = "employee_roles"

    employee_id: Mapped[int] = mapped_column(
        ForeignKey("employees.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(20), primary_key=True)


class Employee(UserMixin, db.Model):
    """An employee and the login account (工号 + password) that goes with them."""

    __tablename__ = "employees"

    id: Mapped[int] = mapped_column(primary_key=True)
    emp_no: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(60), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    position_id: Mapped[int | None] = mapped_column(ForeignKey("positions.id"), index=True)
    hire_date: Mapped[date | None]
    gender: Mapped[str] = mapped_column(String(2), default="", server_default="")  # 男 / 女 / "" unknown
    status: Mapped[str] = mapped_column(String(12), default=EmployeeStatus.IN_POST)
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    must_change_password: Mapped[bool] = mapped_column(default=True)
    session_version: Mapped[int] = mapped_column(default=1)
    locale: Mapped[str | None] = mapped_column(String(16))
    last_login_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)

    department: Mapped[Department] = relationship()
    team: Mapped[Team | None] = relationship(foreign_keys=[team_id])
    position: Mapped[Position | None] = relationship()
    role_rows: Mapped[list[EmployeeRole]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )

    def __str__(self) -> str:
        return f"{self.name}（{self.emp_no}）"

    # Flask-Login: the session stores id and session version, so bumping the
    # version (logout, deactivation, password change) ends every other session.
    def get_id(self) -> str:
        return f"{self.id}.{self.session_version}"

    @property
    def is_active(self) -> bool:
        return self.status == EmployeeStatus.IN_POST

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(Role(row.role) for row in self.role_rows) | {Role.EMPLOYEE}

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_org_wide(self) -> bool:
        return bool(self.roles & ORG_WIDE_ROLES)

    @property
    def status_label(self) -> str:
        return EmployeeStatus(self.status).label

    def set_roles(self, roles: set[Role]) -> None:
        wanted = {role.value for role in roles if role is not Role.EMPLOYEE}
        self.role_rows[:] = [row for row in self.role_rows if row.role in wanted]
        have = {row.role for row in self.role_rows}
        self.role_rows.extend(EmployeeRole(role=role) for role in sorted(wanted - have))


class LoginFailure(db.Model):
    """One failed login, kept for the throttle window so every worker and node counts the same."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    account: Mapped[str] = mapped_column(String(64), index=True)
    ip: Mapped[str] = mapped_column(String(64), index=True)
