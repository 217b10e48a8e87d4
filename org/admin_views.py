"""Organisation structure and the audit log, for system admins (blueprint ``org_admin``)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from core.audit import AuditEvent, audit
from core.extensions import db
from org.auth import roles_required
from org.choices import department_options, employee_options
from org.forms import DepartmentForm, PositionForm, TeamForm
from org.models import Department, Employee, EmployeeStatus, Position, Team
from org.roles import Role

bp = Blueprint("org_admin", __name__, url_prefix="/admin")

UNITS = {
    "departments": (Department, DepartmentForm, _("部门/车间")),
    "teams": (Team, TeamForm, _("班组")),
    "positions": (Position, PositionForm, _("岗位")),
}


@bp.get("/structure")
@roles_required(Role.ADMIN)
def structure():
    """Departments with their teams and head counts, and all positions."""
    counts = dict(db.session.execute(
        select(Employee.team_id, func.count()).where(Employee.status == EmployeeStatus.IN_POST)
        .group_by(Employee.team_id)).all())
    departments = db.session.scalars(select(Department).order_by(Department.code)).all()
    positions = db.session.scalars(select(Position).order_by(Position.code)).all()
    return render_template("org/structure.html", departments=departments, positions=positions, counts=counts)


def _choices(form) -> None:
    if isinstance(form, TeamForm):
        form.department_id.choices = department_options()
        form.leader_id.choices = employee_options()


@bp.route("/<any(departments,teams,positions):unit>/new", methods=["GET", "POST"])
@bp.route("/<any(departments,teams,positions):unit>/<int:item_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_unit(unit: str, item_id: int | None = None):
    """Create or edit a department, team or position."""
    model, form_class, label = UNITS[unit]
    item = db.get_or_404(model, item_id) if item_id else None
    form = form_class(obj=item)
    _choices(form)
    if form.validate_on_submit():
        target = item or model()
        form.populate_obj(target)
        target.code = target.code.strip().upper() if unit != "positions" else target.code.strip()
        if unit == "teams":
            target.leader_id = form.leader_id.data or None
        db.session.add(target)
        try:
            db.session.flush()
        except IntegrityError:
            db.session.rollback()
            form.code.errors.append(_("代码或名称与已有记录重复。"))
        else:
            audit("org.change", target=f"{unit}:{target.code}", detail={"name": target.name})
            db.session.commit()
            flash(_("已保存。"), "success")
            return redirect(url_for("org_admin.structure"))
    return render_template("org/unit_form.html", form=form, item=item, label=label, unit=unit)


@bp.get("/audit")
@roles_required(Role.ADMIN)
def audit_log():
    """The audit log, newest first, filterable by action and 工号."""
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    action = request.args.get("action", "")
    if action:
        query = query.where(AuditEvent.action == action)
    who = request.args.get("who", "").strip()
    if who:
        query = query.where(AuditEvent.actor_label.contains(who) | AuditEvent.target.contains(who))
    page = db.paginate(query, per_page=50, error_out=False)
    return render_template("org/audit.html", page=page, action=action, who=who)
