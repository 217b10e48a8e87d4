"""Journey 2: the demo team leader, on a desktop and on a phone.

李德胜 (10201) leads 冲压一班. His new hire 杨帆 (10205) has finished the team level's study, hours and exam
(the demo data leaves him waiting for the signature, so 待签字 is not empty on day one);
the leader signs it off with one tap from his home page, assigns the team's hazard list to two members from
the assignment form (searchable document list, member checkboxes, a proposed due date), and prints the
team's 三级安全教育登记卡 in one go. The site is the demo data (`make run`'s setup), "now" injected.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from core.extensions import db
from tests.e2e.conftest import DESKTOP
from tests.e2e.journey_support import PHONE, Journey


def _menu(journey: Journey, page, label: str) -> None:
    """Follow a menu entry as a person would: the desktop bar, or the phone's ☰ menu."""
    if journey.viewport["width"] < 900:
        page.click("details.menu > summary")
        page.click(f".nav-phone >> text={label}")
    else:
        link = page.locator(".nav-desktop a", has_text=label)
        if not link.is_visible():  # a long menu folds managers' pages into a section
            page.locator(".nav-desktop details.nav-section", has=page.locator("a", has_text=label)) \
                .locator("summary").click()
        link.click()
    page.wait_for_load_state()


def _sign_off_from_home(journey: Journey, leader) -> None:
    leader.goto("/")
    headings = leader.locator("main section.card h2").all_inner_texts()
    assert headings[0].startswith("冲压一班") and headings[1].startswith("待签字"), headings  # own figures first
    panel = leader.locator("section.sign-offs")
    assert "杨帆" in panel.inner_text() and "班组级" in panel.inner_text(), panel.inner_text()
    journey.shot(leader, "home")
    journey.fits(leader)
    panel.locator("li", has_text="杨帆").locator("button", has_text="签字确认").click()
    leader.wait_for_load_state()
    assert "已签字确认杨帆的班组级培训" in leader.inner_text("main")
    assert leader.locator("section.sign-offs li", has_text="杨帆").count() == 0


def _assign(journey: Journey, leader) -> None:
    _menu(journey, leader, "布置学习")
    leader.click("text=布置学习任务")
    assert leader.input_value("input[name=due_on]") == (journey.app.config["FROZEN_NOW"] + timedelta(
        hours=8, days=7)).date().isoformat()  # a week from the company's today
    groups = leader.locator("#documents .picker-group").all_inner_texts()
    assert groups[0] == "本班组的文档", groups
    leader.fill("input[data-picker=documents]", "冲压一班 危险源")
    visible = leader.locator("#documents label:visible")
    assert visible.count() >= 1 and all("冲压一班" in text for text in visible.all_inner_texts())
    visible.first.locator("input").check()
    leader.fill("input[name=title]", "冲压一班危险源清单复习")
    leader.get_by_label("10202 赵红梅").check()
    leader.get_by_label("10203 孙明").check()
    journey.shot(leader, "assign-form")
    journey.fits(leader)
    leader.click("#assign")
    leader.wait_for_url("**/training/assignments/*")
    assert "已布置给 2 人" in leader.inner_text("main")
    member = journey.page("10202")
    member.goto("/training/tasks")
    assert "冲压一班危险源清单复习" in member.inner_text("main")


def _desktop_tables(journey: Journey, leader) -> None:
    """At desktop width the team's hazard list keeps each L/E/C/D figure on one line, and the team page
    marks an overdue row once (a bar on its first cell), not on every cell."""
    leader.goto("/kb/d/hazards-cy1")
    broken = leader.evaluate("""Array.from(document.querySelectorAll('.kb-hazards td.kb-lec-part')).filter(td => {
        const range = document.createRange(); range.selectNodeContents(td);
        return new Set(Array.from(range.getClientRects(), r => Math.round(r.top))).size > 1; }).length""")
    assert leader.locator(".kb-hazards td.kb-lec-part").count() > 0 and broken == 0, f"{broken} figures wrap"
    _menu(journey, leader, "培训档案")
    rows = leader.locator("tr.overdue")
    assert rows.count() >= 1
    borders = rows.first.evaluate("tr => Array.from(tr.cells, c => getComputedStyle(c).borderLeftWidth)")
    assert borders[0] != "0px" and set(borders[1:]) == {"0px"}, borders


def _print_cards(journey: Journey, leader) -> None:
    from org.models import Employee, Team

    _menu(journey, leader, "培训档案")
    leader.click("text=打印全班登记卡")
    leader.wait_for_load_state()
    with journey.app.app_context():
        team = db.session.scalar(select(Team).where(Team.code == "CY1"))
        members = db.session.scalars(select(Employee.name).where(Employee.team_id == team.id,
                                                                 Employee.status == "in_post")).all()
        db.session.remove()
    cards = leader.locator(".reg-card")
    assert cards.count() == len(members) and f"（共 {len(members)} 张）" in leader.inner_text(".no-print")
    card = leader.locator(".reg-card", has_text="杨帆")
    text = card.inner_text()
    assert "班组级" in text and "李德胜" in text and "合计学时" in text and "男" in text, text
    journey.shot(leader, "team-cards")
    if journey.viewport["width"] >= 900:  # printed on A4: 190 mm of paper is about 718 CSS px
        leader.set_viewport_size({"width": 718, "height": 1000})
        leader.emulate_media(media="print")
        clipped = leader.evaluate("""Array.from(document.querySelectorAll('.reg-card table'))
            .filter(t => t.getBoundingClientRect().right > document.documentElement.clientWidth + 1
                      || Array.from(t.querySelectorAll('th, td')).some(c => c.scrollWidth > c.clientWidth + 1))
            .length""")
        assert clipped == 0, f"{clipped} card tables overflow an A4 page"


def _walk(browser, site, viewport: dict, name: str) -> None:
    base_url, app = site
    journey = Journey(browser, base_url, app, viewport, name, journey="journey2")
    try:
        leader = journey.page("10201")
        _sign_off_from_home(journey, leader)
        _assign(journey, leader)
        if viewport["width"] >= 900:
            _desktop_tables(journey, leader)
        _print_cards(journey, leader)
    finally:
        journey.close()


def test_team_leader_signs_off_assigns_and_prints_on_a_desktop(browser, site):
    _walk(browser, site, DESKTOP, "desktop")


def test_team_leader_signs_off_assigns_and_prints_on_a_phone(browser, site):
    _walk(browser, site, PHONE, "phone")
