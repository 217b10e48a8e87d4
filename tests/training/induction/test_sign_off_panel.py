"""待签字 on the home page: the officer sees who is ready, signs with one tap, is warned of 0-minute items."""

from __future__ import annotations

import pytest

from core.extensions import db
from tests.conftest import NOW
from tests.training.induction.test_induction import finish, study_all
from training.induction.models import Level
from training.induction.services.progress import current_induction
from training.induction.services.trainer import record_classroom


@pytest.fixture
def ready_for_department(new_hire, plant):
    """The new hire has finished the company level and everything of the department level but the signature."""
    induction = current_induction(new_hire)
    finish(new_hire, induction.levels[0], None, NOW, plant)
    department = induction.levels[1]
    study_all(new_hire, department, NOW)
    record_classroom(plant["officer"], Level.DEPARTMENT, NOW.date(), 8, "车间安全制度", [new_hire.id], NOW)
    db.session.commit()
    return department


@pytest.mark.config(FROZEN_NOW=NOW)
def test_officer_signs_off_from_the_home_page(ready_for_department, new_hire, plant, client, login):
    login(plant["officer"])
    home = client.get("/").get_data(as_text=True)
    assert "待签字" in home and "马小军" in home
    assert f"/training/induction/levels/{ready_for_department.id}/sign-off" in home
    assert "计入 0 分钟" not in home

    response = client.post(f"/training/induction/levels/{ready_for_department.id}/sign-off", data={"back": "home"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/")
    db.session.refresh(ready_for_department)
    assert ready_for_department.signed_off_by_id == plant["officer"].id
    assert "待签字" not in client.get("/").get_data(as_text=True)


@pytest.mark.config(FROZEN_NOW=NOW)
def test_zero_minute_item_is_flagged_and_other_trainers_see_nothing(ready_for_department, plant, client, login,
                                                                   app):
    item = ready_for_department.items[0]
    item.credited_minutes = 0
    db.session.commit()
    login(plant["officer"])
    home = client.get("/").get_data(as_text=True)
    assert "计入 0 分钟" in home and item.document.title in home

    leader = app.test_client()
    login(plant["leader1"], target=leader)  # the team leader signs the team level, not this one
    assert "待签字" not in leader.get("/").get_data(as_text=True)
