"""Home pages per role: the safety department's desk, the admin's imports and audit entries."""

from __future__ import annotations

from core.audit import audit_action
from core.extensions import db
from kb.services.publishing import create_document, publish_revision, submit_revision
from org.models import Role
from tests.conftest import NOW
from tests.kb.helpers import procedure_input


def test_safety_department_sees_review_queue_its_drafts_and_recent_publishes(
        make_department, make_team, make_position, make_employee, client, login):
    dept = make_department("CY", "冲压车间")
    make_team(dept, code="CY1")
    make_position("press-operator", "冲压工")
    officer = make_employee(department=dept, roles={Role.SAFETY_OFFICER})
    safety = make_employee(roles={Role.SAFETY_DEPT})
    waiting = create_document(officer, "procedure", dept, procedure_input("press-operator", title="待审的冲压规程"),
                              NOW)
    submit_revision(officer, waiting, NOW)
    published = create_document(officer, "procedure", dept, procedure_input("press-operator", title="已发布的行车规程"),
                                NOW)
    submit_revision(officer, published, NOW)
    publish_revision(safety, published, NOW)
    create_document(safety, "procedure", dept, procedure_input("press-operator", title="安全部自己的草稿"), NOW)
    db.session.commit()

    login(safety)
    home = client.get("/").get_data(as_text=True)
    queue = home[home.index("待审核"):home.index("我的草稿")]
    assert "待审的冲压规程" in queue and "已发布的行车规程" not in queue
    drafts = home[home.index("我的草稿"):home.index("最近发布")]
    assert "安全部自己的草稿" in drafts and "待审的冲压规程" not in drafts
    assert "已发布的行车规程" in home[home.index("最近发布"):]


def test_employee_does_not_see_the_desk(make_employee, client, login):
    login(make_employee())
    home = client.get("/").get_data(as_text=True)
    assert "待审核" not in home and "最近发布" not in home


def test_admin_sees_recent_roster_imports_and_latest_audit_entries(make_employee, client, login):
    admin = make_employee(roles={Role.ADMIN}, name="周管理")
    audit_action("roster.import", actor=admin, now=NOW, detail={"created": 12, "updated": 3, "unchanged": 40})
    db.session.commit()
    login(admin)
    home = client.get("/").get_data(as_text=True)
    assert "新增 12 人，更新 3 人" in home
    latest = home[home.index("审计日志</a>"):]
    assert "花名册导入" in latest and "登录成功" in latest  # the login just now is the newest entry
    assert "roster.import" not in home
    assert f"{admin.emp_no} 周管理 · 登录成功 · {admin.emp_no} 周管理" not in latest  # nobody named twice
    assert f"{admin.emp_no} 周管理 · 登录成功</li>" in latest


def test_admin_home_opens_with_the_organisation_before_personal_panels(make_employee, client, login):
    login(make_employee(roles={Role.ADMIN}, name="周管理"))
    home = client.get("/").get_data(as_text=True)
    main = home[home.index("<main"):]
    assert main.index("组织概况") < main.index("我的任务</h2>")
    assert main.index("审计日志</a>") < main.index("我的任务</h2>")
    assert main.index("最近花名册导入") < main.index("我的考试</h2>")
