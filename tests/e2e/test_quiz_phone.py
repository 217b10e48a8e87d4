"""A new hire takes a company-level exam on a 360 px phone: answers, reloads, submits, sees the score."""

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from core.extensions import db
from org.models import Employee
from tests.e2e.conftest import log_in
from training.quiz.models import Exam, ExamItem, Question

STEMS = ["安全生产工作坚持的方针是？", "下列哪些属于劳动防护用品？", "未经安全培训合格可以上岗作业。"]


@pytest.fixture
def company_exam(live_app):
    """A published 公司级 exam with three questions; the demo new hire 10204 has set a password."""
    with live_app.app_context():
        db.session.scalar(select(Employee).where(Employee.emp_no == "10204")).must_change_password = False
        questions = [
            Question(key="e2e-1", type="single", level="company", topic="方针", stem=STEMS[0],
                     options=["预防为主、防消结合", "安全第一、预防为主、综合治理", "效益优先"], answer=[1],
                     explanation="依据《安全生产法》第三条。"),
            Question(key="e2e-2", type="multiple", level="company", topic="劳动防护", stem=STEMS[1],
                     options=["安全帽", "拖鞋", "安全带"], answer=[0, 2], explanation="拖鞋不是劳动防护用品。"),
            Question(key="e2e-3", type="truefalse", level="company", topic="培训", stem=STEMS[2], options=[],
                     answer=[1], explanation="未经培训合格不得上岗。"),
        ]
        now = datetime.now(UTC)
        exam = Exam(title="新员工公司级安全教育考试", level="company", published=True, duration_minutes=20,
                    pass_percent=66, points_single=2, points_multiple=2, points_truefalse=2, shuffle_questions=False,
                    opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=1))
        exam.items = [ExamItem(question=q, position=i) for i, q in enumerate(questions)]
        db.session.add(exam)
        db.session.commit()
        db.session.remove()


def _option(phone, stem: str, text: str):
    return phone.locator("fieldset.quiz-question", has_text=stem).locator("label.quiz-option", has_text=text)


def test_new_hire_takes_company_exam_on_a_phone(phone, company_exam):
    phone.on("dialog", lambda dialog: dialog.accept())
    log_in(phone, "10204")
    phone.wait_for_url(lambda url: url.endswith("/"))
    assert "我的考试" in phone.content()
    phone.click("text=新员工公司级安全教育考试")
    phone.click("button:has-text('开始考试')")
    phone.wait_for_selector("#quiz-form")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    _option(phone, STEMS[0], "安全第一").click()
    phone.wait_for_selector("#quiz-status:has-text('已保存')")
    _option(phone, STEMS[1], "安全帽").click()
    _option(phone, STEMS[1], "安全带").click()
    # A locator wait, not wait_for_function: the page's CSP forbids evaluating strings.
    expect(phone.locator("#quiz-revision")).to_have_value("3")

    phone.reload()  # mid-way: the saved answers are still chosen
    assert _option(phone, STEMS[0], "安全第一").locator("input").is_checked()
    assert _option(phone, STEMS[1], "安全帽").locator("input").is_checked()
    assert _option(phone, STEMS[1], "安全带").locator("input").is_checked()
    assert not _option(phone, STEMS[1], "拖鞋").locator("input").is_checked()

    _option(phone, STEMS[2], "错误").click()
    phone.click("#quiz-submit")
    phone.wait_for_url("**/result")
    assert "6" in phone.inner_text("#quiz-score") and "合格" in phone.inner_text("#quiz-score")
    phone.screenshot(path="test-artifacts/quiz-result-phone.png", full_page=True)

    phone.go_back()  # the attempt does not reopen: its page now redirects to the result
    phone.wait_for_load_state()
    assert phone.locator("#quiz-form").count() == 0
    assert "得分" in phone.content()
