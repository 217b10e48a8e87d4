"""The demo organisation loads idempotently and prints one login per role."""

from sqlalchemy import func, select

from core.extensions import db
from org.models import Employee, Team


def test_demo_load_twice_changes_nothing_and_prints_logins(runner):
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    people = db.session.scalar(select(func.count()).select_from(Employee))
    assert people >= 40 and db.session.scalar(select(func.count()).select_from(Team)) >= 10
    second = runner.invoke(args=["demo", "load"])
    assert "新建 0 条记录" in second.output
    assert db.session.scalar(select(func.count()).select_from(Employee)) == people
    logins = runner.invoke(args=["demo", "logins"]).output
    for label in ("系统管理员", "安全管理部门", "部门安全员", "班组长", "员工", "新员工"):
        assert label in logins
    second_safety = [line for line in logins.splitlines() if "安全管理部门（审核批准）" in line]
    assert len(second_safety) == 1 and "10005" in second_safety[0] and "10002" not in second_safety[0]
    leader = db.session.scalar(select(Employee).where(Employee.emp_no == "10201"))
    assert leader.team.leader_id == leader.id
