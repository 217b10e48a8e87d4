"""Assigning study and exams within the assigner's scope, and each task's progress."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from core.audit import audit_action
from core.clock import today
from core.exceptions import DomainError, NotAllowed
from core.extensions import db
from kb.content_check import NOT_CURRENT
from kb.models import Acknowledgement, Document, DocumentKind, Revision
from org.models import Employee, EmployeeStatus, Position, Team
from org.permissions import employee_scope, led_team_ids, team_scope
from training.assignments.models import Assignment, AssignmentKind, Task
from training.assignments.permissions import may_assign, may_assign_by_position
from training.quiz.services.results import AttemptResult, best_results
from training.quiz.signals import ExamRound
from training.settings import get_setting


def resolve_targets(actor: Employee, *, team_ids: list[int], position_ids: list[int],
                    employee_ids: list[int]) -> list[Employee]:
    """In-post people named by teams, positions and members; an id that names nothing → DomainError at its
    field; anything outside the actor's scope → NotAllowed."""
    _must_exist(Team, team_ids, "teams", "所选班组不存在，请刷新页面后重新选择。")
    _must_exist(Position, position_ids, "positions", "所选岗位不存在，请刷新页面后重新选择。")
    _must_exist(Employee, employee_ids, "employees", "所选人员不存在，请刷新页面后重新选择。")
    if team_ids:
        allowed = set(db.session.scalars(select(Team.id).where(Team.id.in_(team_ids), team_scope(actor))))
        if allowed != set(team_ids):
            raise NotAllowed("所选班组超出您的管理范围。")
    if position_ids and not may_assign_by_position(actor):
        raise NotAllowed("只有部门安全员和安全管理部门可以按岗位布置。")
    in_post = Employee.status == EmployeeStatus.IN_POST
    found: dict[int, Employee] = {}
    if employee_ids:
        people = db.session.scalars(select(Employee).where(
            Employee.id.in_(employee_ids), employee_scope(actor), in_post)).all()
        if len(people) != len(set(employee_ids)):
            raise NotAllowed("所选人员超出您的管理范围。")
        found |= {p.id: p for p in people}
    if team_ids:
        found |= {p.id: p for p in db.session.scalars(select(Employee).where(
            Employee.team_id.in_(team_ids), in_post))}
    if position_ids:
        found |= {p.id: p for p in db.session.scalars(select(Employee).where(
            Employee.position_id.in_(position_ids), employee_scope(actor), in_post))}
    return sorted(found.values(), key=lambda e: e.emp_no)


def _must_exist(model, ids: list[int], field: str, message: str) -> None:
    if ids and len(set(db.session.scalars(select(model.id).where(model.id.in_(ids))))) != len(set(ids)):
        raise DomainError(message, field=field)


def create_assignment(actor: Employee | None, *, title: str, documents: list[Document], exam_id: int | None,
                      due_on: date, people: list[Employee], now: datetime, target_label: str = "",
                      kind: AssignmentKind = AssignmentKind.MANUAL, note: str = "",
                      source_revision_id: int | None = None) -> Assignment:
    """Create the assignment and one task per person (actor None: the system, e.g. a revision)."""
    if actor is not None and not may_assign(actor):
        raise NotAllowed("您不能布置学习任务。")
    if not documents and exam_id is None:
        raise DomainError("请至少选择一份学习资料或一场考试。", field="documents")
    if not people:
        raise DomainError("请选择布置对象（班组、岗位或人员）。", field="employees")
    if due_on < today(now):
        raise DomainError("截止日期不能早于今天。", field="due_on")
    unpublished = [d.title for d in documents if not d.is_published]
    if unpublished and kind is AssignmentKind.MANUAL:
        raise DomainError(f"未发布的文件不能布置：{'、'.join(unpublished)}。", field="documents")
    assignment = Assignment(
        title=(title.strip() or "、".join(d.title for d in documents) or "考试")[:200], kind=kind,
        assigned_by_id=actor.id if actor else None, target_label=target_label[:200], due_on=due_on,
        exam_id=exam_id, note=note[:500], created_at=now, source_revision_id=source_revision_id,
        documents=list(documents))
    assignment.tasks = [Task(employee=p, created_at=now) for p in people]
    db.session.add(assignment)
    db.session.flush()
    if actor is not None:
        audit_action("training.assign", actor=actor, now=now, target=assignment.title, detail={"tasks": len(people)})
    return assignment


@dataclass
class TaskProgress:
    task: Task
    documents_done: int
    documents_total: int
    exam: AttemptResult | None
    today: date

    @property
    def exam_required(self) -> bool:
        return self.task.assignment.exam_id is not None

    @property
    def exam_ok(self) -> bool:
        return not self.exam_required or bool(self.exam and self.exam.passed)

    @property
    def complete(self) -> bool:
        return self.documents_done >= self.documents_total and self.exam_ok

    @property
    def overdue(self) -> bool:
        return not self.complete and self.task.assignment.due_on < self.today

    @property
    def status_label(self) -> str:
        return "已完成" if self.complete else ("已逾期" if self.overdue else "进行中")


