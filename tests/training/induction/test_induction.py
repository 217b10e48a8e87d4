"""Three-level induction: opening, order, hours, sign-off, re-training."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from core.exceptions import DomainError, NotAllowed
from core.extensions import db
from org.signals import employee_changed, employee_created
from tests.conftest import NOW
from training.induction.models import Level
from training.induction.services.clearance import clearance
from training.induction.services.exam_gate import check_exam_allowed
from training.induction.services.inductions import record_absence
from training.induction.services.progress import current_induction, induction_progress
from training.induction.services.study import (
    acknowledge_study,
    heartbeat,
    next_item,
    start_study,
    study_continuously,
)
from training.induction.services.trainer import record_classroom, sign_off


def study_all(employee, level, at):
    for item in level.items:
        study_continuously(employee, item.document, at, item.expected_minutes, item=item)
        acknowledge_study(employee, item.document, at + timedelta(minutes=item.expected_minutes))
    db.session.commit()


def finish(employee, lp_level, trainer, at, plant):
    """Study everything, add the missing hours in class, sign off when needed."""
    study_all(employee, lp_level, at)
    progress = induction_progress(lp_level.induction).for_level(lp_level.id)
    missing = lp_level.required_hours - progress.hours
    if missing > 0:
        record_classroom(plant["safety"], Level(lp_level.level), at.date(), missing, "课堂讲授", [employee.id], at)
    if lp_level.needs_sign_off:
        sign_off(trainer, lp_level, at)
    db.session.commit()


def test_new_hire_gets_three_levels_with_position_procedures_and_team_hazards(new_hire, plant):
    induction = current_induction(new_hire)
    assert [lv.level for lv in induction.levels] == ["company", "department", "team"]
    assert [lv.required_hours for lv in induction.levels] == [8, 8, 8]
    team_titles = {i.document.title for i in induction.levels[2].items}
    assert team_titles == {"冲压工安全操作规程", "冲压一班危险源清单"}  # not the crane procedure
    assert clearance(new_hire).label == "培训中，未准许上岗"


def test_long_serving_employee_gets_no_induction(plant, make_employee):
    old = make_employee(team=plant["team1"], hire_date=date(2015, 1, 1))
    employee_created.send(old, now=NOW)
    assert current_induction(old) is None


def test_department_level_is_locked_until_company_level_complete(new_hire, make_exam, programmes, plant):
    exam = make_exam("部门级考试")
    dept_level = current_induction(new_hire).levels[1]
    dept_level.exam_id = exam.id
    db.session.commit()
    item = dept_level.items[0]
    with pytest.raises(DomainError, match="请先完成公司级"):
        start_study(new_hire, item.document, NOW, item=item)
    with pytest.raises(DomainError, match="请先完成公司级培训"):
        check_exam_allowed(new_hire, exam.id)
    finish(new_hire, current_induction(new_hire).levels[0], None, NOW, plant)
    start_study(new_hire, item.document, NOW, item=item)  # now allowed
    with pytest.raises(DomainError, match="先学后考"):  # the exam waits for the level's study items
        check_exam_allowed(new_hire, exam.id)
    study_all(new_hire, dept_level, NOW)
    check_exam_allowed(new_hire, exam.id)


def test_quiz_engine_refuses_a_locked_level_exam(new_hire, make_exam, programmes, plant):
    from training.quiz.models import Attempt, ExamItem, Question
    from training.quiz.services.attempts import start_attempt

    exam = make_exam("部门级考试")
    question = Question(key="q-lock", type="truefalse", level="department", topic="有限空间",
                        stem="有限空间作业须先通风。", options=["正确", "错误"], answer=[0])
    db.session.add(ExamItem(exam=exam, question=question))
    current_induction(new_hire).levels[1].exam_id = exam.id
    db.session.commit()
    with pytest.raises(DomainError, match="请先完成公司级培训"):
        start_attempt(new_hire, exam, NOW)
    assert db.session.query(Attempt).count() == 0
    finish(new_hire, current_induction(new_hire).levels[0], None, NOW, plant)
    with pytest.raises(DomainError, match="先学后考：请先学完部门（车间）级的学习资料（已完成 0/"):
        start_attempt(new_hire, exam, NOW)
    study_all(new_hire, current_induction(new_hire).levels[1], NOW)
    assert start_attempt(new_hire, exam, NOW).employee_id == new_hire.id


def test_locked_study_over_http_is_refused_and_writes_nothing(new_hire, client, login):
    from training.induction.models import StudySession

    item = current_induction(new_hire).levels[1].items[0]
    login(new_hire)
    response = client.post(f"/training/study/{item.document_id}/start", data={"item": item.id},
                           follow_redirects=True)
    assert "请先完成公司级培训" in response.get_data(as_text=True)
    assert db.session.query(StudySession).count() == 0


def test_hours_below_minimum_keep_level_incomplete(new_hire, plant):
    company = current_induction(new_hire).levels[0]
    study_all(new_hire, company, NOW)  # 60 minutes = 1.33 学时 of 8
    progress = induction_progress(company.induction).levels[0]
    assert progress.items_ok and not progress.hours_ok and not progress.complete
    record_classroom(plant["safety"], Level.COMPANY, NOW.date(), 6, "公司安全形势", [new_hire.id], NOW)
    assert not induction_progress(company.induction).levels[0].complete  # 7.33 < 8
    record_classroom(plant["safety"], Level.COMPANY, NOW.date(), 1, "事故案例", [new_hire.id], NOW)
    assert induction_progress(company.induction).levels[0].complete


def test_study_credit_is_capped_and_needs_acknowledgement(new_hire):
    item = current_induction(new_hire).levels[0].items[0]  # expected 60 min, cap 90
    with pytest.raises(DomainError):
        acknowledge_study(new_hire, item.document, NOW)
    study_continuously(new_hire, item.document, NOW, 600, item=item)
    session = acknowledge_study(new_hire, item.document, NOW + timedelta(hours=10))
    assert session.credited_minutes == 90
    assert item.credited_minutes == 90


def test_only_time_the_page_was_seen_counts_and_confirming_waits_for_the_minimum(new_hire):
    item = current_induction(new_hire).levels[0].items[0]  # expected 60 min: at least 30 before confirming
    start_study(new_hire, item.document, NOW, item=item)
    with pytest.raises(DomainError, match="还需学习约 30 分钟"):
        acknowledge_study(new_hire, item.document, NOW + timedelta(seconds=2))
    # The tab was hidden for an hour: the first beat after it counts at most one minute.
    session = heartbeat(new_hire, item.document, NOW + timedelta(hours=1))
    assert session.visible_seconds == 60
    # Beats faster than real time (a forged client) earn only the real time between them.
    for _ in range(100):
        heartbeat(new_hire, item.document, NOW + timedelta(hours=1))
    assert session.visible_seconds == 60
    # Shown again after being hidden: the page says so and the time away is not credited.
    heartbeat(new_hire, item.document, NOW + timedelta(hours=2), resumed=True)
    assert session.visible_seconds == 60
    for minute in range(1, 29):
        heartbeat(new_hire, item.document, NOW + timedelta(hours=2, minutes=minute))
    with pytest.raises(DomainError, match="还需学习约 0.5 分钟"):  # 29.5 minutes seen
        acknowledge_study(new_hire, item.document, NOW + timedelta(hours=2, minutes=28, seconds=30))
    session = acknowledge_study(new_hire, item.document, NOW + timedelta(hours=2, minutes=29))
    assert session.credited_minutes == 30 and item.done_at is not None
    assert next_item(new_hire) is None  # the company level's only item: what is left is hours, not study


def test_sign_off_only_by_the_trainer_and_clearance_after_all_three(new_hire, plant, make_exam, sit_exam):
    exam = make_exam("班组级考试")
    induction = current_induction(new_hire)
    induction.levels[2].exam_id = exam.id
    db.session.commit()
    finish(new_hire, induction.levels[0], None, NOW, plant)
    with pytest.raises(NotAllowed):
        finish(new_hire, induction.levels[1], plant["leader1"], NOW, plant)  # a leader cannot sign department
    sign_off(plant["officer"], induction.levels[1], NOW)
    team = induction.levels[2]
    study_all(new_hire, team, NOW)
    record_classroom(plant["leader1"], Level.TEAM, NOW.date(), 8, "岗位规程", [new_hire.id], NOW)
    with pytest.raises(DomainError, match="考试"):
        sign_off(plant["leader1"], team, NOW)  # exam not passed yet
    sit_exam(new_hire, exam, 85)
    with pytest.raises(NotAllowed):
        sign_off(plant["leader2"], team, NOW)  # another team's leader
    assert not clearance(new_hire).cleared
    sign_off(plant["leader1"], team, NOW)
    assert clearance(new_hire).cleared


def test_position_change_reopens_department_and_team_levels(new_hire, plant):
    induction = current_induction(new_hire)
    for level, trainer in zip(induction.levels, [None, plant["officer"], plant["leader1"]], strict=True):
        finish(new_hire, level, trainer, NOW, plant)
    assert clearance(new_hire).cleared
    new_hire.position = plant["crane"]
    employee_changed.send(new_hire, now=NOW, changes={"position": ("冲压工", "行车工")})
    db.session.commit()
    again = current_induction(new_hire)
    assert again.id != induction.id and again.reason == "job_change"
    assert [lv.level for lv in again.levels] == ["department", "team"]
    assert {i.document.title for i in again.levels[1].items} == {"行车安全操作规程", "冲压一班危险源清单"}
    assert not clearance(new_hire).cleared


def test_unrelated_change_reopens_nothing(new_hire):
    before = current_induction(new_hire).id
    employee_changed.send(new_hire, now=NOW, changes={"name": ("马小军", "马晓军")})
    assert current_induction(new_hire).id == before


def test_return_after_a_year_reopens_training(plant, make_employee):
    worker = make_employee(team=plant["team1"], position=plant["press"], hire_date=date(2015, 1, 1))
    assert record_absence(plant["safety"], worker, date(2025, 1, 1), date(2025, 6, 1), "病假", NOW) is None
    induction = record_absence(plant["safety"], worker, date(2024, 1, 1), date(2025, 1, 5), "借调", NOW)
    assert [lv.level for lv in induction.levels] == ["company", "department", "team"]  # company never done
    with pytest.raises(NotAllowed):
        record_absence(plant["leader1"], worker, date(2024, 1, 1), date(2025, 1, 5), "", NOW)


def test_classroom_for_someone_outside_scope_is_refused(new_hire, plant, make_employee):
    other = make_employee(team=plant["team2"])
    with pytest.raises(NotAllowed):
        record_classroom(plant["leader1"], Level.TEAM, NOW.date(), 2, "班前会", [other.id], NOW)


@pytest.mark.config(FROZEN_NOW=NOW)
def test_my_induction_page_and_study_flow(new_hire, client, login):
    login(new_hire)
    page = client.get("/training/induction").get_data(as_text=True)
    assert "公司级" in page and "安全生产法" in page and "未解锁" in page
    item = current_induction(new_hire).levels[0].items[0]  # 60 minutes expected: 30 at least
    study_page = client.get(f"/training/study/{item.document_id}?item={item.id}").get_data(as_text=True)
    assert "至少 30 分钟后可确认" in study_page and 'id="acknowledge" disabled' in study_page
    beat = f"/training/study/{item.document_id}/beat"
    assert client.post(beat, data={"item": item.id, "resumed": "1"}).get_json()["credited"] == 0
    early = client.post(f"/training/study/{item.document_id}/acknowledge", data={"item": item.id},
                        follow_redirects=True).get_data(as_text=True)
    assert "还需学习约 30 分钟才能确认" in early
    for minute in range(1, 31):
        client.application.config["FROZEN_NOW"] = NOW + timedelta(minutes=minute)
        state = client.post(beat, data={"item": item.id}).get_json()
    assert state == {"credited": 30.0, "minimum": 30.0, "remaining": 0.0, "may_confirm": True}
    response = client.post(f"/training/study/{item.document_id}/acknowledge", data={"item": item.id},
                           follow_redirects=True)
    assert "已确认学习“" in response.get_data(as_text=True) and "计入 30 分钟" in response.get_data(as_text=True)




def test_unlisted_level_exam_is_in_my_exams_only_while_that_level_is_open(new_hire, make_exam, make_employee, plant):
    from training.quiz.services.my_exams import exams_open_to

    company, department = make_exam("公司级考试"), make_exam("部门级考试")
    company.listed = department.listed = False
    levels = current_induction(new_hire).levels
    levels[0].exam_id, levels[1].exam_id = company.id, department.id
    db.session.commit()
    veteran = make_employee(team=plant["team1"], hire_date=date(2015, 1, 1))
    assert company not in exams_open_to(veteran, NOW)
    mine = exams_open_to(new_hire, NOW)
    assert company in mine and department not in mine  # the department level is still locked
