"""Org's permissions: the one place that answers "may this actor see or manage this employee,
team or department?", as predicates and as SQL filters (scope).

Every query that lists people goes through :func:`employee_scope`; every page about one
person, team or department checks :func:`can_view_employee`, :func:`can_view_team` or
:func:`can_view_department` and answers 404 when the answer is no.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, false, or_, select, true

from core.extensions import db
from org.models import Department, Employee, Role, Team


def led_team_ids(actor: Employee) -> set[int]:
    """Ids of the teams this user leads (班组长)."""
    if not actor.has_role(Role.TEAM_LEADER):
        return set()
    return set(db.session.scalars(select(Team.id).where(Team.leader_id == actor.id)))


def managed_scope(actor: Employee, department: Any, team: Any,
                  own: ColumnElement[bool] | None = None) -> ColumnElement[bool]:
    """A WHERE clause over rows carrying ``department`` and ``team`` columns: those of the officer's
    department and the leader's teams, plus ``own`` (the actor's own rows); all for the org-wide."""
    if actor.is_org_wide:
        return true()
    clauses: list[ColumnElement[bool]] = [own] if own is not None else []
    if actor.has_role(Role.SAFETY_OFFICER):
        clauses.append(department == actor.department_id)
    teams = led_team_ids(actor)
    if teams:
        clauses.append(team.in_(teams))
    return or_(*clauses) if clauses else false()


def employee_scope(actor: Employee) -> ColumnElement[bool]:
    """A WHERE clause limiting an Employee query to the people ``actor`` may see."""
    return managed_scope(actor, Employee.department_id, Employee.team_id, own=Employee.id == actor.id)


def team_scope(actor: Employee) -> ColumnElement[bool]:
    """A WHERE clause limiting a Team query to the teams ``actor`` may see as a manager."""
    return managed_scope(actor, Team.department_id, Team.id)


def department_scope(actor: Employee) -> ColumnElement[bool]:
    """A WHERE clause limiting a Department query to those ``actor`` oversees."""
    if actor.is_org_wide:
        return true()
    if actor.has_role(Role.SAFETY_OFFICER):
        return Department.id == actor.department_id
    return false()


def can_view_employee(actor: Employee, employee: Employee) -> bool:
    """True when ``actor`` may see ``employee``'s records."""
    if actor.id == employee.id or actor.is_org_wide:
        return True
    if actor.has_role(Role.SAFETY_OFFICER) and employee.department_id == actor.department_id:
        return True
    return employee.team_id is not None and employee.team_id in led_team_ids(actor)


def can_view_team(actor: Employee, team: Team) -> bool:
    """True when ``actor`` manages ``team`` (its leader, its department's officer, or org-wide)."""
    if actor.is_org_wide:
        return True
    if actor.has_role(Role.SAFETY_OFFICER) and team.department_id == actor.department_id:
        return True
    return team.id in led_team_ids(actor)


def can_view_department(actor: Employee, department: Department) -> bool:
    """True when ``actor`` oversees ``department`` (its safety officer, or org-wide)."""
    if actor.is_org_wide:
        return True
    return actor.has_role(Role.SAFETY_OFFICER) and department.id == actor.department_id


def is_manager(actor: Employee) -> bool:
    """True when ``actor`` oversees anyone besides themselves."""
    return actor.is_org_wide or actor.has_role(Role.SAFETY_OFFICER, Role.TEAM_LEADER)


def is_admin(actor: Employee) -> bool:
    """True for system administrators (accounts, structure, roster import, audit log)."""
    return actor.has_role(Role.ADMIN)


def may_deactivate(actor: Employee, employee: Employee) -> bool:
    """An admin may deactivate any account but their own (so one admin always remains able to log in)."""
    return actor.has_role(Role.ADMIN) and actor.id != employee.id
