"""Effective dates are the company's calendar date (Asia/Shanghai), not UTC's."""

from __future__ import annotations

from datetime import UTC, date, datetime

from core.extensions import db
from kb.services.publishing import create_document, publish_revision, submit_revision
from org.models import Role
from tests.kb.helpers import procedure_input

# 03:12 on 30 November in Beijing is still 29 November in UTC.
EARLY_MORNING = datetime(2026, 11, 29, 19, 12, tzinfo=UTC)


def test_procedure_published_at_0312_beijing_takes_effect_that_local_day(
        make_department, make_team, make_position, make_employee, client, login):
    dept = make_department("CY", "冲压车间")
    make_team(dept, code="CY1")
    make_position("press-operator", "冲压工")
    officer = make_employee(department=dept, roles={Role.SAFETY_OFFICER})
    safety = make_employee(roles={Role.SAFETY_DEPT})
    revision = create_document(officer, "procedure", dept, procedure_input("press-operator"), EARLY_MORNING)
    submit_revision(officer, revision, EARLY_MORNING)
    publish_revision(safety, revision, EARLY_MORNING)
    db.session.commit()
    assert revision.effective_date == date(2026, 11, 30)

    login(safety)
    page = client.get(f"/kb/d/{revision.document.slug}").get_data(as_text=True)
    assert "生效日期 2026-11-30" in page
    assert "2026-11-29" not in page
