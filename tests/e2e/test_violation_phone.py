"""At 360 px: a team leader records a serious 三违 with a photo from the file chooser; the worker sees the
retraining task, studies and passes the exam; the department officer signs 复岗; 准许上岗 returns."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from core.extensions import db
from tests.e2e.conftest import DEMO_PASSWORD, PHONE, log_in, wait_until

START = datetime.now(UTC).replace(microsecond=0)
STEMS = ["冲压作业时可以用手伸入模具区取放工件。", "光电保护装置失效时必须停机报修。",
         "连续冲压时应使用手用工具取放工件。"]


@pytest.fixture
def press_line(live_app):
    """The press procedure (published) with three questions citing it; 孙明 (10203) fully inducted."""
    from kb.models import Document, DocumentKind, Revision, RevisionStatus
    from org.models import Department, Employee, Position
    from org.services import hash_password
    from training.induction.models import InductionReason
    from training.induction.services.inductions import open_induction
    from training.induction.services.study import acknowledge_study, study_continuously
    from training.induction.services.trainer import sign_off
    from training.quiz.models import Question
    from training.settings import set_setting

    with live_app.app_context():
        set_setting("hours_split", "0/0/0")
        press = db.session.scalar(select(Position).where(Position.code == "press-operator"))
        dept = db.session.scalar(select(Department).where(Department.code == "CY"))
        doc = Document(kind=DocumentKind.PROCEDURE, slug="sop-press", title="冲压工安全操作规程",
                       owner_department=dept, positions=[press])
        rev = Revision(document=doc, number=1, title=doc.title, body_md="严禁手伸入模具区。",
                       body_html="<p>严禁手伸入模具区。</p>", status=RevisionStatus.PUBLISHED, published_at=START,
                       fields={"emergency": ["立即按下急停按钮"], "ppe": ["防护眼镜"],
                               "prohibitions": ["严禁手伸入模具区"]})
        db.session.add_all([doc, rev])
        db.session.flush()
        doc.published_revision = rev
        for n, (stem, answer) in enumerate(zip(STEMS, ([1], [0], [0]), strict=True)):
            db.session.add(Question(key=f"press-{n}", type="truefalse", level="team", topic="冲压", stem=stem,
                                    options=[], answer=answer, source_document_id=doc.id))
        worker = db.session.scalar(select(Employee).where(Employee.emp_no == "10203"))
        worker.password_hash, worker.must_change_password = hash_password(DEMO_PASSWORD), False
        officer = db.session.scalar(select(Employee).where(Employee.emp_no == "10200"))
        leader = db.session.scalar(select(Employee).where(Employee.emp_no == "10201"))
        induction = open_induction(worker, InductionReason.NEW_HIRE, START - timedelta(days=30))
        at = START - timedelta(days=29)
        for level in induction.levels:
            for item in level.items:
                study_continuously(worker, item.document, at, 20, item=item)
                acknowledge_study(worker, item.document, at + timedelta(minutes=20))
            at += timedelta(days=1)
            if level.needs_sign_off:
                sign_off(officer if level.level == "department" else leader, level, at)
        db.session.commit()
        db.session.remove()


def _photo(tmp_path) -> str:
    from PIL import Image

    path = tmp_path / "现场.jpg"
    Image.new("RGB", (320, 240), (180, 40, 40)).save(path, "JPEG")
    return str(path)


def _study_until_confirmable(app, page) -> None:
    """Credited time comes only from the page's heartbeats: move the injected clock a minute per beat."""
    wait_until(page, "window.anzhiStudy !== undefined")
    minimum = float(page.inner_text(".study-meter").split("至少 ")[1].split(" 分钟")[0])
    start = datetime.now(UTC).replace(microsecond=0)
    for minute in range(1, math.ceil(minimum) + 2):
        app.config["FROZEN_NOW"] = start + timedelta(minutes=minute)
        page.evaluate("window.anzhiStudy.beat(false)")
    wait_until(page, "!document.getElementById('acknowledge').disabled")


def test_leader_records_worker_retrains_officer_signs_return(phone, browser, live_server, live_app, press_line,
                                                             tmp_path):
    phone.on("dialog", lambda dialog: dialog.accept())
    log_in(phone, "10201")
    phone.goto("/safety/violations/new")
    when, place = (phone.locator(f"[name={n}]").bounding_box() for n in ("occurred_at", "place"))
    assert when["height"] >= 44 and when["width"] == place["width"], (when, place)  # a tap-sized field like the rest
    phone.select_option("select[name=employee_id]", label="孙明（10203，冲压一班）")
    phone.fill("input[name=place]", "2 号线 250 吨冲床")
    phone.select_option("select[name=type]", label="违章作业")
    phone.select_option("select[name=severity]", label="严重三违")
    phone.fill("textarea[name=description]", "连续冲压时用手伸入模具区取放工件。")
    phone.select_option("select[name=procedure_id]", label="冲压工安全操作规程")
    phone.fill("textarea[name=action_taken]", "立即停机，当事人停止作业。")
    with phone.expect_file_chooser() as chooser:
        phone.click("input[name=photos]")
    chooser.value.set_files(_photo(tmp_path))
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.click("button:has-text('登记')")
    phone.wait_for_url("**/safety/violations/*")
    assert "该员工已停岗" in phone.content() and "停岗待复岗" in phone.content()
    assert phone.locator(".photos img").count() == 1
    assert phone.evaluate("document.querySelector('.photos img').naturalWidth") == 320
    violation_url = phone.url
    phone.screenshot(path="test-artifacts/violation-recorded-phone.png", full_page=True)

    worker_context = browser.new_context(viewport=PHONE, locale="zh-CN", base_url=live_server)
    worker = worker_context.new_page()
    worker.on("dialog", lambda dialog: dialog.accept())
    log_in(worker, "10203")
    worker.wait_for_url(lambda url: url.endswith("/"))
    assert "三违停岗，待复岗" in worker.content()
    worker.goto("/training/tasks")
    assert "三违停岗再培训" in worker.content()
    worker.click("a:has-text('冲压工安全操作规程')")
    _study_until_confirmable(live_app, worker)
    worker.click("#acknowledge")
    worker.goto("/training/tasks")
    worker.click("a:has-text('参加考试')")
    worker.click("button:has-text('开始考试')")
    worker.wait_for_selector("#quiz-form")
    for stem, answer in zip(STEMS, ("错误", "正确", "正确"), strict=True):
        worker.locator("fieldset.quiz-question", has_text=stem).locator("label.quiz-option", has_text=answer).click()
    worker.click("#quiz-submit")
    worker.wait_for_url("**/result")
    assert "合格" in worker.inner_text("#quiz-score")
    worker.goto("/")
    assert "三违停岗，待复岗" in worker.content()  # passing the exam alone does not return the post

    officer_context = browser.new_context(viewport=PHONE, locale="zh-CN", base_url=live_server)
    officer = officer_context.new_page()
    log_in(officer, "10200")
    officer.goto(violation_url)
    officer.fill("input[name=note]", "再培训考试合格，同意复岗")
    officer.click("button:has-text('签字复岗')")
    assert "已复岗" in officer.content()
    assert officer.evaluate("document.documentElement.scrollWidth") <= 360
    officer.screenshot(path="test-artifacts/violation-return-phone.png", full_page=True)

    worker.goto("/")
    assert "三违停岗，待复岗" not in worker.content() and "准许上岗" in worker.content()
    officer_context.close()
    worker_context.close()
