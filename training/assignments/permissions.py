"""Who may assign study (布置学习) and to whom."""

from __future__ import annotations

from org.models import Employee, Role


def may_assign(actor: Employee) -> bool:
    """Team leaders, safety officers and the safety department assign study within their scope."""
    return actor.is_org_wide or actor.has_role(Role.SAFETY_OFFICER, Role.TEAM_LEADER)


def may_assign_by_position(actor: Employee) -> bool:
    """Assigning to a whole position (岗位) is for safety officers and the safety department."""
    return actor.is_org_wide or actor.has_role(Role.SAFETY_OFFICER)
