"""Taking exams: 我的考试, start, the attempt page, autosave, submit, results, 错题本, practice."""

from __future__ import annotations

import random
from typing import Any

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from core.actions import commit_service
from core.clock import now
from core.exceptions import DomainError
from core.extensions import db
from core.input import json_error, json_object, optional_id, page_arg
from core.permissions import deny
from core.redirects import safe_next
from org.models import Employee
from org.permissions import employee_scope
from training.quiz.forms import SubmitForm
from training.quiz.models import Attempt, Exam, Question
from training.quiz.permissions import (
    may_grant_retake,
    may_see_answers,
    may_see_exam_results,
    may_see_score,
    may_sit_exam,
)
from training.quiz.services import attempts as attempt_service
from training.quiz.services import retakes
from training.quiz.services.attempts import (
    AttemptClosed,
    StaleRevision,
    extra_attempts,
    lock_attempt,
    served_items,
)
from training.quiz.services.my_exams import exam_row, my_exam_rows
from training.quiz.services.results import mistakes_for, review_items
from training.quiz.services.retakes import people_out_of_attempts, trainers_for, whom_to_ask
from training.quiz.signals import named_exam_ids
from training.quiz.views.common import begin_writing, bp, own_attempt_or_404, visible_attempt_or_404


def _my_attempts(exam_id: int | None = None) -> list[Attempt]:
    query = select(Attempt).where(Attempt.employee_id == current_user.id)
    if exam_id is not None:
        query = query.where(Attempt.exam_id == exam_id)
    return list(db.session.scalars(query.order_by(Attempt.started_at.desc())))


def _close_my_overdue() -> None:
    if any(a.is_overdue(now()) for a in db.session.scalars(
            select(Attempt).where(Attempt.employee_id == current_user.id, Attempt.open_slot == 1))):
        begin_writing()
        attempt_service.close_overdue_attempts(now(), current_user)
        db.session.commit()


def _may_sit(exam: Exam) -> bool:
    """May I open and start this exam (an unlisted one only if my induction or a task names it)?"""
    return may_sit_exam(current_user, exam, named_exam_ids(current_user, now()) if not exam.listed else set())


@bp.get("/")
@login_required
def list_my_exams():
    """我的考试: exams open to me with my status, and every attempt I have made."""
    _close_my_overdue()
    return render_template("training/quiz/my_exams.html", rows=my_exam_rows(current_user, now()),
                           attempts=_my_attempts(), may_see_score=may_see_score)


@bp.get("/exams/<int:exam_id>")
@login_required
def show_exam(exam_id: int):
    """An exam's rules and my attempts at it, with a start/continue button."""
    exam = db.get_or_404(Exam, exam_id)
    attempts = _my_attempts(exam.id)
    if not attempts and not _may_sit(exam):
        deny(404)
    current = attempt_service.open_attempt(current_user, exam)
    row = exam_row(current_user, exam, now())
    return render_template("training/quiz/exam.html", exam=exam, attempts=attempts, current=current, row=row,
                           left=row.left, extra=extra_attempts(current_user, exam),
                           ask=whom_to_ask(exam, current_user) if row.out_of_attempts else [],
                           now=now(), may_see_score=may_see_score)


@bp.post("/exams/<int:exam_id>/start")
@login_required
def start_attempt(exam_id: int):
    """Start (or resume) my attempt; the snapshot and deadline are fixed here."""
    exam = db.get_or_404(Exam, exam_id)
    if not _may_sit(exam):
        deny(404)
    if not SubmitForm().validate_on_submit():
        abort(400)
    try:
        attempt = attempt_service.start_attempt(current_user, exam, now(),
                                                grace_seconds=current_app.config["QUIZ_GRACE_SECONDS"])
    except DomainError as error:
        db.session.commit()  # an overdue attempt may have been closed on the way
        flash(error.message, "danger")
        return redirect(url_for("quiz.show_exam", exam_id=exam.id))
    db.session.commit()
    return redirect(url_for("quiz.take_attempt", attempt_id=attempt.id))


@bp.get("/attempts/<int:attempt_id>")
@login_required
def take_attempt(attempt_id: int):
    """The attempt page: questions with opaque option ids, saved choices and a server countdown."""
    attempt = own_attempt_or_404(attempt_id)
    if attempt.is_overdue(now()):
        begin_writing()
        attempt_service.submit_attempt(lock_attempt(attempt.id), now())
        db.session.commit()
        flash("考试时间已到，已按已保存的答案交卷。", "warning")
    if attempt.is_submitted:
        return redirect(url_for("quiz.show_result", attempt_id=attempt.id))
    remaining = max(int((attempt.deadline - now()).total_seconds()), 0)
    return render_template("training/quiz/take.html", attempt=attempt, items=served_items(attempt),
                           remaining=remaining, form=SubmitForm(revision=attempt.revision))


def _revision(value: Any) -> int:
    """The page's revision counter from an autosave body: an id-sized whole number, or -1 for none."""
    number = -1 if value == -1 else optional_id(value)
    if number is None:
        raise ValueError(value)
    return number


def _ids(values: list[str]) -> list[int]:
    return [i for i in map(optional_id, values) if i is not None]


