"""Records (blueprint ``records``): 一人一档, 登记卡, dashboards, item analysis and exports."""

from __future__ import annotations

from flask import Blueprint, Response, abort, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from core.audit import audit
from core.clock import now
from core.exports import download
from core.extensions import db
from core.permissions import deny, get_visible_or_404, permission_required
from org.models import Department, Employee, EmployeeStatus, Team
from org.permissions import department_scope, employee_scope, team_scope
from training.induction.permissions import may_record_history, may_sign_off
from training.records import exports
from training.records import services as records
from training.records.card import registration_card
from training.records.permissions import (
    may_analyse_items,
    may_see_department,
    may_see_record_of,
    may_see_records,
    may_see_team,
)

bp = Blueprint("records", __name__, url_prefix="/training/records")
FORMATS = ("xlsx", "csv")


@bp.get("/")
@login_required
def show_overview():
    """The teams and departments whose records this user may see."""
    if not may_see_records(current_user):
        deny()
    teams = db.session.scalars(select(Team).where(team_scope(current_user)).order_by(Team.code)).all()
    departments = db.session.scalars(select(Department).where(department_scope(current_user))
                                     .order_by(Department.code)).all()
    if len(teams) == 1 and not departments:  # a team leader: straight to the one dashboard
        return redirect(url_for("records.show_team", team_id=teams[0].id))
    return render_template("training/records/overview.html", teams=teams, departments=departments)


def _employee(employee_id: int) -> Employee:
    return get_visible_or_404(Employee, employee_id, may_see_record_of)


@bp.get("/employees/<int:employee_id>")
@login_required
def show_employee_record(employee_id: int):
    """一人一档: induction levels, study, classroom, exams and assignments of one person."""
    employee = _employee(employee_id)
    return render_template("training/records/employee.html", record=records.employee_record(employee, now()),
                           may_sign_off=may_sign_off, may_record_history=may_record_history(current_user, employee))


@bp.get("/employees/<int:employee_id>/card")
@login_required
def print_card(employee_id: int):
    """三级安全教育登记卡 (print stylesheet, A4, signature lines)."""
    employee = _employee(employee_id)
    return render_template("training/records/card.html", cards=[registration_card(employee, now())],
                           back=url_for("records.show_employee_record", employee_id=employee.id))


@bp.get("/teams/<int:team_id>/cards")
@login_required
def print_team_cards(team_id: int):
    """Every card of a team's people in post, one A4 page each, printed in one go."""
    team = get_visible_or_404(Team, team_id, may_see_team)
    people = db.session.scalars(select(Employee).where(
        Employee.team_id == team.id, Employee.status == EmployeeStatus.IN_POST, employee_scope(current_user))
        .order_by(Employee.emp_no)).all()
    return render_template("training/records/card.html", cards=[registration_card(p, now()) for p in people],
                           back=url_for("records.show_team", team_id=team.id))


@bp.get("/teams/<int:team_id>")
@login_required
def show_team(team_id: int):
    """A team's completion and pass rates, scores, overdue tasks and people not yet cleared."""
    team = get_visible_or_404(Team, team_id, may_see_team)
    return render_template("training/records/team.html", team=team,
                           stats=records.team_stats(current_user, team, now()))


@bp.get("/departments/<int:department_id>")
@login_required
def show_department(department_id: int):
    """A department's figures, with one bar per team."""
    department = get_visible_or_404(Department, department_id, may_see_department)
    whole, teams = records.department_stats(current_user, department, now())
    return render_template("training/records/department.html", department=department, stats=whole, teams=teams)


@bp.get("/items")
@permission_required(may_analyse_items)
def show_item_analysis():
    """Item analysis: the questions most often answered wrong and the documents they cite."""
    return render_template("training/records/items.html", items=records.item_analysis())


def _send(table: exports.Table, fmt: str, title: str, target: str) -> Response:
    if fmt not in FORMATS:
        abort(404)
    body, mimetype = exports.render(table, fmt, title)
    audit("export", target=target, detail={"format": fmt, "rows": len(table[1])})
    db.session.commit()
    return download(body, mimetype, f"{title}.{fmt}")


@bp.get("/employees/<int:employee_id>/export.<fmt>")
@login_required
def export_employee(employee_id: int, fmt: str):
    """一人一档 as a spreadsheet (scoped; audited)."""
    employee = _employee(employee_id)
    return _send(exports.record_table(records.employee_record(employee, now())), fmt, f"培训档案-{employee.emp_no}",
                 f"records.employee:{employee.emp_no}")


@bp.get("/teams/<int:team_id>/export.<fmt>")
@login_required
def export_team(team_id: int, fmt: str):
    """A team's dashboard rows (scoped; audited)."""
    team = get_visible_or_404(Team, team_id, may_see_team)
    stats = records.team_stats(current_user, team, now())
    return _send(exports.group_table(stats), fmt, f"班组培训-{team.name}", f"records.team:{team.code}")


@bp.get("/departments/<int:department_id>/export.<fmt>")
@login_required
def export_department(department_id: int, fmt: str):
    """A department's people rows (scoped; audited)."""
    department = get_visible_or_404(Department, department_id, may_see_department)
    whole, _teams = records.department_stats(current_user, department, now())
    return _send(exports.group_table(whole), fmt, f"部门培训-{department.name}",
                 f"records.department:{department.code}")


@bp.get("/items/export.<fmt>")
@permission_required(may_analyse_items)
def export_items(fmt: str):
    """Item analysis as a spreadsheet (audited)."""
    return _send(exports.items_table(records.item_analysis(limit=500)), fmt, "错题分析", "records.show_item_analysis")
