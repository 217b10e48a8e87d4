"""Journey 3: the safety department, on a desktop and on a phone.

刘安平 (10002) reads the company's figures on his home page, writes a procedure choosing its positions and
regulations from pickers only and submits it; 宋立伟 (10005), the second safety-department account, approves
and publishes it. 刘安平 then grants 补考 to 冯国栋, who used his three attempts at the company-level exam,
builds a fixed exam unpublished by picking questions by their stems, edits it, publishes it from the exam list,
and imports a question sheet whose positions are written by name. The site is the demo data, "now" injected.
"""

from __future__ import annotations

import io
from datetime import timedelta

from openpyxl import Workbook
from sqlalchemy import select

from core.extensions import db
from tests.e2e.conftest import DESKTOP
from tests.e2e.journey_support import PHONE, Journey

TITLE = "冲压工换模安全操作规程"


def _out_of_attempts(app, emp_no: str = "10213", exam_title: str = "公司级安全教育考试") -> None:
    """Three failed, submitted attempts at the exam: the person may not start another."""
    from org.models import Employee
    from training.quiz.models import Attempt, Exam

    with app.app_context():
        person = db.session.scalar(select(Employee).where(Employee.emp_no == emp_no))
        exam = db.session.scalar(select(Exam).where(Exam.title == exam_title))
        at = app.config["FROZEN_NOW"] - timedelta(days=1)
        for number in range(1, exam.max_attempts + 1):
            started = at + timedelta(hours=number)
            attempt = Attempt(exam_id=exam.id, employee_id=person.id, number=number, started_at=started,
                              deadline=started + timedelta(minutes=30), items=[], item_scores={}, total_points=20.0,
                              score=6.0, pass_percent=exam.pass_percent, passed=False,
                              submitted_at=started + timedelta(minutes=20))
            db.session.add(attempt)
            db.session.flush()
            attempt.open_slot = None  # closed, as a submitted attempt is
            db.session.flush()
        db.session.commit()
        db.session.remove()


def _figure(page, label: str) -> str:
    return page.locator(".company-panel .stat", has_text=label).locator("b").inner_text()


def _home(journey: Journey, safety) -> None:
    safety.goto("/")
    assert _figure(safety, "准许上岗率") not in ("0%", "—")  # veterans' paper records count
    assert _figure(safety, "无三级教育记录") == "0"
    assert safety.locator(".company-departments tbody tr").count() >= 6
    journey.shot(safety, "home")
    journey.fits(safety)


def _tick(page, field: str, words: str, label: str) -> None:
    """Search a checkbox picker by name and tick the line that reads ``label``."""
    page.fill(f"input[data-picker={field}]", words)
    line = page.locator(f"#{field} label:visible", has_text=label).first
    line.locator("input").check()


def _write_procedure(journey: Journey, safety) -> str:
    safety.goto("/kb/new/procedures")
    assert safety.locator("textarea[name=references]").count() == 0  # no identifiers typed anywhere
    safety.fill("input[name=title]", TITLE)
    safety.fill("input[name=doc_number]", "AQ-CY-012")
    _tick(safety, "positions", "冲压", "冲压工")
    for name, text in (("ppe", "防护眼镜\n劳保鞋"), ("before_work", "确认滑块停在下死点"),
                       ("during_work", "换模全程锁定滑块"), ("after_work", "试冲三件并检查"),
                       ("prohibitions", "严禁在滑块下方无支撑作业"), ("emergency", "立即按下急停")):
        safety.fill(f"textarea[name={name}]", text)
    _tick(safety, "references", "安全生产法", "中华人民共和国安全生产法")
    assert "已选 1 项" in safety.inner_text("[data-picker-count=references]")
    safety.fill("textarea[name=body]", "## 适用范围\n\n冲压车间换模作业。")
    journey.shot(safety, "procedure-form")
    journey.fits(safety)
    safety.click("button:has-text('保存草稿')")
    safety.wait_for_load_state()
    assert "草稿已保存" in safety.inner_text("main"), safety.inner_text("main")[:400]
    safety.click("button:has-text('提交审核')")
    safety.wait_for_load_state()
    assert "已提交审核" in safety.inner_text("main")
    return safety.url.split("?")[0]


def _approve(journey: Journey) -> None:
    approver = journey.page("10005")
    desk = approver.locator("section.kb-desk")
    assert TITLE in desk.inner_text()
    desk.locator("a", has_text=TITLE).click()
    approver.wait_for_load_state()
    approver.click("button:has-text('审核通过并发布')")
    approver.wait_for_load_state()
    main = approver.inner_text("main")
    assert "已发布" in main and "文件编号 AQ-CY-012" in main and "中华人民共和国安全生产法" in main, main[:600]
    journey.shot(approver, "published")
    journey.fits(approver)


