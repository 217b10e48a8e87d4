"""Journey 1: the demo new hire, from first login to 准许上岗, on a desktop and on a phone.

马小军 (10204) changes the initial password, studies every item of each level (the injected clock
moves while the study page beats, instead of waiting), sits and passes the three levels' exams;
the safety department, the department's safety officer and the team leader record classroom
hours, and the officer and the leader sign off. The site is the demo data (`make run`'s setup).
"""

from __future__ import annotations

import math

from sqlalchemy import select

from core.extensions import db
from tests.e2e.conftest import DEMO_PASSWORD, DESKTOP, wait_until
from tests.e2e.journey_support import PHONE, Journey

NEW_PASSWORD = "Xinyuan2026"


def _first_login(journey: Journey):
    page = journey.page("10204")
    page.wait_for_url("**/auth/password")
    page.fill("input[name=current_password]", DEMO_PASSWORD)
    page.fill("input[name=new_password]", NEW_PASSWORD)
    page.fill("input[name=confirm]", NEW_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: url.rstrip("/") == journey.base_url)
    assert "下一步" in page.inner_text("#next-step")
    return page


def _study_level(journey: Journey, page, level: str) -> int:
    """Follow 下一步 through every study item of the level; returns how many items were confirmed."""
    page.goto("/")
    card = page.locator("#next-step")
    assert "学习：" in card.inner_text(), card.inner_text()
    card.locator("a.button").click()
    done = 0
    while "/training/study/" in page.url:
        assert level in page.inner_text("main")
        wait_until(page, "document.querySelector('[data-credited]') !== null")
        minimum = float(page.inner_text(".study-meter").split("至少 ")[1].split(" 分钟")[0])
        assert page.locator("#acknowledge").is_disabled()
        for _ in range(math.ceil(minimum) + 1):  # the page beats once a minute of injected time
            journey.tick(60)
            page.evaluate("window.anzhiStudy.beat(false)")
        wait_until(page, "!document.getElementById('acknowledge').disabled")
        if done == 0:
            journey.shot(page, f"study-{level}")
            journey.fits(page)
        page.click("#acknowledge")
        page.wait_for_load_state()
        assert "已确认学习" in page.inner_text("main")
        done += 1
    return done


def _pass_exam(journey: Journey, page, level: str) -> None:
    """From the home page's 下一步: start the level's exam, answer every question right, submit."""
    from training.quiz.models import Attempt

    page.goto("/")
    card = page.locator("#next-step")
    assert f"参加{level}考试" in card.inner_text(), card.inner_text()
    card.locator("a.button").click()
    page.click("text=开始考试")
    page.wait_for_url("**/quiz/attempts/**")
    attempt_id = int(page.url.rstrip("/").split("/")[-1])
    with journey.app.app_context():
        items = db.session.get(Attempt, attempt_id).items
        db.session.remove()
    right = [o["oid"] for item in items for o in item["options"] if o["correct"]]
    # The test knows the key from the database (the page never shows it). Ticking every box at once
    # would race the page's autosaves; the submitted form carries the choices all the same.
    page.evaluate("ids => ids.forEach(id => { document.querySelector(`input[value='${id}']`).checked = true; })",
                  right)
    journey.tick(120)
    page.click("#quiz-submit")
    page.wait_for_url("**/result")
    score = page.inner_text("#quiz-score")
    assert "100" in score and "合格" in score, score


def _pick_attendee(page, name: str) -> None:
    """The classroom form's attendee picker: a multi-select or a list of checkboxes."""
    select = page.locator("select[name=attendees]")
    if select.count():
        value = select.locator("option", has_text=name).first.get_attribute("value")
        select.select_option(value)
    else:
        page.locator("label", has_text=name).first.click()


def _record_classroom(journey: Journey, trainer_no: str, level_value: str, hours: float, topic: str) -> None:
    page = journey.page(trainer_no)
    page.goto("/training/induction/classroom/new")
    level = page.locator("select[name=level]")
    if level.count():
        level.select_option(level_value)
    page.fill("input[name=held_on]", journey.today)
    page.fill("input[name=hours]", f"{hours:g}")
    page.fill("input[name=topic]", topic)
    _pick_attendee(page, "马小军")
    page.click("button:has-text('保存')")
    page.wait_for_load_state()
    assert "已登记培训课时" in page.inner_text("main"), page.inner_text("main")[:500]
    journey.fits(page)


def _missing_hours(journey: Journey, level_index: int) -> float:
    """How many classroom 学时 the level still needs (what the trainer reads on the stepper)."""
    from org.models import Employee
    from training.induction.services.progress import current_induction, induction_progress

    with journey.app.app_context():
        hire = db.session.scalar(select(Employee).where(Employee.emp_no == "10204"))
        lp = induction_progress(current_induction(hire)).levels[level_index]
        missing = lp.level.required_hours - lp.hours
        db.session.remove()
    return math.ceil(missing * 2) / 2


def _sign_off(journey: Journey, trainer_no: str, level_label: str) -> None:
    from org.models import Employee

    with journey.app.app_context():
        hire_id = db.session.scalar(select(Employee.id).where(Employee.emp_no == "10204"))
        db.session.remove()
    page = journey.page(trainer_no)
    page.goto(f"/training/records/employees/{hire_id}")
    page.click(f"button:has-text('签字确认{level_label}培训')")
    page.wait_for_load_state()
    flash = page.inner_text("main")
    assert "已签字确认" in flash and f"{level_label}培训" in flash, flash[:300]
    journey.fits(page)


def _walk(browser, site, viewport: dict, name: str) -> None:
    base_url, app = site
    journey = Journey(browser, base_url, app, viewport, name)
    try:
        hire = _first_login(journey)
        journey.shot(hire, "home")
        journey.fits(hire)
        assert _study_level(journey, hire, "公司级") == 5
        _pass_exam(journey, hire, "公司级")
        hire.goto("/")
        assert "参加公司级集中授课" in hire.inner_text("#next-step")
        _record_classroom(journey, "10002", "company", _missing_hours(journey, 0), "公司级安全教育集中授课")

        assert _study_level(journey, hire, "部门（车间）级") >= 1
        _pass_exam(journey, hire, "部门（车间）级")
        _record_classroom(journey, "10200", "department", _missing_hours(journey, 1), "冲压车间安全教育")
        hire.goto("/")
        assert "等待部门（车间）级签字确认" in hire.inner_text("#next-step")
        _sign_off(journey, "10200", "部门（车间）级")

        assert _study_level(journey, hire, "班组级") >= 1
        _pass_exam(journey, hire, "班组级")
        _record_classroom(journey, "10201", "team", _missing_hours(journey, 2), "冲压一班岗位安全教育")
        _sign_off(journey, "10201", "班组级")

        hire.goto("/training/induction")
        assert "准许上岗" in hire.inner_text("main") and "未准许上岗" not in hire.inner_text("main")
        journey.shot(hire, "cleared")
        hire.goto("/")
        assert hire.locator("#next-step").count() == 0
    finally:
        journey.close()


def test_new_hire_reaches_clearance_on_a_desktop(browser, site):
    _walk(browser, site, DESKTOP, "desktop")


def test_new_hire_reaches_clearance_on_a_phone(browser, site):
    _walk(browser, site, PHONE, "phone")
