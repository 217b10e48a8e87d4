"""Submitting an exam survives a lost answer from the server: the page sends the submit again
until it lands (once), and without script the plain form still submits."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.extensions import db
from org.models import Employee
from tests.e2e.conftest import PHONE, log_in
from tests.e2e.test_quiz_phone import STEMS, _option, company_exam  # noqa: F401  (the fixture)
from training.quiz.models import Attempt


def _start(page) -> None:
    log_in(page, "10204")
    page.wait_for_url(lambda url: url.endswith("/"))
    page.click("text=新员工公司级安全教育考试")
    page.click("button:has-text('开始考试')")
    page.wait_for_selector("#quiz-form")


def _attempts(live_app) -> list[Attempt]:
    with live_app.app_context():
        employee = db.session.scalar(select(Employee).where(Employee.emp_no == "10204"))
        found = list(db.session.scalars(select(Attempt).where(Attempt.employee_id == employee.id)))
        db.session.expunge_all()
        db.session.remove()
        return found


@pytest.mark.usefixtures("company_exam")
def test_a_submit_whose_answer_is_lost_is_sent_again_and_lands_once(phone, live_app):
    phone.on("dialog", lambda dialog: dialog.accept())
    _start(phone)
    _option(phone, STEMS[0], "安全第一").click()
    phone.wait_for_selector("#quiz-status:has-text('已保存')")
    sent = []

    def crash_then_pass(route) -> None:
        sent.append(route.request.method)
        if len(sent) == 1:
            route.fetch()  # the server records the submit, then the worker dies before answering
            route.abort("connectionreset")
        elif len(sent) == 2:
            route.fulfill(status=502, body="Bad Gateway")  # the proxy has no worker yet
        else:
            route.continue_()

    phone.route("**/submit", crash_then_pass)
    phone.click("#quiz-submit")
    phone.wait_for_url("**/result")
    assert len(sent) == 3 and "得分" in phone.content()
    attempts = _attempts(live_app)
    assert len(attempts) == 1 and attempts[0].submitted_at is not None


@pytest.mark.usefixtures("company_exam")
def test_without_script_the_plain_form_submits(browser, live_server, live_app):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        _start(page)
        _option(page, STEMS[0], "安全第一").click()
        page.click("#quiz-submit")
        page.wait_for_url("**/result")
        assert "得分" in page.content()
    finally:
        context.close()
    attempts = _attempts(live_app)
    assert len(attempts) == 1 and attempts[0].submitted_at is not None
