"""补考: extra attempts for a person who used up an exam's attempts, and whom to ask for one."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from core.audit import audit_action
from core.exceptions import DomainError, NotAllowed
from core.extensions import db
from org.models import Employee, EmployeeRole, EmployeeStatus, Role
from training.quiz.models import Attempt, Exam, ExamGrant
from training.quiz.permissions import may_grant_retake
from training.quiz.services.attempts import attempts_left
from training.quiz.services.results import best_result
from training.quiz.signals import exam_locked, exam_trainers, round_start


def trainers_for(exam: Exam, employee: Employee) -> list[Employee]:
    """The trainers who answer for ``employee``'s sitting of ``exam`` (an induction level's trainer)."""
    found: dict[int, Employee] = {}
    for _receiver, people in exam_trainers.send(exam, employee=employee):
        found.update({p.id: p for p in people or ()})
    return list(found.values())


def whom_to_ask(exam: Exam, employee: Employee) -> list[str]:
    """Names a person out of attempts should ask for 补考: the level's trainers, then the safety department."""
    names = [f"{p.name}（{_role_word(p)}）" for p in trainers_for(exam, employee)]
    safety = db.session.scalars(select(Employee).join(EmployeeRole).where(
        EmployeeRole.role == Role.SAFETY_DEPT, Employee.status == EmployeeStatus.IN_POST)
        .order_by(Employee.emp_no).limit(2))
    return names + [f"{p.name}（{Role.SAFETY_DEPT.label}）" for p in safety]


def _role_word(person: Employee) -> str:
    for role in (Role.SAFETY_DEPT, Role.SAFETY_OFFICER, Role.TEAM_LEADER):
        if person.has_role(role):
            return role.label
    return Role.EMPLOYEE.label


def lock_reason(exam: Exam, employee: Employee, now: datetime) -> str | None:
    """Why ``employee`` may not start ``exam`` yet (a locked induction level), or None."""
    for _receiver, reason in exam_locked.send(exam, employee=employee, now=now):
        if reason:
            return str(reason)
    return None


def grant_retake(actor: Employee, employee: Employee, exam: Exam, now: datetime, *, extra: int = 1,
                 note: str = "") -> ExamGrant:
    """Grant ``extra`` attempts (补考) to a person who has used them all without passing."""
    if not may_grant_retake(actor, employee, exam, trainers_for(exam, employee)):
        raise NotAllowed("只有安全管理部门或该级培训的负责人可以准许补考。")
    if not 1 <= extra <= 5:
        raise DomainError("补考次数须在 1–5 次之间。", "extra")
    since = round_start(employee, exam)
    if _passed(employee, exam, since):
        raise DomainError(f"{employee.name}已通过这场考试，无需补考。")
    if attempts_left(employee, exam, since) != 0:
        raise DomainError(f"{employee.name}还有考试机会，暂不需要补考。")
    grant = ExamGrant(exam_id=exam.id, employee_id=employee.id, extra_attempts=extra, granted_by_id=actor.id,
                      granted_at=now, note=note.strip()[:200])
    db.session.add(grant)
    db.session.flush()
    audit_action("quiz.grant_retake", actor=actor, now=now, target=f"{employee.emp_no} {employee.name}",
                  detail={"exam": exam.title, "extra": extra})
    return grant


def set_published(actor: Employee, exam: Exam, published: bool, now: datetime) -> None:
    """Publish (发布) or withdraw an exam from the exam list; a published exam must have questions."""
    if published and not exam.question_count:
        raise DomainError(f"“{exam.title}”还没有题目，不能发布。")
    exam.published = published
    db.session.flush()
    audit_action("quiz.publish" if published else "quiz.unpublish", actor=actor, now=now, target=exam.title)


def people_out_of_attempts(exam: Exam, scope) -> list[Employee]:
    """People within ``scope`` (an org.permissions clause) who used every attempt of their current round
    at ``exam`` without passing."""
    query = (select(Employee).join(Attempt, Attempt.employee_id == Employee.id)
             .where(Attempt.exam_id == exam.id, scope).distinct().order_by(Employee.emp_no))
    return [person for person in db.session.scalars(query) if _out_of_attempts(person, exam)]


def _out_of_attempts(person: Employee, exam: Exam) -> bool:
    """Every attempt of this round used and none passed (attempts of an earlier round do not count)."""
    since = round_start(person, exam)
    return attempts_left(person, exam, since) == 0 and not _passed(person, exam, since)


def _passed(person: Employee, exam: Exam, since: datetime | None) -> bool:
    best = best_result(person.id, exam.id, since)
    return best is not None and best.passed