def task_progress(tasks: list[Task], now: datetime) -> list[TaskProgress]:
    """Progress of each task: acknowledgements of each document's *current* revision, and the exam
    (only attempts started since the task was assigned count).

    A constant number of queries however many tasks and people there are.
    """
    if not tasks:
        return []
    people = {t.employee_id for t in tasks}
    db.session.scalars(select(Assignment).where(Assignment.id.in_({t.assignment_id for t in tasks}))
                       .options(selectinload(Assignment.documents))).all()
    acked = {(row[0], row[1]) for row in db.session.execute(
        select(Acknowledgement.employee_id, Acknowledgement.revision_id)
        .where(Acknowledgement.employee_id.in_(people)))}
    exams = best_results((t.employee_id, t.assignment.exam_id, t.created_at) for t in tasks)
    result = []
    for task in tasks:
        docs = task.assignment.documents
        done = sum(1 for d in docs if d.published_revision_id and (task.employee_id, d.published_revision_id)
                   in acked)
        exam = exams.get((task.employee_id, task.assignment.exam_id, task.created_at))
        result.append(TaskProgress(task, done, len(docs), exam, today(now)))
    return result


def on_personal_exams(employee: Employee, *, now: datetime, finished: bool = False) -> list[int]:
    """Quiz signal receiver: the exams of this person's tasks not yet complete (with
    ``finished``: of all their tasks)."""
    if finished:
        return [task.assignment.exam_id for task in tasks_for(employee) if task.assignment.exam_id]
    return [tp.task.assignment.exam_id for tp in task_progress(tasks_for(employee), now)
            if tp.exam_required and not tp.complete]


def on_exam_round(exam, *, employee: Employee) -> ExamRound | None:
    """Quiz signal receiver: the exam of a task counts only attempts started since the latest task
    naming it was assigned."""
    assigned = db.session.scalar(select(func.max(Task.created_at)).join(Assignment, Assignment.id == Task.assignment_id)
                                 .where(Task.employee_id == employee.id, Assignment.exam_id == exam.id))
    return ExamRound(assigned, "本次任务布置前") if assigned is not None else None


def assignable_documents(actor: Employee | None = None) -> list[tuple[str, list[Document]]]:
    """Published documents in force for the assignment form, grouped: the actor's teams' own documents,
    the procedures of the positions in those teams, then the rest (repealed/replaced ones left out)."""
    documents = db.session.scalars(
        select(Document).options(selectinload(Document.positions))
        .where(Document.is_published, or_(Document.validity.is_(None), Document.validity.not_in(NOT_CURRENT)))
        .order_by(Document.kind, Document.title)).all()
    team_ids = led_team_ids(actor) if actor is not None else set()
    position_ids = set(db.session.scalars(select(Employee.position_id).where(
        Employee.team_id.in_(team_ids), Employee.status == EmployeeStatus.IN_POST))) if team_ids else set()
    groups: dict[str, list[Document]] = {"team": [], "position": [], "other": []}
    for document in documents:
        if document.team_id in team_ids:
            groups["team"].append(document)
        elif any(p.id in position_ids for p in document.positions):
            groups["position"].append(document)
        else:
            groups["other"].append(document)
    return [(key, docs) for key, docs in groups.items() if docs]


def tasks_for(employee: Employee) -> list[Task]:
    """All tasks of one employee, newest first."""
    return list(db.session.scalars(select(Task).join(Assignment, Assignment.id == Task.assignment_id)
                                   .where(Task.employee_id == employee.id)
                                   .order_by(Assignment.due_on.desc(), Task.id.desc())))


def tasks_in_scope(actor: Employee, *, team_id: int | None = None, department_id: int | None = None,
                   employee_ids: list[int] | None = None) -> list[Task]:
    """Tasks of people ``actor`` may see, optionally within one team or department or of some people."""
    query = select(Task).join(Employee, Employee.id == Task.employee_id).join(
        Assignment, Assignment.id == Task.assignment_id).where(
        employee_scope(actor))
    if team_id is not None:
        query = query.where(Employee.team_id == team_id)
    if department_id is not None:
        query = query.where(Employee.department_id == department_id)
    if employee_ids is not None:
        query = query.where(Task.employee_id.in_(employee_ids))
    return list(db.session.scalars(query.order_by(Assignment.due_on.desc(), Employee.emp_no)))


def on_revision_published(document: Document, revision: Revision, previous: Revision | None = None,
                          now: datetime | None = None, **_: object) -> Assignment | None:
    """A new revision of a procedure: re-study for exactly the in-post employees of its positions."""
    if document.kind != DocumentKind.PROCEDURE or previous is None or now is None:
        return None
    position_ids = [p.id for p in document.positions]
    if not position_ids:
        return None
    people = list(db.session.scalars(select(Employee).where(
        Employee.position_id.in_(position_ids), Employee.status == EmployeeStatus.IN_POST)
        .order_by(Employee.emp_no)))
    if not people:
        return None
    due = today(now) + timedelta(days=int(get_setting("restudy_due_days")))
    return create_assignment(
        None, title=f"规程修订重新学习：{document.title}（第 {revision.number} 版）", documents=[document],
        exam_id=None, due_on=due, people=people, now=now, kind=AssignmentKind.RESTUDY,
        target_label="岗位：" + "、".join(p.name for p in document.positions),
        note=revision.change_note or "", source_revision_id=revision.id)
