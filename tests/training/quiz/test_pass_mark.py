"""及格线 is a percentage, scores read on the 百分制 scale, exams save without 500s, 补考 and locks."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.exceptions import DomainError, NotAllowed
from core.extensions import db
from org.models import Role
from tests.conftest import NOW
from training.quiz.models import Exam
from training.quiz.services.attempts import attempts_left, save_answer, start_attempt, submit_attempt
from training.quiz.services.exam_setup import ExamData, save_exam
from training.quiz.services.my_exams import exam_row
from training.quiz.services.retakes import grant_retake, whom_to_ask


def _answer_right(attempt, count: int, at) -> None:
    """Answer the first ``count`` items right, the rest not at all."""
    for item in attempt.items[:count]:
        right = [o["oid"] for o in item["options"] if o["correct"]]
        save_answer(attempt, item["iid"], right, attempt.revision, at)


def test_a_21_point_exam_with_60_percent_is_passed_at_13_points(make_employee, make_question, make_exam, rng):
    # 7 single (2 points) + 7 true/false (1 point) = 21 points, the shape of the demo exams.
    questions = [make_question() for _ in range(7)] + [make_question("truefalse") for _ in range(7)]
    exam = make_exam(questions, pass_percent=60, shuffle_questions=False, max_attempts=3)
    employee = make_employee()
    perfect = start_attempt(employee, exam, NOW, rng=rng)
    _answer_right(perfect, 14, NOW + timedelta(minutes=1))
    submit_attempt(perfect, NOW + timedelta(minutes=2))
    assert (perfect.score, perfect.total_points, perfect.percent, perfect.passed) == (21.0, 21.0, 100.0, True)

    other = make_employee()
    partial = start_attempt(other, exam, NOW, rng=rng)
    _answer_right(partial, 6, NOW + timedelta(minutes=1))  # 12 points of 21 = 57.1 %
    submit_attempt(partial, NOW + timedelta(minutes=2))
    assert (partial.score, partial.percent, partial.passed) == (12.0, 57.1, False)


def test_result_page_shows_the_hundred_point_score_with_raw_points(client, login, make_employee, make_question,
                                                                   make_exam, rng):
    exam = make_exam([make_question(), make_question(), make_question("truefalse")], pass_percent=60,
                     shuffle_questions=False)
    employee = make_employee()
    attempt = start_attempt(employee, exam, NOW, rng=rng)
    _answer_right(attempt, 2, NOW)  # 4 of 5 points
    submit_attempt(attempt, NOW + timedelta(minutes=1))
    db.session.commit()
    login(employee)
    html = client.get(f"/quiz/attempts/{attempt.id}/result").get_data(as_text=True)
    assert "<b>80</b> 分" in html and "（4/5）" in html and "合格" in html
    assert "百分制，及格线 60 分" in html


def test_saving_an_unchanged_fixed_exam_twice_works_and_it_can_then_be_published(make_employee, make_question):
    author = make_employee(roles={Role.SAFETY_DEPT})
    keys = [make_question().key, make_question("truefalse").key]
    data = ExamData(title="公司级考试", question_keys=keys, published=False)
    exam = save_exam(None, data, author)
    db.session.commit()
    save_exam(exam, data, author)  # the same list again: no unique-constraint error
    db.session.commit()
    data.published, data.question_keys = True, list(reversed(keys))
    save_exam(exam, data, author)
    db.session.commit()
    saved = db.session.get(Exam, exam.id)
    assert saved.published and [i.question.key for i in saved.items] == list(reversed(keys))


def test_a_pass_mark_over_100_percent_is_refused(make_employee, make_question):
    author = make_employee(roles={Role.SAFETY_DEPT})
    with pytest.raises(DomainError, match="及格线"):
        save_exam(None, ExamData(title="考试", question_keys=[make_question().key], pass_percent=150), author)


def test_publish_and_withdraw_from_the_exam_list(client, login, make_employee, make_question, make_exam):
    exam = make_exam([make_question()], published=False)
    login(make_employee(roles={Role.SAFETY_DEPT}))
    response = client.post(f"/quiz/manage/exams/{exam.id}/publish?publish=1", follow_redirects=True)
    assert "已发布" in response.get_data(as_text=True)
    assert db.session.get(Exam, exam.id).published
    client.post(f"/quiz/manage/exams/{exam.id}/publish?publish=0")
    db.session.expire_all()
    assert not db.session.get(Exam, exam.id).published


def test_out_of_attempts_is_told_whom_to_ask_and_the_safety_department_grants_a_retake(
        app, client, login, make_employee, make_question, make_exam, rng):
    exam = make_exam([make_question()], max_attempts=1, pass_percent=60)
    employee = make_employee(name="马小军")
    safety = make_employee(roles={Role.SAFETY_DEPT}, name="刘安平")
    submit_attempt(start_attempt(employee, exam, NOW, rng=rng), NOW + timedelta(minutes=1))
    db.session.commit()
    assert attempts_left(employee, exam) == 0
    assert exam_row(employee, exam, NOW).status == "未通过"
    assert "刘安平（安全管理部门）" in whom_to_ask(exam, employee)
    login(employee)
    assert "请联系：刘安平（安全管理部门）" in client.get(f"/quiz/exams/{exam.id}").get_data(as_text=True)
    with pytest.raises(NotAllowed):
        grant_retake(make_employee(), employee, exam, NOW)

    officer = app.test_client()
    login(safety, target=officer)
    page = officer.get(f"/quiz/exams/{exam.id}/results").get_data(as_text=True)
    assert "次数已用完、尚未通过" in page and "马小军" in page
    officer.post(f"/quiz/exams/{exam.id}/retake/{employee.id}")
    assert attempts_left(employee, exam) == 1
    assert start_attempt(employee, exam, NOW + timedelta(hours=1), rng=rng).number == 2


def test_a_not_yet_taken_exam_reads_not_taken_and_an_open_window_reads_unlimited(client, login, make_employee,
                                                                                 make_question, make_exam):
    exam = make_exam([make_question()], opens_at=None, closes_at=None)
    employee = make_employee()
    assert exam_row(employee, exam, NOW).status == "未参加"
    login(employee)
    html = client.get(f"/quiz/exams/{exam.id}").get_data(as_text=True)
    assert "<dd>不限</dd>" in html and "开始考试" in html


def test_a_failed_result_says_how_many_tries_are_left_then_whom_to_ask(client, login, make_employee, make_question,
                                                                       make_exam, rng):
    exam = make_exam([make_question()], max_attempts=2, pass_percent=60)
    employee = make_employee(name="马小军")
    make_employee(roles={Role.SAFETY_DEPT}, name="刘安平")
    first = start_attempt(employee, exam, NOW, rng=rng)
    submit_attempt(first, NOW + timedelta(minutes=1))
    db.session.commit()
    login(employee)
    page = client.get(f"/quiz/attempts/{first.id}/result").get_data(as_text=True)
    assert "还可再考 1 次。" in page and f'href="/quiz/exams/{exam.id}">重新考试</a>' in page
    assert "请联系" not in page
    second = start_attempt(employee, exam, NOW + timedelta(minutes=5), rng=rng)
    submit_attempt(second, NOW + timedelta(minutes=6))
    db.session.commit()
    page = client.get(f"/quiz/attempts/{second.id}/result").get_data(as_text=True)
    assert "作答次数已用完。如需补考，请联系：刘安平（安全管理部门）。" in page and "重新考试" not in page