@bp.post("/attempts/<int:attempt_id>/save")
@login_required
def save_answer(attempt_id: int):
    """Autosave one answer (JSON); 409 with the saved state for a stale revision, 410 once closed."""
    own_attempt_or_404(attempt_id)
    payload = json_object()
    attempt = lock_attempt(attempt_id)
    try:
        choice = [str(c) for c in payload.get("choice") or []][:10]
        result = attempt_service.save_answer(attempt, str(payload.get("item", "")), choice,
                                             _revision(payload.get("revision", -1)), now())
    except StaleRevision:
        state = {"revision": attempt.revision, "answers": attempt.answers}
        db.session.rollback()
        return jsonify(error="stale", **state), 409
    except AttemptClosed as closed:
        db.session.commit()
        return jsonify(error="closed", message=closed.message,
                       result_url=url_for("quiz.show_result", attempt_id=attempt.id)), 410
    except (TypeError, ValueError):
        db.session.rollback()
        return json_error(_("保存的内容格式不对，请刷新页面后重试。"))
    db.session.commit()
    return jsonify(revision=result.revision, ignored=result.ignored)


@bp.post("/attempts/<int:attempt_id>/submit")
@login_required
def submit_attempt(attempt_id: int):
    """Submit once (double click, replay and F5 give the same single result), then redirect."""
    own_attempt_or_404(attempt_id)
    form = SubmitForm()
    if not form.validate_on_submit():
        abort(400)
    attempt = lock_attempt(attempt_id)
    answers = {key[2:]: request.form.getlist(key) for key in request.form if key.startswith("a-")}
    revision = optional_id(form.revision.data or "")
    attempt_service.submit_attempt(attempt, now(), answers=answers, revision=revision)
    db.session.commit()
    return redirect(url_for("quiz.show_result", attempt_id=attempt.id), code=303)


@bp.get("/attempts/<int:attempt_id>/result")
@login_required
def show_result(attempt_id: int):
    """The result and review of an attempt, as the review policy allows; 404 outside scope."""
    attempt = visible_attempt_or_404(attempt_id)
    if not attempt.is_submitted:
        if attempt.employee_id == current_user.id:
            return redirect(url_for("quiz.take_attempt", attempt_id=attempt.id))
        abort(404)
    named = named_exam_ids(current_user, now(), finished=True) if not attempt.exam.listed else set()
    answers = may_see_answers(attempt, current_user, now(), named)
    return render_template("training/quiz/result.html", attempt=attempt, show_answers=answers,
                           show_score=may_see_score(attempt, current_user),
                           reviews=review_items(attempt) if answers else [], **_next_try(attempt))


def _next_try(attempt: Attempt) -> dict[str, Any]:
    """After my own failed attempt: whether I may try again (and how often), or whom to ask for a 补考."""
    if attempt.employee_id != current_user.id or attempt.passed:
        return {"retry": None, "ask": []}
    row = exam_row(current_user, attempt.exam, now())
    ask = whom_to_ask(attempt.exam, current_user) if row.out_of_attempts else []
    return {"retry": row if row.can_start else None, "ask": ask}


@bp.get("/mistakes")
@login_required
def list_mistakes():
    """错题本: questions I last answered wrongly, with explanations and source documents."""
    return render_template("training/quiz/mistakes.html", mistakes=mistakes_for(current_user, now()))


def _practice_questions(ids: list[int]) -> list[Question]:
    questions = db.session.scalars(select(Question).where(Question.id.in_(ids), Question.retired.is_(False)))
    by_id = {q.id: q for q in questions}
    return [by_id[i] for i in ids if i in by_id]


@bp.route("/practice", methods=["GET", "POST"])
@login_required
def practise_mistakes():
    """Practice from the 错题本: up to 10 questions, checked at once, nothing recorded."""
    form = SubmitForm()
    if request.method == "POST" and form.validate_on_submit():
        ids = _ids(request.form.getlist("qid"))[:20]
        mine = {m.question_id for m in mistakes_for(current_user, now())}
        questions = _practice_questions([i for i in ids if i in mine])
        checked = [(q, sorted(_ids(request.form.getlist(f"p-{q.id}")))) for q in questions]
        return render_template("training/quiz/practice.html", questions=questions, checked=checked, form=form)
    ids = [m.question_id for m in mistakes_for(current_user, now())]
    random.SystemRandom().shuffle(ids)
    return render_template("training/quiz/practice.html", questions=_practice_questions(ids[:10]), checked=None,
                           form=form)


@bp.get("/exams/<int:exam_id>/results")
@login_required
def list_exam_results(exam_id: int):
    """Results of an exam for the people this manager may see (scope), newest first."""
    if not may_see_exam_results(current_user):
        deny()
    exam = db.get_or_404(Exam, exam_id)
    query = (select(Attempt).join(Employee, Attempt.employee_id == Employee.id)
             .where(Attempt.exam_id == exam.id, employee_scope(current_user))
             .order_by(Attempt.started_at.desc()))
    page = db.paginate(query, page=page_arg(), per_page=50, error_out=False)
    stuck = [(person, may_grant_retake(current_user, person, exam, trainers_for(exam, person)))
             for person in people_out_of_attempts(exam, employee_scope(current_user))]
    return render_template("training/quiz/exam_results.html", exam=exam, page=page, now=now(), stuck=stuck)


@bp.post("/exams/<int:exam_id>/retake/<int:employee_id>")
@login_required
def grant_retake(exam_id: int, employee_id: int):
    """准许补考: one more attempt for a person in scope who used them all without passing."""
    exam = db.get_or_404(Exam, exam_id)
    person = db.session.scalar(select(Employee).where(Employee.id == employee_id, employee_scope(current_user)))
    if person is None or not SubmitForm().validate_on_submit():
        deny(404)
    granted, _grant = commit_service(lambda: retakes.grant_retake(current_user, person, exam, now()))
    if granted:
        flash(_("已准许%(name)s补考 1 次。", name=person.name), "success")
    return redirect(safe_next(request.form.get("next"), url_for("quiz.list_exam_results", exam_id=exam.id)))
