"""The services that create or change an employee send the signal and write the audit row
themselves, whoever calls them (a page, the roster import, the demo loader, a command); a
denied request writes its audit row and nothing else."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import select
from werkzeug.exceptions import Forbidden

from core.audit import AuditEvent
from core.extensions import db
from core.permissions import deny
from org.models import Department, Employee, Role
from org.services import EmployeeData, create_employee, update_employee
from org.signals import employee_changed, employee_created
from tests.conftest import NOW


@contextmanager
def received(signal):
    """Collect (sender, kwargs) of every send of ``signal`` inside the block."""
    calls = []

    def receiver(sender, **kwargs):
        calls.append((sender, kwargs))

    signal.connect(receiver)
    try:
        yield calls
    finally:
        signal.disconnect(receiver)


def _actions() -> list[tuple[str, str]]:
    return [(e.action, e.target) for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_create_employee_sends_the_signal_and_audits(make_department, make_employee):
    admin = make_employee(roles={Role.ADMIN})
    department = make_department()
    with received(employee_created) as calls:
        employee, _password = create_employee(
            EmployeeData("N100", "新人", department, None, None, None), actor=admin, now=NOW)
    db.session.commit()
    assert calls == [(employee, {"now": NOW})]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "employee.create"))
    assert (event.target, event.actor_id) == ("N100", admin.id)


def test_update_employee_audits_changes_and_roles_separately(make_employee, make_team):
    admin = make_employee(roles={Role.ADMIN})
    worker = make_employee()
    team = make_team(department=worker.department)
    data = EmployeeData(worker.emp_no, worker.name, worker.department, team, None, worker.hire_date,
                        roles=frozenset({Role.TEAM_LEADER}))
    with received(employee_changed) as calls:
        changes = update_employee(worker, data, actor=admin, now=NOW)
    db.session.commit()
    assert set(changes) == {"team", "roles"}
    assert calls == [(worker, {"now": NOW, "changes": changes})]
    assert [a for a, _t in _actions()] == ["employee.update", "employee.roles"]


def test_an_edit_that_changes_nothing_sends_nothing(make_employee):
    admin, worker = make_employee(roles={Role.ADMIN}), make_employee()
    data = EmployeeData(worker.emp_no, worker.name, worker.department, None, None, worker.hire_date)
    with received(employee_changed) as calls:
        assert update_employee(worker, data, actor=admin, now=NOW) == {}
    assert calls == [] and _actions() == []


def test_create_admin_command_sends_the_signal_and_audits(runner):
    with received(employee_created) as calls:
        result = runner.invoke(args=["users", "create-admin", "--emp-no", "a1", "--name", "管理员",
                                     "--department", "it", "--password", "steel ladders need two hands"])
    assert result.exit_code == 0, result.output
    admin = db.session.scalar(select(Employee).where(Employee.emp_no == "A1"))
    assert admin.has_role(Role.ADMIN) and not admin.must_change_password
    assert [sender for sender, _kwargs in calls] == [admin]
    assert _actions() == [("employee.create", "A1")]


def test_a_denial_is_audited_without_committing_the_request_s_work(app):
    with app.test_request_context("/org/employees/1", method="POST"):
        db.session.add(Department(code="HALF", name="做了一半"))
        db.session.flush()
        with pytest.raises(Forbidden):
            deny()
    db.session.remove()
    assert db.session.scalar(select(Department).where(Department.code == "HALF")) is None
    assert _actions() == [("access.denied", "/org/employees/1")]
