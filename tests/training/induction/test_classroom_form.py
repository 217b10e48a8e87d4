"""The classroom form offers only the levels the user may teach and keeps the form on a refusal."""

from __future__ import annotations

import re

from core.extensions import db
from training.induction.models import ClassroomSession


def _level_options(page: str) -> list[str]:
    select = re.search(r'<select[^>]*name="level"[^>]*>(.*?)</select>', page, re.S).group(1)
    return re.findall(r'<option[^>]*value="([^"]*)"', select)


def test_team_leader_is_offered_only_the_team_level(plant, client, login):
    login(plant["leader1"])
    assert _level_options(client.get("/training/induction/classroom/new").get_data(as_text=True)) == ["team"]


def test_officer_is_offered_department_and_team_levels(plant, client, login):
    login(plant["officer"])
    page = client.get("/training/induction/classroom/new").get_data(as_text=True)
    assert _level_options(page) == ["department", "team"]


def test_a_level_not_offered_is_refused_in_the_form_not_with_403(plant, client, login):
    login(plant["leader1"])
    response = client.post("/training/induction/classroom/new", data={
        "level": "company", "held_on": "2026-11-20", "hours": "2", "topic": "班前会"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "班前会" in page  # what was typed is still there
    assert db.session.query(ClassroomSession).count() == 0
