"""Bad input to exams: the exam form names its field; autosave bodies that are not an object of finite
numbers get a 400 with a message and change nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.extensions import db
from org.models import Role
from training.quiz.models import Attempt, Exam

EXAM = {"title": "动火作业考试", "duration_minutes": "30", "pass_percent": "60", "max_attempts": "2",
        "review_policy": "answers", "points_single": "2", "points_multiple": "4", "points_truefalse": "1",
        "department_id": "0", "level": ""}


@pytest.mark.parametrize(("field", "raw", "message"), [
    ("duration_minutes", "3²", "整数"), ("pass_percent", "nan", "半角数字"), ("pass_percent", "sNaN", "半角数字"),
    ("max_attempts", "1" * 25, "整数"), ("points_single", "Infinity", "整数"),
    ("rules", "单选 " + "9" * 25 + " 2", "格式不对"), ("rules", "单选 ²0 2", "格式不对"),
    ("title", "考试\x1b[2J", "控制字符"), ("opens_at", "0001-01-01T08:00", "1900-01-01"),
])
def test_exam_form_names_the_bad_field(client, login, make_employee, field, raw, message):
    login(make_employee(roles={Role.SAFETY_DEPT}))
    response = client.post("/quiz/manage/exams/new", data=EXAM | {field: raw})
    assert response.status_code == 200 and message in response.get_data(as_text=True), field
    assert db.session.query(Exam).count() == 0


@pytest.fixture
def attempt(client, login, make_employee, make_question, make_exam):
    now = datetime.now(UTC)
    exam = make_exam([make_question()], opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=1))
    login(make_employee())
    response = client.post(f"/quiz/exams/{exam.id}/start")
    return db.session.get(Attempt, int(response.headers["Location"].rstrip("/").split("/")[-1]))


@pytest.mark.parametrize("body", ["Infinity", "1e400", "[1, 2]", '"一段文字"', '{"item": "x", "revision": 1e400}',
                                  '{"item": "x", "choice": [], "revision": Infinity}',
                                  '{"item": "x", "choice": [], "revision": 99999999999999999999}'])
def test_autosave_body_that_is_not_an_object_of_finite_numbers_is_400(client, attempt, body):
    response = client.post(f"/quiz/attempts/{attempt.id}/save", data=body, content_type="application/json")
    assert response.status_code == 400
    assert any("请" in str(text) for text in response.get_json().values())  # a Chinese message, not a 500 page
    db.session.refresh(attempt)
    assert attempt.revision == 0 and not attempt.answers
