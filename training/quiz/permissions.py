"""Who may do what in the quiz engine: sit an exam, see a score or the answers, manage the bank."""

from __future__ import annotations

from datetime import datetime

from org.models import Employee, Role
from org.permissions import can_view_employee, is_manager
from training.quiz.models import Attempt, Exam, ReviewPolicy


def is_in_audience(exam: Exam, employee: Employee) -> bool:
    """True when the exam's department and position limits (if any) include ``employee``."""
    if exam.department_id is not None and exam.department_id != employee.department_id:
        return False
    if exam.positions and employee.position_id not in {p.id for p in exam.positions}:
        return False
    return True


def may_sit_exam(user: Employee, exam: Exam, named: set[int]) -> bool:
    """Open and start an exam: a published one in its audience; an unlisted one (an induction
    exam) only when ``named`` — the exams this person's induction levels or tasks name — holds
    it. The safety department, who manage exams, may always."""
    if may_manage_bank(user):
        return True
    return exam.published and is_in_audience(exam, user) and (exam.listed or exam.id in named)


def may_manage_bank(user: Employee) -> bool:
    """The question bank and exams belong to the safety department (安全管理部门)."""
    return user.has_role(Role.SAFETY_DEPT)


def may_see_exam_results(user: Employee) -> bool:
    """Managers see an exam's results, limited to their people by scope."""
    return is_manager(user)


def may_view_attempt(viewer: Employee, attempt: Attempt) -> bool:
    """An attempt is the examinee's own, or one of the viewer's people's (scope)."""
    return attempt.employee_id == viewer.id or can_view_employee(viewer, attempt.employee)


def may_see_score(attempt: Attempt, viewer: Employee) -> bool:
    """The examinee sees the score unless the policy hides it; managers in scope always do."""
    if not attempt.is_submitted:
        return False
    if viewer.id != attempt.employee_id:
        return True
    return attempt.exam.review_policy != ReviewPolicy.NOTHING


def may_see_answers(attempt: Attempt, viewer: Employee, now: datetime, named: set[int] | None = None) -> bool:
    """Correct answers and explanations: per review policy (the safety department always). For
    an unlisted exam the examinee must be one the exam is meant for (``named``: the exams their
    induction levels or tasks name, done or not); managers in scope follow the policy."""
    if not attempt.is_submitted:
        return False
    if viewer.has_role(Role.SAFETY_DEPT):
        return True
    exam = attempt.exam
    if not exam.listed and viewer.id == attempt.employee_id and exam.id not in (named or set()):
        return False
    policy = attempt.exam.review_policy
    if policy == ReviewPolicy.ANSWERS:
        return True
    return policy == ReviewPolicy.ANSWERS_AFTER_CLOSE and attempt.exam.is_closed(now)


def may_grant_retake(actor: Employee, employee: Employee, exam: Exam, trainers: list[Employee]) -> bool:
    """补考 is granted by the safety department, or by a trainer who answers for this person's exam."""
    if actor.id == employee.id:
        return False
    return actor.has_role(Role.SAFETY_DEPT) or any(t.id == actor.id for t in trainers)
