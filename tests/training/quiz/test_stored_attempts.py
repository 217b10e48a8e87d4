"""An attempt stored already submitted (demo data, a record brought in) never blocks a new one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from core.extensions import db
from training.quiz.models import Attempt


def _stored(exam, employee, **slot) -> Attempt:
    at = datetime.now(UTC) - timedelta(hours=2)
    attempt = Attempt(exam_id=exam.id, employee_id=employee.id, number=1, started_at=at - timedelta(minutes=25),
                      deadline=at + timedelta(minutes=5), items=[], item_scores={}, total_points=10, score=9,
                      passed=True, pass_percent=60, submitted_at=at, **slot)
    db.session.add(attempt)
    db.session.commit()
    return attempt


def _exam(make_exam, make_question):
    now = datetime.now(UTC)
    return make_exam([make_question()], opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=1))


def test_a_submitted_attempt_stored_like_the_demo_holds_no_open_slot(make_employee, make_exam, make_question):
    attempt = _stored(_exam(make_exam, make_question), make_employee(), open_slot=None)
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).open_slot is None


def test_starting_again_gives_a_new_attempt_not_the_old_result(client, login, make_employee, make_exam,
                                                               make_question):
    exam, employee = _exam(make_exam, make_question), make_employee()
    old = _stored(exam, employee)
    db.session.execute(text("UPDATE attempts SET open_slot = 1 WHERE id = :id"), {"id": old.id})  # as demo rows were
    db.session.commit()
    login(employee)
    response = client.post(f"/quiz/exams/{exam.id}/start")
    assert response.status_code == 302
    new_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    assert new_id != old.id and response.headers["Location"].endswith(f"/quiz/attempts/{new_id}")
    page = client.get(f"/quiz/attempts/{new_id}")
    assert page.status_code == 200 and "交卷" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Attempt, old.id).open_slot is None and db.session.get(Attempt, new_id).number == 2
