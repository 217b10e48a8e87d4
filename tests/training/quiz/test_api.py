"""The service API other training modules rely on: best_result and exams_open_to."""

from datetime import timedelta

from core.extensions import db
from tests.conftest import NOW
from training.quiz.services.attempts import save_answer, start_attempt, submit_attempt
from training.quiz.services.my_exams import exams_open_to
from training.quiz.services.results import best_result


def _right(attempt, item):
    return [o["oid"] for o in item["options"] if o["correct"]]


def test_best_result_is_the_highest_submitted_score(make_employee, make_question, make_exam, rng):
    employee = make_employee()
    exam = make_exam([make_question(), make_question("truefalse")], pass_percent=75)
    assert best_result(employee.id, exam.id) is None
    first = start_attempt(employee, exam, NOW, rng=rng)
    submit_attempt(first, NOW + timedelta(minutes=5))
    second = start_attempt(employee, exam, NOW + timedelta(minutes=6), rng=rng)
    for item in second.items:
        save_answer(second, item["iid"], _right(second, item), second.revision, NOW + timedelta(minutes=7))
    submit_attempt(second, NOW + timedelta(minutes=8))
    db.session.commit()
    result = best_result(employee.id, exam.id)
    assert (result.attempt_id, result.score, result.passed) == (second.id, 3.0, True)
    assert result.submitted_at == NOW + timedelta(minutes=8)


def test_exams_open_to_respects_window_audience_and_publication(make_employee, make_department, make_exam,
                                                                make_question):
    employee = make_employee()
    q = make_question()
    open_exam = make_exam([q])
    make_exam([q], published=False)
    make_exam([q], closes_at=NOW - timedelta(minutes=1))
    make_exam([q], opens_at=NOW + timedelta(hours=1))
    make_exam([q], department_id=make_department().id)
    mine = make_exam([q], department_id=employee.department_id)
    assert {e.id for e in exams_open_to(employee, NOW)} == {open_exam.id, mine.id}
