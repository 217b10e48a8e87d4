"""Bad input in the induction pages: numbers are plain, dates sane, text clean — each refused with a
message at its field, and nothing saved. (Settings ranges: tests/core/test_settings.py.)"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from core.extensions import db
from training.induction.models import ClassroomSession, PaperLevel, Programme


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize(("field", "raw", "message"), [
    ("topic", "班前会\x07", "控制字符"), ("topic", "\u200b", "不可见字符"), ("hours", "sNaN", "半角数字"),
    ("hours", "²", "半角数字"), ("hours", "1e400", "半角数字"), ("held_on", "0001-01-01", "1900-01-01"),
    ("held_on", "9999-12-31", "2100-12-31"),
])
def test_classroom_form_refuses_hostile_values_at_the_field(plant, client, login, field, raw, message):
    login(plant["leader1"])
    data = {"level": "team", "held_on": "2026-11-20", "hours": "2", "topic": "班前会"} | {field: raw}
    response = client.post("/training/induction/classroom/new", data=data)
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert _count(ClassroomSession) == 0


@pytest.mark.parametrize("hours", ["sNaN", "Infinity", "²"])
def test_paper_record_hours_must_be_a_plain_number(plant, make_employee, client, login, hours):
    veteran = make_employee(team=plant["team1"], hire_date=date(2021, 8, 2))
    login(plant["safety"])
    form = {f"company-{k}": v for k, v in {"started_on": "2021-08-02", "finished_on": "2021-08-03", "hours": hours,
                                           "content": "公司级教育", "passed": "1", "trainer_name": "李德胜",
                                           "assessor_name": "李德胜"}.items()}
    response = client.post(f"/training/induction/employees/{veteran.id}/paper", data=form)
    assert response.status_code == 200 and "半角数字" in response.get_data(as_text=True)
    assert _count(PaperLevel) == 0


@pytest.mark.parametrize(("field", "raw"), [("hours", "sNaN"), ("pass_mark", "²"), ("item_min", "²")])
def test_programme_numbers_must_be_plain(plant, client, login, field, raw):
    login(plant["safety"])
    data = {"level": "company", "title": "公司级方案", "department_id": 0, "position_id": 0, "exam_id": 0,
            "item_doc": [str(plant["rules"].id)], "item_min": ["30"], "active": "y"} | {field: raw}
    response = client.post("/training/induction/programmes/new", data=data)
    assert response.status_code == 200
    assert "半角数字" in response.get_data(as_text=True) or "预计分钟须为 1–600 的整数" in response.get_data(
        as_text=True)
    assert _count(Programme) == 0
