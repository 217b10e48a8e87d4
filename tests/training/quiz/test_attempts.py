"""Attempt integrity at injected instants: deadlines, grace, idempotent submit, stale autosaves."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core.exceptions import DomainError
from core.extensions import db
from tests.conftest import NOW
from training.quiz.models import Attempt
from training.quiz.services.attempts import (
    AttemptClosed,
    StaleRevision,
    close_overdue_attempts,
    save_answer,
    start_attempt,
    submit_attempt,
)
from training.quiz.services.scoring import score_item


def right(item):
    return [o["oid"] for o in item["options"] if o["correct"]]


def wrong(item):
    return [next(o["oid"] for o in item["options"] if not o["correct"])]


@pytest.fixture
def sitting(make_employee, make_question, make_exam, rng):
    """An employee 10 minutes into a 30-minute, two-question exam with one answer saved."""
    employee = make_employee()
    exam = make_exam([make_question(), make_question("truefalse")], duration_minutes=30, pass_percent=75)
    attempt = start_attempt(employee, exam, NOW, grace_seconds=60, rng=rng)
    first = attempt.items[0]
    save_answer(attempt, first["iid"], right(first), 0, NOW + timedelta(minutes=10))
    db.session.commit()
    return attempt


def _all_right(attempt):
    return {item["iid"]: right(item) for item in attempt.items}


def test_deadline_is_start_plus_duration_capped_by_close(make_employee, make_question, make_exam, rng):
    exam = make_exam([make_question()], duration_minutes=60, closes_at=NOW + timedelta(minutes=20))
    attempt = start_attempt(make_employee(), exam, NOW, rng=rng)
    assert attempt.deadline == NOW + timedelta(minutes=20)


def test_submit_one_second_before_deadline_is_accepted(sitting):
    submit_attempt(sitting, sitting.deadline - timedelta(seconds=1), answers=_all_right(sitting), revision=1)
    assert (sitting.score, sitting.passed, sitting.closed_by_deadline) == (3.0, True, False)
    assert sitting.submitted_at == sitting.deadline - timedelta(seconds=1)


def test_submit_one_second_before_grace_ends_is_accepted(sitting):
    at = sitting.deadline + timedelta(seconds=59)
    submit_attempt(sitting, at, answers=_all_right(sitting), revision=1)
    assert (sitting.score, sitting.closed_by_deadline, sitting.submitted_at) == (3.0, False, at)


def test_submit_one_second_after_grace_closes_with_saved_answers_only(sitting):
    submit_attempt(sitting, sitting.deadline + timedelta(seconds=61), answers=_all_right(sitting), revision=1)
    assert sitting.score == 2.0  # only the saved first answer counts
    assert sitting.closed_by_deadline and sitting.submitted_at == sitting.deadline
    assert sitting.passed is False


def test_autosave_after_grace_is_refused_and_closes_the_attempt(sitting):
    second = sitting.items[1]
    with pytest.raises(AttemptClosed):
        save_answer(sitting, second["iid"], right(second), 1, sitting.deadline + timedelta(seconds=61))
    assert sitting.is_submitted and sitting.score == 2.0


def test_double_submit_gives_one_result(sitting):
    submit_attempt(sitting, NOW + timedelta(minutes=11), answers=_all_right(sitting), revision=1)
    first = (sitting.score, sitting.submitted_at)
    submit_attempt(sitting, NOW + timedelta(minutes=12), answers={}, revision=1)
    db.session.commit()
    assert (sitting.score, sitting.submitted_at) == first
    assert db.session.scalar(select(func.count(Attempt.id))) == 1


def test_submitted_attempt_is_immutable(sitting):
    submit_attempt(sitting, NOW + timedelta(minutes=11))
    first = sitting.items[0]
    with pytest.raises(AttemptClosed):
        save_answer(sitting, first["iid"], wrong(first), sitting.revision, NOW + timedelta(minutes=12))
    assert sitting.answers[first["iid"]] == right(first)


def test_replayed_stale_autosave_is_rejected(sitting):
    first = sitting.items[0]
    save_answer(sitting, first["iid"], wrong(first), 1, NOW + timedelta(minutes=11))  # revision 1 -> 2
    with pytest.raises(StaleRevision):  # the earlier request (revision 0) arrives again
        save_answer(sitting, first["iid"], right(first), 0, NOW + timedelta(minutes=12))
    assert sitting.answers[first["iid"]] == wrong(first) and sitting.revision == 2


def test_foreign_question_ids_are_ignored(sitting, make_question):
    other = make_question()
    result = save_answer(sitting, str(other.id), ["x"], 1, NOW + timedelta(minutes=11))
    assert result.ignored and sitting.revision == 1
    forged = {"nonexistent": ["a"], str(other.id): ["b"], sitting.items[1]["iid"]: ["not-an-option"]}
    submit_attempt(sitting, NOW + timedelta(minutes=12), answers=forged, revision=1)
    assert sitting.score == 2.0 and set(sitting.answers) <= {i["iid"] for i in sitting.items}


def test_one_open_attempt_and_the_attempt_limit(make_employee, make_question, make_exam, rng):
    employee = make_employee()
    exam = make_exam([make_question()], max_attempts=1)
    first = start_attempt(employee, exam, NOW, rng=rng)
    assert start_attempt(employee, exam, NOW + timedelta(minutes=1), rng=rng) is first
    submit_attempt(first, NOW + timedelta(minutes=2))
    with pytest.raises(DomainError, match="用完"):
        start_attempt(employee, exam, NOW + timedelta(minutes=3), rng=rng)


def test_database_refuses_a_second_open_attempt(make_employee, make_question, make_exam, rng):
    from sqlalchemy.exc import IntegrityError

    employee = make_employee()
    exam = make_exam([make_question()])
    first = start_attempt(employee, exam, NOW, rng=rng)
    db.session.commit()
    db.session.add(Attempt(exam=exam, employee=employee, number=2, open_slot=1, started_at=NOW,
                           deadline=first.deadline, items=[], answers={}))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_overdue_attempts_are_closed_by_the_sweeper(sitting):
    assert close_overdue_attempts(sitting.deadline + timedelta(seconds=30)) == 0
    assert close_overdue_attempts(sitting.deadline + timedelta(seconds=61)) == 1
    assert sitting.is_submitted and sitting.score == 2.0


def _multiple():
    return {"type": "multiple", "points": 4, "options": [
        {"oid": "a", "correct": True}, {"oid": "b", "correct": True}, {"oid": "c", "correct": True},
        {"oid": "d", "correct": False}]}


@pytest.mark.parametrize(("chosen", "all_or_nothing", "partial"), [
    (["a", "b", "c"], 4, 4),
    (["a", "b"], 0, 2.67),
    (["a", "b", "c", "d"], 0, 0),
    (["a", "d"], 0, 0),
    ([], 0, 0),
])
def test_multiple_choice_scoring_both_modes(chosen, all_or_nothing, partial):
    assert score_item(_multiple(), chosen, partial_credit=False) == all_or_nothing
    assert score_item(_multiple(), chosen, partial_credit=True) == partial


def test_partial_credit_exam_scores_a_correct_subset(make_employee, make_question, make_exam, rng):
    question = make_question("multiple", options=["甲", "乙", "丙", "丁"], answer=[0, 1, 2])
    exam = make_exam([question], partial_credit=True, points_multiple=6)
    attempt = start_attempt(make_employee(), exam, NOW, rng=rng)
    item = attempt.items[0]
    save_answer(attempt, item["iid"], right(item)[:2], 0, NOW)
    submit_attempt(attempt, NOW + timedelta(minutes=1))
    assert attempt.score == 4.0


def test_snapshot_hides_option_positions_and_freezes_points(make_employee, make_question, make_exam, rng):
    question = make_question(options=["甲", "乙", "丙", "丁"], answer=[1])
    exam = make_exam([question], points_single=5)
    attempt = start_attempt(make_employee(), exam, NOW, rng=rng)
    exam.points_single = 50
    db.session.commit()
    item = attempt.items[0]
    assert item["points"] == 5
    assert all(o["oid"] not in {"0", "1", "2", "3", "A", "B"} for o in item["options"])
