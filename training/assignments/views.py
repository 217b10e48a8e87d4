"""我的任务 and assigning study (blueprint ``assignments``)."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from core.actions import commit_service
from core.clock import now, today
from core.extensions import db
from core.permissions import deny, permission_required
from kb.models import Document
from org.models import Employee, EmployeeStatus, Position, Team
from org.permissions import employee_scope, team_scope
from training.assignments import services
from training.assignments.forms import AssignmentForm
from training.assignments.models import Assignment, Task
from training.assignments.permissions import may_assign, may_assign_by_position
from training.assignments.services import assignable_documents, task_progress, tasks_for, tasks_in_scope
from training.quiz.services.results import exam_choices

bp = Blueprint("assignments", __name__, url_prefix="/training")


@bp.get("/tasks")
@login_required
def list_my_tasks():
    """我的任务: the signed-in employee's tasks with progress and due dates."""
    progress = task_progress(tasks_for(current_user), now())
    return render_template("training/assignments/mine.html", progress=progress)


def _fill(form: AssignmentForm) -> None:
    names = {"team": _("本班组的文档"), "position": _("本班组岗位的操作规程"), "other": _("其他文档")}
    form.documents.choices = {names[key]: [(d.id, f"[{d.kind_label}] {d.title}") for d in docs]
                              for key, docs in assignable_documents(current_user)}
    form.exam_id.choices = [(0, _("不设考试"))] + exam_choices()
    teams = db.session.scalars(select(Team).where(team_scope(current_user)).order_by(Team.code)).all()
    form.teams.choices = [(t.id, t.name) for t in teams]
    if may_assign_by_position(current_user):
        form.positions.choices = [(p.id, p.name) for p in db.session.scalars(select(Position).order_by(Position.code))]
    else:
        del form.positions
    people = db.session.scalars(select(Employee).where(
        employee_scope(current_user), Employee.status == EmployeeStatus.IN_POST).order_by(Employee.emp_no)).all()
    form.employees.choices = [(p.id, f"{p.emp_no} {p.name}") for p in people]


def _target_label(teams: list[int], positions: list[int], people: list[int]) -> str:
    parts = [db.session.get(Team, t).name for t in teams] + [db.session.get(Position, p).name for p in positions]
    if people:
        parts.append(_("%(n)s 名指定人员", n=len(people)))
    return "、".join(parts)


def _assign(form: AssignmentForm) -> Assignment:
    """Resolve the chosen teams, positions and people, and create the assignment (scope-checked)."""
    teams, people = form.teams.data or [], form.employees.data or []
    positions = (form.positions.data or []) if form.positions is not None else []
    targets = services.resolve_targets(current_user, team_ids=teams, position_ids=positions, employee_ids=people)
    documents = [db.session.get(Document, d) for d in form.documents.data or []]
    return services.create_assignment(
        current_user, title=form.title.data or "", documents=documents, exam_id=form.exam_id.data or None,
        due_on=form.due_on.data, people=targets, now=now(), note=form.note.data or "",
        target_label=_target_label(teams, positions, people))


@bp.route("/assignments/new", methods=["GET", "POST"])
@permission_required(may_assign)
def create_assignment():
    """Assign documents and/or an exam within the assigner's scope (403 outside it)."""
    form = AssignmentForm()
    _fill(form)
    if not form.is_submitted():
        form.due_on.data = today() + timedelta(days=7)  # a week from the company's today; editable
    if form.validate_on_submit():
        created, assignment = commit_service(lambda: _assign(form), form=form, field="title")
        if created:
            flash(_("已布置给 %(n)s 人。", n=len(assignment.tasks)), "success")
            return redirect(url_for("assignments.show_assignment", assignment_id=assignment.id))
    return render_template("training/assignments/form.html", form=form)


@bp.get("/assignments")
@permission_required(may_assign)
def list_assignments():
    """Assignments with tasks for people this user may see, with completion counts."""
    progress = task_progress(tasks_in_scope(current_user), now())
    groups: dict[int, dict] = {}
    for tp in progress:
        a = tp.task.assignment
        g = groups.setdefault(a.id, {"assignment": a, "total": 0, "done": 0, "overdue": 0})
        g["total"] += 1
        g["done"] += tp.complete
        g["overdue"] += tp.overdue
    rows = sorted(groups.values(), key=lambda g: (g["assignment"].due_on, g["assignment"].id), reverse=True)
    return render_template("training/assignments/list.html", rows=rows)


@bp.get("/assignments/<int:assignment_id>")
@login_required
def show_assignment(assignment_id: int):
    """One assignment: each visible person's progress; 404 when none of its people are in scope."""
    assignment = db.get_or_404(Assignment, assignment_id)
    tasks = db.session.scalars(select(Task).join(Employee, Employee.id == Task.employee_id).where(
        Task.assignment_id == assignment.id, employee_scope(current_user)).order_by(Employee.emp_no)).all()
    if not tasks:
        deny(404)
    progress = task_progress(list(tasks), now())
    return render_template("training/assignments/show.html", assignment=assignment, progress=progress,
                           done=sum(tp.complete for tp in progress))
