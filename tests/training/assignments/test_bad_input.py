"""Bad input in the assignment form: a field message, nothing written."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.extensions import db
from tests.conftest import NOW
from training.assignments.models import Assignment

DUE = (NOW + timedelta(days=3)).date()


def _form(**extra):
    return {"due_on": DUE.isoformat(), "exam_id": 0} | extra


@pytest.mark.config(FROZEN_NOW=NOW)
@pytest.mark.parametrize(("field", "raw", "message"), [
    ("title", "月度\x00学习", "控制字符"), ("title", "\x1b[31m学习", "控制字符"), ("note", "说明\x0b", "控制字符"),
    ("title", "学习\u202e任务", "改变文字方向"), ("due_on", "0001-01-01", "1900-01-01"),
    ("due_on", "9999-12-31", "2100-12-31"),
])
def test_hostile_text_and_dates_get_a_field_message(plant, make_employee, client, login, field, raw, message):
    worker = make_employee(team=plant["team1"])
    login(plant["leader1"])
    response = client.post("/training/assignments/new", data=_form(
        documents=[plant["hazards1"].id], employees=[worker.id], **{field: raw}))
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert db.session.query(Assignment).count() == 0


@pytest.mark.config(FROZEN_NOW=NOW)
@pytest.mark.parametrize("position", ["987654", "99999999999999999999"])
def test_a_position_that_does_not_exist_gets_a_field_message(plant, client, login, position):
    login(plant["officer"])
    response = client.post("/training/assignments/new", data=_form(documents=[plant["sop_press"].id],
                                                                    positions=[position]))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "所选岗位不存在" in page or "请选择有效的选项" in page
    assert db.session.query(Assignment).count() == 0


@pytest.mark.config(FROZEN_NOW=NOW)
@pytest.mark.parametrize(("field", "message"), [("teams", "所选班组不存在"), ("employees", "所选人员不存在")])
def test_a_team_or_person_that_does_not_exist_gets_a_field_message(plant, client, login, field, message):
    login(plant["leader1"])
    response = client.post("/training/assignments/new", data=_form(documents=[plant["hazards1"].id],
                                                                    **{field: ["987654"]}))
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert db.session.query(Assignment).count() == 0
