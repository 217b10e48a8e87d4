"""三违 register: stand-down until exam and 复岗, team scope for leaders, counts, repeat offenders, case drafts."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest

from core.exceptions import DomainError, NotAllowed
from core.extensions import db
from kb.models import DocumentKind
from safety.models import Violation
from safety.services.violation_reports import draft_case, monthly_counts, repeat_offenders
from safety.services.violations import ViolationData, record_violation, retraining_of, sign_return
from tests.conftest import NOW
from tests.safety.conftest import gps_jpeg
from training.induction.services.clearance import clearance

pytestmark = pytest.mark.config(FROZEN_NOW=NOW)


@pytest.fixture
def press_questions(plant):
    """Five questions citing the press procedure (the retraining exam draws from them)."""
    from training.quiz.models import Question

    for n in range(5):
        db.session.add(Question(key=f"press-{n}", type="truefalse", level="team", topic="冲压", stem=f"冲压题{n}",
                                options=[], answer=[0], source_document_id=plant["sop_press"].id))
    db.session.commit()


def _serious(plant, person, actor=None, when=NOW - timedelta(hours=1)):
    return record_violation(actor or plant["leader1"], person, ViolationData(
        when, "2 号冲床", "operation", "serious", "用手伸入模具区取件", plant["sop_press"].id, "当场停机"), [], NOW)


def _pass_exam(person, violation, score_all=True):
    from training.quiz.models import Exam
    from training.quiz.services.attempts import start_attempt, submit_attempt

    attempt = start_attempt(person, db.session.get(Exam, violation.exam_id), NOW + timedelta(minutes=5))
    for item in attempt.items:
        right = [o["oid"] for o in item["options"] if o["correct"] == score_all]
        attempt.answers[item["iid"]] = right
    submit_attempt(attempt, NOW + timedelta(minutes=10))
    db.session.commit()


def test_serious_violation_withholds_clearance_until_exam_and_return(plant, cleared, press_questions):
    from kb.services.reading import acknowledge

    person = cleared(plant["press"])
    assert clearance(person).cleared
    violation = _serious(plant, person)
    db.session.commit()
    assert violation.stand_down and violation.exam_id is not None
    assert clearance(person).label == "三违停岗，待复岗"
    task = violation.assignment
    assert task.kind == "retraining" and plant["sop_press"] in task.documents

    with pytest.raises(DomainError, match="尚不能复岗"):
        sign_return(plant["officer"], violation, "", NOW)  # nothing done yet
    acknowledge(person, plant["sop_press"], NOW)
    _pass_exam(person, violation, score_all=False)  # a failed exam is not enough
    with pytest.raises(DomainError, match="再培训考试未通过"):
        sign_return(plant["officer"], violation, "", NOW + timedelta(minutes=20))
    _pass_exam(person, violation)
    assert retraining_of(violation, NOW + timedelta(minutes=20)).ready
    assert not clearance(person).cleared  # exam passed, but no 复岗 signature yet
    with pytest.raises(NotAllowed):
        sign_return(plant["leader1"], violation, "", NOW + timedelta(minutes=20))  # leaders do not sign 复岗
    sign_return(plant["officer"], violation, "考试合格，同意复岗", NOW + timedelta(minutes=20))
    db.session.commit()
    assert clearance(person).cleared


def test_general_violations_stand_down_at_the_configured_count(plant, cleared, press_questions):
    person = cleared(plant["press"])
    data = ViolationData(NOW - timedelta(days=40), "车间", "discipline", "general", "班中玩手机")
    first = record_violation(plant["leader1"], person, data, [], NOW)
    assert not first.stand_down and clearance(person).cleared
    data.occurred_at = NOW - timedelta(days=2)
    second = record_violation(plant["leader1"], person, data, [], NOW)
    assert second.stand_down and second.stand_down_reason == "一年内累计 2 次一般三违"


def test_leader_cannot_record_against_or_see_another_team(app, client, login, plant, cleared, press_questions):
    mine = cleared(plant["press"], team=plant["team1"], name="本班组")
    theirs = cleared(plant["press"], team=plant["team2"], name="二班组员")
    with pytest.raises(NotAllowed):
        _serious(plant, theirs, actor=plant["leader1"])
    db.session.rollback()
    other_record = _serious(plant, theirs, actor=plant["leader2"])
    own_record = _serious(plant, mine, actor=plant["leader1"])
    db.session.commit()

    login(plant["leader1"])
    assert client.get(f"/safety/violations/{other_record.id}").status_code == 404
    assert client.get(f"/safety/violations/{own_record.id}").status_code == 200
    listing = client.get("/safety/violations").get_data(as_text=True)
    assert "本班组" in listing and "二班组员" not in listing
    form = client.get("/safety/violations/new").get_data(as_text=True)
    assert "本班组" in form and "二班组员" not in form
    response = client.post("/safety/violations/new", data={
        "employee_id": theirs.id, "occurred_at": "2026-11-23T16:00", "place": "车间", "type": "operation",
        "severity": "general", "description": "越权登记的记录"})
    assert response.status_code == 404
    assert db.session.query(Violation).filter_by(description="越权登记的记录").count() == 0


def test_recording_from_the_form_keeps_photos_without_gps(client, login, plant, cleared, press_questions):
    from core.attachments import Attachment

    person = cleared(plant["press"])
    login(plant["leader1"])
    response = client.post("/safety/violations/new", content_type="multipart/form-data", data={
        "employee_id": person.id, "occurred_at": "2026-11-23T16:30", "place": "2 号冲床", "type": "operation",
        "severity": "serious", "description": "用手伸入模具区取件", "procedure_id": plant["sop_press"].id,
        "action_taken": "当场停机", "photos": [(io.BytesIO(gps_jpeg()), "IMG_1.jpg")]})
    assert response.status_code == 302, response.get_data(as_text=True)
    violation = db.session.query(Violation).one()
    photo = db.session.query(Attachment).one()
    assert photo.owner_id == violation.id
    served = client.get(f"/safety/violations/{violation.id}/photos/{photo.id}")
    assert served.status_code == 200 and b"GPS" not in served.data
    bad = client.post("/safety/violations/new", content_type="multipart/form-data", data={
        "employee_id": person.id, "occurred_at": "2026-11-23T16:30", "place": "2 号冲床", "type": "operation",
        "severity": "general", "description": "第二次", "photos": [(io.BytesIO(b"<html>"), "fake.jpg")]})
    assert bad.status_code == 422 and "fake.jpg" in bad.get_data(as_text=True)
    assert db.session.query(Violation).count() == 1


def test_monthly_counts_repeat_offenders_and_anonymised_case(plant, cleared, press_questions):
    person = cleared(plant["press"], name="马大哈")
    for days in (200, 100, 3):
        record_violation(plant["leader1"], person, ViolationData(
            NOW - timedelta(days=days), "冲压一班", "operation", "general", "马大哈未戴防护眼镜操作",
            plant["sop_press"].id), [], NOW)
    db.session.commit()
    assert repeat_offenders(plant["officer"], NOW) == {person.id: 3}
    assert repeat_offenders(plant["leader2"], NOW) == {}
    rows = monthly_counts(plant["officer"], 2026)
    assert rows[0].label == plant["dept"].name and rows[0].counts[10] == 1 and rows[0].total == 3
    assert rows[1].label == "冲压一班"

    violation = db.session.query(Violation).order_by(Violation.occurred_at.desc()).first()
    with pytest.raises(NotAllowed):
        draft_case(plant["officer"], violation, NOW)
    revision = draft_case(plant["safety"], violation, NOW)
    db.session.commit()
    assert revision.document.kind == DocumentKind.CASE and revision.status == "draft"
    text = str(revision.fields) + revision.title
    assert "马大哈" not in text and person.emp_no not in text and "某员工" in text
    assert revision.fields["procedure"] == "sop-press"


def test_the_form_names_nobody_until_the_leader_picks_the_person(client, login, plant, cleared):
    person = cleared(plant["press"])
    login(plant["leader1"])
    form = client.get("/safety/violations/new").get_data(as_text=True)
    people = form[form.index('name="employee_id"'):form.index("</select>", form.index('name="employee_id"'))]
    assert re.search(r'<option selected value="">请选择违章人员</option>', people), people
    assert f'value="{person.id}"' in people and f'selected value="{person.id}"' not in people
    response = client.post("/safety/violations/new", data={
        "employee_id": "", "occurred_at": "2026-11-23T16:30", "place": "2 号冲床", "type": "operation",
        "severity": "general", "description": "忘了选人"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "请选择违章人员。" in page and "忘了选人" in page
    assert db.session.query(Violation).count() == 0
    prefilled = client.get(f"/safety/violations/new?employee={person.id}").get_data(as_text=True)
    assert f'<option selected value="{person.id}">' in prefilled


def test_monthly_table_adds_a_company_total_and_offers_no_future_year(client, login, plant, make_department,
                                                                     make_team, make_employee):
    other = make_team(department=make_department(name="焊装车间"))
    for person, severity in ((make_employee(team=plant["team1"], position=plant["press"]), "serious"),
                             (make_employee(team=other, name="焊工甲"), "general"),
                             (make_employee(team=other, name="焊工乙"), "general")):
        record_violation(plant["safety"], person, ViolationData(NOW - timedelta(days=1), "车间", "operation", severity,
                                                                "未戴防护用品"), [], NOW)
    db.session.commit()
    login(plant["safety"])
    page = client.get("/safety/violations/stats").get_data(as_text=True)
    total = re.search(r'<tr class="total-row">(.*?)</tr>', page, re.S)
    assert total, page
    cells = re.findall(r"<td>(.*?)</td>", total.group(1))
    assert "合计" in total.group(1) and cells[10] == "3" and cells[12:] == ["<b>3</b>", "1"], cells
    year = NOW.year
    assert f"year={year + 1}" not in page and f"year={year - 1}" in page
    assert f"year={year}" in client.get(f"/safety/violations/stats?year={year - 1}").get_data(as_text=True)
    assert f"· {year}</h1>" in client.get(f"/safety/violations/stats?year={year + 5}").get_data(as_text=True)
