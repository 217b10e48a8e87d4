"""Who may see which training records (一人一档, dashboards, item analysis) and export them."""

from __future__ import annotations

from org.models import Department, Employee, Role, Team
from org.permissions import can_view_department, can_view_employee, can_view_team, is_manager


def may_see_records(actor: Employee) -> bool:
    """Managers (team leaders, safety officers, the safety department) see their people's records."""
    return is_manager(actor)


def may_see_record_of(actor: Employee, employee: Employee) -> bool:
    """一人一档: one's own, or within the actor's scope."""
    return can_view_employee(actor, employee)


def may_see_team(actor: Employee, team: Team) -> bool:
    return can_view_team(actor, team)


def may_see_department(actor: Employee, department: Department) -> bool:
    return can_view_department(actor, department)


def may_analyse_items(actor: Employee) -> bool:
    """Item analysis across every attempt is for the safety department and admins."""
    return actor.has_role(Role.SAFETY_DEPT, Role.ADMIN)