def _grant_retake(journey: Journey, safety) -> None:
    safety.goto("/quiz/manage/exams")
    row = safety.locator("tr", has_text="公司级安全教育考试")
    row.locator("a", has_text="成绩").click()
    safety.wait_for_load_state()
    stuck = safety.locator("#retakes li", has_text="冯国栋")
    stuck.locator("button", has_text="准许补考").click()
    safety.wait_for_load_state()
    assert "已准许冯国栋补考 1 次" in safety.inner_text("main")
    assert safety.locator("#retakes li", has_text="冯国栋").count() == 0
    from org.models import Employee
    from training.quiz.models import Exam
    from training.quiz.services.retakes import attempts_left

    with journey.app.app_context():  # he may start a fourth attempt now
        exam = db.session.scalar(select(Exam).where(Exam.title == "公司级安全教育考试"))
        person = db.session.scalar(select(Employee).where(Employee.emp_no == "10213"))
        assert attempts_left(person, exam) == 1
        db.session.remove()


def _fixed_exam(journey: Journey, safety) -> None:
    from training.quiz.models import Exam

    safety.goto("/quiz/manage/exams")
    safety.click("text=新建考试")
    safety.fill("input[name=title]", "冲压工岗位安全考试")
    safety.fill("input[name=pass_percent]", "60")
    safety.fill("input[name=max_attempts]", "2")
    safety.fill("input[data-picker=question_keys]", "冲压")
    lines = safety.locator("#question_keys label:visible")
    assert lines.count() >= 4 and all("冲压" in text for text in lines.all_inner_texts()[:4])
    for index in range(3):
        lines.nth(index).locator("input").check()
    safety.uncheck("input[name=published]")
    journey.shot(safety, "exam-form")
    journey.fits(safety)
    safety.click("button:has-text('保存')")
    safety.wait_for_load_state()
    assert "已保存" in safety.inner_text("main")
    row = safety.locator("tr", has_text="冲压工岗位安全考试")
    assert "未发布" in row.inner_text()

    row.locator("a", has_text="冲压工岗位安全考试").click()  # edit: one more question
    safety.fill("input[data-picker=question_keys]", "冲压")
    unticked = safety.locator("#question_keys label:visible", has_not=safety.locator("input:checked"))
    unticked.first.locator("input").check()
    safety.click("button:has-text('保存')")
    safety.wait_for_load_state()
    safety.locator("tr", has_text="冲压工岗位安全考试").locator("button", has_text="发布").click()
    safety.wait_for_load_state()
    assert "“冲压工岗位安全考试”已发布" in safety.inner_text("main")
    with journey.app.app_context():
        exam = db.session.scalar(select(Exam).where(Exam.title == "冲压工岗位安全考试"))
        assert exam.published and len(exam.items) == 4 and exam.max_attempts == 2
        db.session.remove()


def _question_sheet() -> bytes:
    from training.quiz.services.bank_import import XLSX_COLUMNS

    book = Workbook()
    book.active.append([label for _name, label in XLSX_COLUMNS])
    book.active.append(["cy-e2e-1", "单选", "班组级", "换模", 2, "冲压工、桥式起重机司机", "换模前滑块应停在？",
                        "上死点", "下死点", "任意位置", "", "", "", "B", "依据冲压工安全操作规程。", "sop-press", ""])
    book.active.append(["cy-e2e-2", "判断", "班组级", "换模", 1, "冲压工", "换模时可以不放安全垫块。",
                        "", "", "", "", "", "", "错", "换模必须放置安全垫块。", "sop-press", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _import_questions(journey: Journey, safety) -> None:
    safety.goto("/quiz/manage/questions/import")
    safety.set_input_files("input[type=file]", files=[{
        "name": "questions.xlsx", "buffer": _question_sheet(),
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
    safety.click("button:has-text('检查并导入')")
    safety.wait_for_load_state()
    assert "导入完成：新增 2 题" in safety.inner_text("main"), safety.inner_text("main")[:500]
    safety.goto("/quiz/manage/questions?q=换模前滑块")
    safety.locator("a", has_text="换模前滑块").first.click()
    safety.wait_for_load_state()
    main = safety.inner_text("main")
    assert "冲压工" in main and "桥式起重机司机" in main and "press-operator" not in main, main[:600]
    journey.shot(safety, "question")


def _walk(browser, site, viewport: dict, name: str) -> None:
    base_url, app = site
    _out_of_attempts(app)
    journey = Journey(browser, base_url, app, viewport, name, journey="journey3")
    try:
        safety = journey.page("10002")
        _home(journey, safety)
        _write_procedure(journey, safety)
        _approve(journey)
        _grant_retake(journey, safety)
        _fixed_exam(journey, safety)
        _import_questions(journey, safety)
    finally:
        journey.close()


def test_safety_department_first_hour_on_a_desktop(browser, site):
    _walk(browser, site, DESKTOP, "desktop")


def test_safety_department_first_hour_on_a_phone(browser, site):
    _walk(browser, site, PHONE, "phone")
