"""Who may do what in induction: teach, sign off a level, set programmes and settings, record absences."""

from __future__ import annotations

from org.models import Employee, Role
from org.permissions import can_view_employee
from training.induction.models import InductionLevel, Level


def may_teach(actor: Employee, level: Level) -> bool:
    """Who records classroom hours: safety dept for any level; officers for department/team; leaders team."""
    if actor.is_org_wide:
        return True
    if level is Level.DEPARTMENT:
        return actor.has_role(Role.SAFETY_OFFICER)
    if level is Level.TEAM:
        return actor.has_role(Role.SAFETY_OFFICER, Role.TEAM_LEADER)
    return False


def may_record_classroom(actor: Employee) -> bool:
    """Anyone who may teach at some level reaches the classroom form."""
    return any(may_teach(actor, level) for level in Level)


def may_sign_off(actor: Employee, level: InductionLevel) -> bool:
    """Department level: that department's safety officer; team level: that team's leader."""
    employee = level.induction.employee
    if level.level == Level.DEPARTMENT:
        return actor.has_role(Role.SAFETY_OFFICER) and actor.department_id == employee.department_id
    if level.level == Level.TEAM:
        return (actor.has_role(Role.TEAM_LEADER) and employee.team is not None
                and employee.team.leader_id == actor.id)
    return False


def may_see_induction_of(actor: Employee, employee: Employee) -> bool:
    """A person's induction is theirs and their managers' (scope)."""
    return can_view_employee(actor, employee)


def may_set_programmes(actor: Employee) -> bool:
    """Programmes (培训方案) belong to the safety department and admins."""
    return actor.is_org_wide


def may_edit_settings(actor: Employee) -> bool:
    """Company training settings (学时、离岗天数…) belong to the safety department and admins."""
    return actor.is_org_wide


def may_record_absence(actor: Employee) -> bool:
    """离岗/返岗 is recorded by the safety department or a system admin."""
    return actor.has_role(Role.ADMIN, Role.SAFETY_DEPT)



def may_record_history(actor: Employee, employee: Employee) -> bool:
    """Paper records of veterans: the safety department, or the safety officer of their department."""
    if actor.is_org_wide:
        return True
    return actor.has_role(Role.SAFETY_OFFICER) and actor.department_id == employee.department_id
