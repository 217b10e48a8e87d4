"""Who may do what in safety (one place): certificates, 三违 records, cards, settings.

- certificates: a department safety officer enters and updates those of people in their
  department; the safety department (and admins) anyone's; everyone sees their own;
- 三违: a team leader records against and sees their own team only; a safety officer their
  department; the safety department everything; an employee sees their own records;
- 复岗 sign-off: the person's department safety officer (or the safety department);
- cards and post pages: every logged-in employee (they are posted on the shop floor).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, true

from org.models import Employee, Role
from org.permissions import can_view_employee, led_team_ids, managed_scope
from safety.models import Violation


def is_safety_dept(actor: Employee) -> bool:
    return actor.has_role(Role.SAFETY_DEPT, Role.ADMIN)


def may_manage_requirements(actor: Employee) -> bool:
    """Which certificate kinds a position requires: the safety department and admins."""
    return is_safety_dept(actor)


def may_edit_certificates(actor: Employee, employee: Employee) -> bool:
    """Enter or update ``employee``'s certificates."""
    if is_safety_dept(actor):
        return True
    return actor.has_role(Role.SAFETY_OFFICER) and employee.department_id == actor.department_id


def may_see_certificates(actor: Employee, employee: Employee) -> bool:
    return can_view_employee(actor, employee)


def may_see_expiring(actor: Employee) -> bool:
    return is_safety_dept(actor) or actor.has_role(Role.SAFETY_OFFICER)


def may_record_violations(actor: Employee) -> bool:
    return is_safety_dept(actor) or actor.has_role(Role.SAFETY_OFFICER) or bool(led_team_ids(actor))


def may_record_against(actor: Employee, employee: Employee) -> bool:
    """A leader records against their own team, an officer their department, the safety dept anyone."""
    if actor.id == employee.id:
        return False
    if is_safety_dept(actor):
        return True
    if actor.has_role(Role.SAFETY_OFFICER) and employee.department_id == actor.department_id:
        return True
    return employee.team_id is not None and employee.team_id in led_team_ids(actor)


def violation_scope(actor: Employee) -> ColumnElement[bool]:
    """WHERE clause: the 三违 records ``actor`` may see (the team/department at the time of recording)."""
    if is_safety_dept(actor):
        return true()
    return managed_scope(actor, Violation.department_id, Violation.team_id, own=Violation.employee_id == actor.id)


def may_see_violation(actor: Employee, violation: Violation) -> bool:
    if is_safety_dept(actor) or violation.employee_id == actor.id:
        return True
    if actor.has_role(Role.SAFETY_OFFICER) and violation.department_id == actor.department_id:
        return True
    return violation.team_id is not None and violation.team_id in led_team_ids(actor)


def may_sign_return(actor: Employee, violation: Violation) -> bool:
    """复岗: the person's department safety officer, or the safety department."""
    if actor.id == violation.employee_id:
        return False
    if is_safety_dept(actor):
        return True
    return actor.has_role(Role.SAFETY_OFFICER) and actor.department_id == violation.employee.department_id


def may_draft_case(actor: Employee) -> bool:
    """Turning a record into an anonymised 三违案例 draft is the safety department's."""
    return actor.has_role(Role.SAFETY_DEPT)


def may_edit_settings(actor: Employee) -> bool:
    return is_safety_dept(actor)


def is_any_manager(actor: Employee) -> bool:
    return is_safety_dept(actor) or actor.has_role(Role.SAFETY_OFFICER) or bool(led_team_ids(actor))
