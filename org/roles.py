"""Roles (角色) and what each may do."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l


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

ROLE_BY_LABEL = {str(label): role for role, label in ROLE_LABELS.items()} | {
    "新员工": Role.EMPLOYEE,
    "安全员": Role.SAFETY_OFFICER,
    "安全部": Role.SAFETY_DEPT,
    "管理员": Role.ADMIN,
}

# Roles that see every employee, team and department.
ORG_WIDE_ROLES = frozenset({Role.SAFETY_DEPT, Role.ADMIN})
