"""Unlisted exams (induction exams, a task's exam) belong to the people they are meant for."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from core.extensions import db
from org.models import Role
from training.assignments.services import create_assignment
from training.quiz.models import Attempt

EXPLANATION = "依据安全生产法第三条。"


@pytest.fixture
def unlisted(make_question, make_exam, make_employee):
    question = make_question(stem="安全生产工作的方针是？", options=["效益优先", "安全第一、预防为主、综合治理"],
                             answer=[1], explanation=EXPLANATION)
    now = datetime.now(UTC)
    exam = make_exam([question], listed=False, opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=1))
    named, outsider = make_employee(name="被布置的人"), make_employee(name="旁人")
    create_assignment(None, title="岗位考试", documents=[], exam_id=exam.id, due_on=(now + timedelta(days=3)).date(),
                      people=[named], now=now)
    db.session.commit()
    return exam, named, outsider


def _attempts(exam) -> int:
    return db.session.scalar(select(func.count()).select_from(Attempt).where(Attempt.exam_id == exam.id))


def _sit(client, exam) -> Attempt:
    started = client.post(f"/quiz/exams/{exam.id}/start")
    assert started.status_code == 302, started.get_data(as_text=True)
    attempt = db.session.get(Attempt, int(started.headers["Location"].rstrip("/").split("/")[-1]))
    submitted = client.post(f"/quiz/attempts/{attempt.id}/submit", data={"revision": "0"})
    assert submitted.status_code == 303
    return attempt


def test_anyone_else_cannot_open_or_start_an_unlisted_exam(client, login, unlisted):
    exam, _named, outsider = unlisted
    login(outsider)
    assert client.get(f"/quiz/exams/{exam.id}").status_code == 404
    assert client.post(f"/quiz/exams/{exam.id}/start").status_code == 404
    assert _attempts(exam) == 0
    assert "岗位考试" not in client.get("/quiz/").get_data(as_text=True)


def test_the_person_it_is_meant_for_sits_it_and_reads_the_review(client, login, unlisted):
    exam, named, _outsider = unlisted
    login(named)
    assert client.get(f"/quiz/exams/{exam.id}").status_code == 200
    attempt = _sit(client, exam)
    assert EXPLANATION in client.get(f"/quiz/attempts/{attempt.id}/result").get_data(as_text=True)


def test_an_old_attempt_by_an_outsider_shows_no_answers(app, client, login, unlisted):
    exam, named, outsider = unlisted
    login(named)
    taken = _sit(client, exam)
    client.post("/auth/logout")
    stray = Attempt(exam_id=exam.id, employee_id=outsider.id, number=1, open_slot=None, items=taken.items,
                    answers={}, started_at=taken.started_at, deadline=taken.deadline, total_points=taken.total_points,
                    score=0, passed=False, pass_percent=exam.pass_percent, submitted_at=taken.submitted_at)
    db.session.add(stray)
    db.session.commit()
    login(outsider)
    page = client.get(f"/quiz/attempts/{stray.id}/result")
    assert page.status_code == 200 and EXPLANATION not in page.get_data(as_text=True)
    assert EXPLANATION not in client.get("/quiz/mistakes").get_data(as_text=True)
    assert client.post(f"/quiz/exams/{exam.id}/start").status_code == 404


def test_the_safety_department_may_open_it(client, login, make_employee, unlisted):
    exam, _named, _outsider = unlisted
    login(make_employee(roles={Role.SAFETY_DEPT}))
    assert client.get(f"/quiz/exams/{exam.id}").status_code == 200
