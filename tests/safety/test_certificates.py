"""Certificate ledger: the clearance hold, the expiring list (window and scope), entry rules, export."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest

from core.extensions import db
from org.models import Role
from safety.models import Certificate
from safety.services.certificates import (
    CertificateData,
    expiring_certificates,
    save_certificate,
    set_requirements,
)
from tests.conftest import NOW
from training.induction.services.clearance import clearance

TODAY = date(2026, 11, 23)
pytestmark = pytest.mark.config(FROZEN_NOW=NOW)


def _certificate(employee, kind="se-crane-q2", valid_until=TODAY + timedelta(days=400), review=None, number="Q2-1"):
    certificate = Certificate(employee_id=employee.id, kind_code=kind, number=number, authority="市场监管局",
                              issued_on=TODAY - timedelta(days=1000), valid_until=valid_until, next_review_on=review)
    db.session.add(certificate)
    db.session.commit()
    return certificate


def test_expired_certificate_withholds_clearance_only_where_the_position_requires_one(plant, cleared):
    set_requirements(plant["safety"], plant["crane"], ["se-crane-q2"], NOW)
    db.session.commit()
    crane_man = cleared(plant["crane"], name="吊车工")
    press_man = cleared(plant["press"], name="冲压工人")
    _certificate(crane_man, valid_until=TODAY - timedelta(days=1))
    _certificate(press_man, valid_until=TODAY - timedelta(days=1), number="Q2-2")

    held = clearance(crane_man)
    assert not held.cleared and held.label == "未持有效证件"
    assert "起重机司机 Q2" in held.holds[0].detail
    assert clearance(press_man).cleared  # no requirement: an expired certificate changes nothing

    _certificate(crane_man, valid_until=TODAY + timedelta(days=900), number="Q2-3")  # renewed
    assert clearance(crane_man).cleared


def test_missed_review_makes_a_special_operation_certificate_invalid(plant, cleared):
    set_requirements(plant["safety"], plant["crane"], ["so-electric-low"], NOW)
    db.session.commit()
    person = cleared(plant["crane"])
    _certificate(person, kind="so-electric-low", valid_until=TODAY + timedelta(days=900),
                 review=TODAY - timedelta(days=3))
    assert clearance(person).label == "未持有效证件"


def test_clearance_label_shows_on_records_card_and_export(client, login, plant, cleared):
    set_requirements(plant["safety"], plant["crane"], ["se-crane-q2"], NOW)
    db.session.commit()
    person = cleared(plant["crane"])
    login(plant["officer"])
    record = client.get(f"/training/records/employees/{person.id}").get_data(as_text=True)
    assert "未持有效证件" in record and "起重机司机 Q2" in record
    assert "未持有效证件" in client.get(f"/training/records/employees/{person.id}/card").get_data(as_text=True)
    assert "未持有效证件" in client.get(f"/training/records/departments/{plant['dept'].id}").get_data(as_text=True)
    export = client.get(f"/training/records/employees/{person.id}/export.csv")
    assert "未持有效证件" in export.get_data(as_text=True)


def test_expiring_list_honours_window_and_department_scope(plant, make_department, make_employee, make_team):
    mine = make_employee(team=plant["team1"], position=plant["crane"], name="本部门")
    other_dept = make_department(name="焊装车间")
    theirs = make_employee(team=make_team(department=other_dept), position=plant["crane"], name="外部门")
    soon = _certificate(mine, valid_until=TODAY + timedelta(days=30), number="A")
    _certificate(mine, kind="se-forklift-n1", valid_until=TODAY + timedelta(days=90), number="B")
    lapsed = _certificate(mine, kind="so-electric-low", valid_until=TODAY + timedelta(days=900),
                          review=TODAY - timedelta(days=2), number="C")
    _certificate(theirs, valid_until=TODAY + timedelta(days=10), number="D")

    officer_view = expiring_certificates(plant["officer"], TODAY, 60)
    assert [row.certificate.id for rows in officer_view.values() for row in rows] == [lapsed.id, soon.id]
    assert list(officer_view) == [plant["dept"]]

    everything = expiring_certificates(plant["safety"], TODAY, 60)
    assert {d.name for d in everything} == {plant["dept"].name, "焊装车间"}
    wider = expiring_certificates(plant["officer"], TODAY, 120)
    assert len([r for rows in wider.values() for r in rows]) == 3


def test_expiring_export_is_xlsx_uncached_with_formulas_neutralised(app, client, login, plant, make_employee):
    from openpyxl import load_workbook

    person = make_employee(team=plant["team1"], position=plant["crane"], name="=HYPERLINK(\"x\")")
    _certificate(person, valid_until=TODAY + timedelta(days=5))
    login(plant["officer"])
    response = client.get("/safety/certificates/expiring.xlsx")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    sheet = load_workbook(io.BytesIO(response.data)).active
    names = [row[3] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert names == ["'=HYPERLINK(\"x\")"]
    leader = app.test_client()
    login(plant["leader1"], target=leader)
    assert leader.get("/safety/certificates/expiring.xlsx").status_code == 403


def test_review_training_assigned_from_the_list_in_one_step(client, login, plant, make_employee):
    from training.assignments.models import Assignment

    person = make_employee(team=plant["team1"], position=plant["crane"], name="待复审")
    certificate = _certificate(person, valid_until=TODAY + timedelta(days=20))
    login(plant["officer"])
    response = client.post("/safety/certificates/expiring/assign",
                           data={"certificate_ids": [certificate.id], "due_on": "2026-12-20"})
    assert response.status_code == 302
    assignment = db.session.query(Assignment).one()
    assert assignment.kind == "cert_review" and [t.employee_id for t in assignment.tasks] == [person.id]
    assert plant["sop_crane"] in assignment.documents
    # a certificate outside the officer's scope cannot be slipped in
    stranger = make_employee(position=plant["crane"], name="外人")
    foreign = _certificate(stranger, valid_until=TODAY + timedelta(days=20), number="X")
    response = client.post("/safety/certificates/expiring/assign", data={"certificate_ids": [foreign.id]})
    assert response.status_code == 404


def test_officer_enters_certificates_in_scope_only_and_blank_dates_follow_the_rules(plant, make_employee):
    from core.exceptions import NotAllowed

    person = make_employee(team=plant["team1"], position=plant["crane"])
    data = CertificateData("so-electric-low", "T330101", "杭州市应急管理局", date(2024, 3, 1))
    saved = save_certificate(plant["officer"], person, data, NOW)
    assert saved.valid_until == date(2030, 3, 1) and saved.next_review_on == date(2027, 3, 1)
    forklift = CertificateData("se-forklift-n1", "N1", "", date(2024, 3, 1))
    equipment = save_certificate(plant["officer"], person, forklift, NOW)
    assert equipment.valid_until == date(2028, 3, 1) and equipment.next_review_on is None
    with pytest.raises(NotAllowed):
        save_certificate(plant["leader1"], person, data, NOW)
    outsider = make_employee(roles={Role.SAFETY_OFFICER})
    with pytest.raises(NotAllowed):
        save_certificate(outsider, person, data, NOW)


def test_certificate_form_names_the_bad_field(client, login, plant, make_employee):
    person = make_employee(team=plant["team1"], position=plant["crane"])
    login(plant["officer"])
    response = client.post(f"/safety/people/{person.id}/certificates/new",
                           data={"kind_code": "so-electric-low", "number": "X1", "issued_on": "2026-12-30"})
    assert response.status_code == 422
    assert "发证日期不能晚于今天" in response.get_data(as_text=True)
    assert db.session.query(Certificate).count() == 0


def test_roster_import_takes_certificate_columns(plant):
    from core.exceptions import ValidationFailed
    from org.roster_import import apply_roster, read_roster

    header = "工号,姓名,部门,班组,岗位,证件类别,操作项目,证号,发证机关,发证日期,有效期至\r\n"
    dept = plant["dept"].code
    good = header + f"20001,钱电工,{dept},CY1,crane,特种作业操作证,低压电工作业,T1,应急管理局,2024-03-01,\r\n"
    apply_roster(read_roster("r.csv", good.encode()), actor=plant["safety"], now=NOW)
    db.session.commit()
    certificate = db.session.query(Certificate).one()
    assert certificate.kind_label.endswith("低压电工作业") and certificate.valid_until == date(2030, 3, 1)

    bad = header + f"20002,孙焊工,{plant['dept'].code},CY1,crane,特种作业操作证,潜水作业,T2,,2024-13-01,\r\n"
    with pytest.raises(ValidationFailed) as failure:
        apply_roster(read_roster("r.csv", bad.encode()), actor=plant["safety"], now=NOW)
    assert any("第 2 行「操作项目」" in p for p in failure.value.problems)
    assert any("第 2 行「发证日期」" in p for p in failure.value.problems)


def test_english_user_sees_certificate_status_and_days_left_in_english(client, login, plant, make_employee):
    person = make_employee(team=plant["team1"], position=plant["crane"], name="证件人")
    _certificate(person, valid_until=TODAY - timedelta(days=3), number="OLD")
    _certificate(person, kind="se-forklift-n1", valid_until=TODAY + timedelta(days=30), number="SOON")
    _certificate(person, kind="so-electric-low", valid_until=TODAY + timedelta(days=900), number="LATE",
                 review=TODAY - timedelta(days=2))
    plant["officer"].locale = "en"
    db.session.commit()
    login(plant["officer"])
    page = client.get(f"/safety/people/{person.id}/certificates").get_data(as_text=True)
    for english in ("Expired", "Valid", "Review overdue"):
        assert f">{english}</span>" in page, english
    assert '<span class="badge ok">Valid</span>' in page
    for chinese in ("已过期", "逾期未复审", ">有效<"):
        assert chinese not in page
    expiring = client.get("/safety/certificates/expiring").get_data(as_text=True)
    assert "expiry in 30 days" in expiring and "天后" not in expiring


def test_expiring_dates_and_names_do_not_break_mid_value(client, login, plant, make_employee):
    person = make_employee(team=plant["team1"], position=plant["crane"], name="吕晨")
    _certificate(person, valid_until=TODAY + timedelta(days=45))
    login(plant["safety"])
    page = client.get("/safety/certificates/expiring").get_data(as_text=True)
    due = (TODAY + timedelta(days=45)).isoformat()
    assert re.search(rf'<td class="nowrap" data-label="有效期至">{due}</td>', page), page
    assert re.search(r'<td class="nowrap" data-label="姓名"><a [^>]*>吕晨</a>', page)
    ledger = client.get(f"/safety/people/{person.id}/certificates").get_data(as_text=True)
    assert f'<td class="nowrap" data-label="有效期至">{due}</td>' in ledger
