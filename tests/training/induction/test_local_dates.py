"""“Today” is the company's day: at 00:30 Beijing time UTC still reads yesterday."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from core.exceptions import DomainError
from core.extensions import db
from training.induction.models import ClassroomSession, Level
from training.induction.services.trainer import record_classroom

# 00:30 on 24 November in Beijing = 16:30 UTC on 23 November.
HALF_PAST_MIDNIGHT = datetime(2026, 11, 23, 16, 30, tzinfo=UTC)


def test_classroom_dated_today_is_accepted_at_0030_beijing(new_hire, plant):
    session = record_classroom(plant["safety"], Level.COMPANY, date(2026, 11, 24), 2, "班前会",
                               [new_hire.id], HALF_PAST_MIDNIGHT)
    db.session.commit()
    assert session.held_on == date(2026, 11, 24)
    with pytest.raises(DomainError, match="不能晚于今天"):
        record_classroom(plant["safety"], Level.COMPANY, date(2026, 11, 25), 2, "班前会", [new_hire.id],
                         HALF_PAST_MIDNIGHT)


@pytest.mark.config(FROZEN_NOW=HALF_PAST_MIDNIGHT)
def test_classroom_form_accepts_today_at_0030_beijing(plant, make_employee, client, login):
    veteran = make_employee(team=plant["team1"], position=plant["press"])
    login(plant["leader1"])
    response = client.post("/training/induction/classroom/new", data={
        "level": "team", "held_on": "2026-11-24", "hours": "2", "topic": "班前会", "attendees": [veteran.id]})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    assert db.session.query(ClassroomSession).count() == 1
