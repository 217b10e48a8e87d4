"""Each role reaches its pages and is refused the others; ids never widen scope."""

from __future__ import annotations

import pytest

from org.models import Role
from org.permissions import can_view_employee


@pytest.fixture
def plant(make_team, make_employee):
    """Two teams in one department, a third team elsewhere, and one person per role."""
    team_a = make_team(name="冲压一班")
    team_b = make_team(department=team_a.department, name="冲压二班")
    team_c = make_team(name="焊接一班")
    people = {
        "leader_a": make_employee(team=team_a, roles={Role.TEAM_LEADER}, leads=team_a),
        "worker_a": make_employee(team=team_a),
        "worker_b": make_employee(team=team_b),
        "worker_c": make_employee(team=team_c),
        "officer": make_employee(department=team_a.department, roles={Role.SAFETY_OFFICER}),
        "safety": make_employee(roles={Role.SAFETY_DEPT}),
        "admin": make_employee(roles={Role.ADMIN}),
    }
    return {"teams": (team_a, team_b, team_c), **people}


ADMIN_PAGES = ["/admin/structure", "/admin/audit", "/admin/roster/", "/org/employees/new"]


@pytest.mark.parametrize("who", ["worker_a", "leader_a", "officer", "safety"])
def test_non_admins_get_403_on_admin_pages(client, login, plant, who):
    login(plant[who])
    for url in ADMIN_PAGES:
        assert client.get(url).status_code == 403, url


def test_admin_reaches_admin_pages(client, login, plant):
    login(plant["admin"])
    for url in ADMIN_PAGES + ["/org/employees", "/"]:
        assert client.get(url).status_code == 200, url
    assert "组织概况" in client.get("/").get_data(as_text=True)


def test_employee_home_shows_my_tasks_and_no_people_list(client, login, plant):
    login(plant["worker_a"])
    assert "我的任务" in client.get("/").get_data(as_text=True)
    assert client.get("/org/employees").status_code == 403


def test_team_leader_sees_own_team_only(client, login, plant):
    login(plant["leader_a"])
    listing = client.get("/org/employees").get_data(as_text=True)
    assert plant["worker_a"].name in listing
    assert plant["worker_b"].name not in listing and plant["worker_c"].name not in listing
    assert client.get(f"/org/employees/{plant['worker_a'].id}").status_code == 200
    assert client.get(f"/org/employees/{plant['worker_b'].id}").status_code == 404
    assert client.get(f"/org/teams/{plant['teams'][1].id}").status_code == 404
    assert client.get(f"/org/teams/{plant['teams'][0].id}").status_code == 200


def test_safety_officer_sees_own_department_only(client, login, plant):
    login(plant["officer"])
    assert client.get(f"/org/employees/{plant['worker_b'].id}").status_code == 200
    assert client.get(f"/org/employees/{plant['worker_c'].id}").status_code == 404
    listing = client.get("/org/employees").get_data(as_text=True)
    assert plant["worker_b"].name in listing and plant["worker_c"].name not in listing


def test_employee_sees_only_self(client, login, plant):
    login(plant["worker_a"])
    assert client.get(f"/org/employees/{plant['worker_a'].id}").status_code == 200
    assert client.get(f"/org/employees/{plant['worker_b'].id}").status_code == 404


def test_safety_department_sees_everyone(plant):
    assert all(can_view_employee(plant["safety"], plant[w]) for w in ("worker_a", "worker_b", "worker_c"))


def test_denials_are_audited(client, login, plant):
    from sqlalchemy import select

    from core.audit import AuditEvent
    from core.extensions import db

    login(plant["worker_a"])
    client.get("/admin/audit")
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "access.denied")).one()
    assert event.target == "/admin/audit" and event.actor_id == plant["worker_a"].id


def test_admin_edits_role_and_change_is_audited(client, login, plant):
    from sqlalchemy import select

    from core.audit import AuditEvent
    from core.extensions import db

    login(plant["admin"])
    worker = plant["worker_a"]
    response = client.post(f"/org/employees/{worker.id}/edit", data={
        "emp_no": worker.emp_no, "name": worker.name, "department_id": worker.department_id,
        "team_id": worker.team_id, "position_id": 0, "hire_date": "2020-01-01",
        "status": "in_post", "roles": ["team_leader"]})
    assert response.status_code == 302
    db.session.refresh(worker)
    assert Role.TEAM_LEADER in worker.roles
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == "employee.roles")).one()


def test_admin_creating_employee_with_bad_emp_no_sees_field_error(client, login, plant):
    login(plant["admin"])
    response = client.post("/org/employees/new", data={
        "emp_no": "张三01", "name": "张三", "department_id": plant["worker_a"].department_id,
        "team_id": 0, "position_id": 0, "status": "in_post"})
    assert "工号只能由" in response.get_data(as_text=True)
