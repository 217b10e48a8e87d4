"""年度再培训学时: yearly requirement vs credited study and classroom hours, on records and dashboards."""

from __future__ import annotations

from datetime import UTC, date, datetime

from core.extensions import db
from tests.conftest import NOW
from training.induction.models import Level, StudySession
from training.induction.services.annual_hours import annual_hours, annual_hours_many
from training.induction.services.trainer import record_classroom
from training.settings import set_setting

YEAR = NOW.year  # 2026


def credit(employee, document, minutes: float, at: datetime = NOW) -> None:
    """An acknowledged study session credited ``minutes`` at ``at`` (45 minutes = 1 学时 by default)."""
    db.session.add(StudySession(employee_id=employee.id, document_id=document.id, started_at=at,
                                acknowledged_at=at, credited_minutes=minutes))
    db.session.commit()


def test_below_requirement_is_unmet_and_at_requirement_is_met(plant, make_employee):
    worker = make_employee(team=plant["team1"], position=plant["press"])  # ordinary unit, ordinary post: 4 学时
    credit(worker, plant["rules"], 3 * 45)
    hours = annual_hours(worker, YEAR)
    assert (hours.required, hours.credited, hours.study, hours.classroom) == (4, 3, 3, 0)
    assert hours.status_label == "未达标"
    credit(worker, plant["workshop"], 45)
    assert annual_hours(worker, YEAR).status_label == "达标"


def test_key_positions_need_8_and_a_high_risk_unit_needs_20(plant, make_employee, make_position):
    welder = make_employee(team=plant["team1"], position=make_position(code="weld", special_operation=True))
    clerk = make_employee(team=plant["team1"])
    credit(welder, plant["rules"], 6 * 45)
    credit(clerk, plant["rules"], 6 * 45)
    assert annual_hours(welder, YEAR).required == 8 and not annual_hours(welder, YEAR).met
    assert annual_hours(clerk, YEAR).required == 4 and annual_hours(clerk, YEAR).met
    set_setting("high_risk_unit", "true")
    db.session.commit()
    both = annual_hours_many([welder, clerk], YEAR)
    assert [both[e.id].required for e in (welder, clerk)] == [20, 20]
    assert [both[e.id].status_label for e in (welder, clerk)] == ["未达标", "未达标"]


def test_classroom_session_counts_for_its_attendees_in_its_year(plant, make_employee):
    worker, absent = make_employee(team=plant["team1"]), make_employee(team=plant["team1"])
    record_classroom(plant["safety"], Level.TEAM, date(YEAR - 1, 12, 30), 6, "去年的课", [worker.id], NOW)
    record_classroom(plant["safety"], Level.TEAM, NOW.date(), 4, "年度再培训", [worker.id], NOW)
    db.session.commit()
    hours = annual_hours(worker, YEAR)
    assert (hours.classroom, hours.credited, hours.status_label) == (4, 4, "达标")
    assert annual_hours(absent, YEAR).credited == 0


def test_study_credited_in_the_previous_year_does_not_count(plant, make_employee):
    worker = make_employee(team=plant["team1"])
    credit(worker, plant["rules"], 4 * 45, at=datetime(YEAR - 1, 6, 1, tzinfo=UTC))
    credit(worker, plant["rules"], 45, at=datetime(YEAR - 1, 12, 31, 15, tzinfo=UTC))  # 23:00 Beijing, old year
    assert annual_hours(worker, YEAR).credited == 0
    assert annual_hours(worker, YEAR - 1).credited == 5
    credit(worker, plant["rules"], 45, at=datetime(YEAR - 1, 12, 31, 17, tzinfo=UTC))  # 01:00 Beijing, 1 January
    assert annual_hours(worker, YEAR).credited == 1


def test_new_hire_still_in_induction_owes_no_annual_hours(new_hire):
    hours = annual_hours(new_hire, YEAR)
    assert hours.required == 0 and hours.in_induction and hours.status_label == "达标"


def test_team_leader_dashboard_lists_only_own_team_as_unmet(plant, make_employee, client, login):
    done = make_employee(team=plant["team1"], name="一班达标")
    make_employee(team=plant["team1"], name="一班欠学时")
    make_employee(team=plant["team2"], name="二班欠学时")
    credit(done, plant["rules"], 4 * 45)
    credit(plant["leader1"], plant["rules"], 4 * 45)
    client.application.config["FROZEN_NOW"] = NOW
    login(plant["leader1"])
    page = client.get(f"/training/records/teams/{plant['team1'].id}").get_data(as_text=True)
    unmet = page.split("年度再培训未达标 1 人")[1].split("<h2>")[0]
    assert "一班欠学时" in unmet and "一班达标" not in unmet and "二班欠学时" not in page
    csv = client.get(f"/training/records/teams/{plant['team1'].id}/export.csv").get_data(as_text=True)
    assert "年度再培训" in csv.splitlines()[0]
    assert any("一班欠学时" in line and "0/4,未达标" in line for line in csv.splitlines())
    assert any("一班达标" in line and "4/4,达标" in line for line in csv.splitlines())
    assert "二班欠学时" not in csv
    officer = client.application.test_client()
    login(plant["officer"], target=officer)
    dept = officer.get(f"/training/records/departments/{plant['dept'].id}").get_data(as_text=True)
    assert "年度再培训未达标" in dept and "二班欠学时" in dept and "一班欠学时" in dept


def test_record_page_and_printed_card_show_the_years_hours(plant, make_employee, client, login):
    worker = make_employee(team=plant["team1"], name="赵师傅")
    credit(worker, plant["rules"], 90)
    client.application.config["FROZEN_NOW"] = NOW
    login(plant["leader1"])
    for url in (f"/training/records/employees/{worker.id}", f"/training/records/employees/{worker.id}/card"):
        page = client.get(url).get_data(as_text=True)
        assert f"{YEAR} 年度再培训：2 / 4 学时" in page and "未达标" in page, url
    xlsx = client.get(f"/training/records/employees/{worker.id}/export.csv").get_data(as_text=True)
    assert "年度再培训" in xlsx and "2/4 学时" in xlsx


def test_safety_department_edits_the_provincial_annual_hours(plant, client, login):
    login(plant["safety"])
    page = client.get("/training/induction/settings").get_data(as_text=True)
    assert "高危岗位、特种作业人员" in page and "其他从业人员" in page


def test_batch_costs_the_same_queries_for_one_or_many_people(plant, make_employee):
    from sqlalchemy import event, select

    from org.models import Employee

    people = [make_employee(team=plant["team1"], position=plant["press"]) for _ in range(6)]
    for person in people:
        credit(person, plant["rules"], 45)
    statements: list[str] = []

    def count(*args):
        statements.append(args[2])

    engine = db.engine
    people = list(db.session.scalars(select(Employee).where(Employee.id.in_([p.id for p in people]))))
    annual_hours_many(people[:1], YEAR)  # loads the one shared position
    event.listen(engine, "before_cursor_execute", count)
    try:
        one = len(statements)
        annual_hours_many(people[:1], YEAR)
        one = len(statements) - one
        before = len(statements)
        hours = annual_hours_many(people, YEAR)
        many = len(statements) - before
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert many == one
    assert {h.credited for h in hours.values()} == {1}
