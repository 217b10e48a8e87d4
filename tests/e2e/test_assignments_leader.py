"""A team leader assigns the team hazard list and an exam to two members; one completes both; after the
due date the leader's dashboard shows 1 of 2 done and the other overdue (time injected via FROZEN_NOW)."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from core.extensions import db
from tests.e2e.conftest import log_in, wait_until

START = datetime.now(UTC).replace(microsecond=0)


def _seed(app) -> dict:
    """The CY1 hazard list (published) and a short exam; the content importer is tested elsewhere."""
    from kb.models import Document, DocumentKind, Revision, RevisionStatus
    from org.models import Department, Team
    from training.quiz.models import Exam

    with app.app_context():
        cy1 = db.session.scalar(select(Team).where(Team.code == "CY1"))
        dept = db.session.scalar(select(Department).where(Department.code == "CY"))
        doc = Document(kind=DocumentKind.HAZARD_LIST, slug="hazards-cy1", title="冲压一班危险源辨识与防范措施清单",
                       owner_department=dept, team=cy1)
        rev = Revision(document=doc, number=1, title=doc.title, body_md="压力机送料", status=RevisionStatus.PUBLISHED,
                       body_html="<p>压力机送料：双手按钮、光电保护。</p>", published_at=START)
        exam = Exam(title="冲压一班危险源测验", published=True, pass_percent=60)
        db.session.add_all([doc, rev, exam])
        db.session.flush()
        doc.published_revision = rev
        db.session.commit()
        return {"doc": doc.id, "exam": exam.id}


def _pass_exam(app, emp_no: str, exam_id: int) -> None:
    """The member's submitted, passed attempt (the quiz pages have their own browser tests)."""
    from org.models import Employee
    from training.quiz.models import Attempt

    with app.app_context():
        member = db.session.scalar(select(Employee).where(Employee.emp_no == emp_no))
        db.session.add(Attempt(exam_id=exam_id, employee_id=member.id, number=1, open_slot=None,
                               started_at=START, deadline=START + timedelta(minutes=30), total_points=100,
                               score=90, passed=True, pass_percent=60, submitted_at=START + timedelta(minutes=12)))
        db.session.commit()


def _study_until_confirmable(app, page) -> None:
    """Credited time comes only from the page's heartbeats: move the injected clock a minute per beat."""
    wait_until(page, "window.anzhiStudy !== undefined")
    minimum = float(page.inner_text(".study-meter").split("至少 ")[1].split(" 分钟")[0])
    assert page.locator("#acknowledge").is_disabled()
    for minute in range(1, math.ceil(minimum) + 2):
        app.config["FROZEN_NOW"] = START + timedelta(minutes=minute)
        page.evaluate("window.anzhiStudy.beat(false)")
    wait_until(page, "!document.getElementById('acknowledge').disabled")


def test_leader_assigns_member_completes_dashboard_shows_overdue(phone, live_app, browser, live_server):
    live_app.config["FROZEN_NOW"] = START
    ids = _seed(live_app)
    due = (START + timedelta(days=2)).date()

    log_in(phone, "10201")
    phone.goto("/training/assignments/new")
    phone.check(f"input[name=documents][value='{ids['doc']}']")  # a searchable checkbox list, not a multi-select
    phone.select_option("select[name=exam_id]", str(ids["exam"]))
    phone.fill("input[name=due_on]", due.isoformat())
    phone.get_by_label("10202 赵红梅").check()  # member checkboxes, not a native multi-select
    phone.get_by_label("10203 孙明").check()
    phone.click("#assign")
    phone.wait_for_url("**/training/assignments/*")
    assert "0 / 2 人已完成" in phone.content()

    member = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN", base_url=live_server)
    page = member.new_page()
    log_in(page, "10202")
    page.goto("/training/tasks")
    assert "冲压一班危险源辨识与防范措施清单" in page.content()
    page.click("ul.items a:has-text(\"危险源辨识\")")
    assert "双手按钮" in page.content()
    _study_until_confirmable(live_app, page)
    page.click("#acknowledge")
    assert "已确认学习" in page.content()
    _pass_exam(live_app, "10202", ids["exam"])
    page.goto("/training/tasks")
    assert "已完成" in page.content()
    member.close()

    live_app.config["FROZEN_NOW"] = START + timedelta(days=3)  # the due date has passed
    phone.goto("/training/records/")  # a leader of one team lands on its dashboard
    content = phone.content()
    assert "任务完成率（1/2）" in content
    assert "孙明</a>：" in content  # listed under 逾期任务
    overdue = phone.locator("ul.overdue-list li.overdue")
    assert overdue.count() == 1 and "孙明" in overdue.inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot(path="test-artifacts/assignments-leader-dashboard.png", full_page=True)
