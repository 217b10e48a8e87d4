"""Home page, employees and teams (blueprint ``org``)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import or_, select

from core.audit import audit
from core.exceptions import DomainError
from core.extensions import db
from core.ui import home_panels_for
from org.auth import deny, get_visible_or_404, roles_required
from org.choices import department_options, position_options, team_options
from org.forms import EmployeeForm
from org.models import Department, Employee, EmployeeStatus, Position, Team
from org.roles import Role
from org.scope import can_view_employee, can_view_team, employee_scope, is_manager, team_scope
from org.services import (
    EmployeeData,
    create_employee,
    deactivate_employee,
    normalize_emp_no,
    reset_password,
    update_employee,
)
from org.signals import employee_changed, employee_created

bp = Blueprint("org", __name__)
ADMIN = Role.ADMIN


@bp.get("/")
@login_required
def home():
    """The home page: one panel per thing this user's roles care about."""
    return render_template("org/home.html", panels=home_panels_for(current_user))


@bp.get("/org/employees")
@login_required
def list_employees():
    """Employees this user may see, searchable by 工号 or name, filterable by unit and status."""
    if not is_manager(current_user):
        deny()
    q = request.args.get("q", "").strip()
    query = select(Employee).where(employee_scope(current_user)).order_by(Employee.emp_no)
    if q:
        like = f"%{q}%"
        query = query.where(or_(Employee.emp_no.ilike(f"%{normalize_emp_no(q)}%"), Employee.name.ilike(like)))
    for arg, column in (("department", Employee.department_id), ("team", Employee.team_id)):
        if request.args.get(arg, type=int):
            query = query.where(column == request.args.get(arg, type=int))
    status = request.args.get("status", EmployeeStatus.IN_POST)
    if status in {s.value for s in EmployeeStatus}:
        query = query.where(Employee.status == status)
    page = db.paginate(query, per_page=30, error_out=False)
    teams = db.session.scalars(select(Team).where(team_scope(current_user)).order_by(Team.code)).all()
    departments = db.session.scalars(select(Department).order_by(Department.code)).all()
    return render_template("org/employees.html", page=page, q=q, status=status, teams=teams,
                           departments=departments)


@bp.get("/org/employees/<int:employee_id>")
@login_required
def show_employee(employee_id: int):
    """One employee's profile; 404 for anyone outside the viewer's scope."""
    employee = get_visible_or_404(Employee, employee_id, can_view_employee)
    return render_template("org/employee.html", employee=employee)


def _fill_choices(form: EmployeeForm) -> None:
    form.department_id.choices = department_options()
    form.team_id.choices = team_options()
    form.position_id.choices = position_options()


def _form_data(form: EmployeeForm) -> EmployeeData:
    return EmployeeData(
        emp_no=normalize_emp_no(form.emp_no.data),
        name=form.name.data,
        department=db.session.get(Department, form.department_id.data),
        team=db.session.get(Team, form.team_id.data) if form.team_id.data else None,
        position=db.session.get(Position, form.position_id.data) if form.position_id.data else None,
        hire_date=form.hire_date.data,
        status=form.status.data,
        roles=frozenset(Role(r) for r in form.roles.data),
    )


@bp.route("/org/employees/new", methods=["GET", "POST"])
@roles_required(ADMIN)
def create_employee_view():
    """Create one employee; their one-time password is shown once."""
    form = EmployeeForm()
    _fill_choices(form)
    if form.validate_on_submit():
        try:
            employee, password = create_employee(_form_data(form))
        except DomainError as error:
            getattr(form, error.field or "emp_no").errors.append(error.message)
        else:
            employee_created.send(employee, now=datetime.now(UTC))
            audit("employee.create", target=employee.emp_no)
            db.session.commit()
            return render_template("org/password_once.html", employee=employee, password=password)
    return render_template("org/employee_form.html", form=form, employee=None)


@bp.route("/org/employees/<int:employee_id>/edit", methods=["GET", "POST"])
@roles_required(ADMIN)
def edit_employee(employee_id: int):
    """Edit an employee; a change of team or position re-opens training (via signals)."""
    employee = db.get_or_404(Employee, employee_id)
    form = EmployeeForm(obj=employee, data=None if request.method == "POST" else {
        "roles": [r.value for r in employee.roles if r is not Role.EMPLOYEE],
        "team_id": employee.team_id or 0, "position_id": employee.position_id or 0})
    _fill_choices(form)
    form.emp_no.render_kw = {"readonly": True}
    if form.validate_on_submit():
        form.emp_no.data = employee.emp_no
        old_roles = employee.roles
        try:
            changes = update_employee(employee, _form_data(form))
        except DomainError as error:
            getattr(form, error.field or "name").errors.append(error.message)
        else:
            if changes:
                employee_changed.send(employee, now=datetime.now(UTC), changes=changes)
                audit("employee.update", target=employee.emp_no, detail={"changes": changes})
            if employee.roles != old_roles:
                audit("employee.roles", target=employee.emp_no, detail={
                    "from": sorted(old_roles), "to": sorted(employee.roles)})
            db.session.commit()
            flash(_("已保存。"), "success")
            return redirect(url_for("org.show_employee", employee_id=employee.id))
    return render_template("org/employee_form.html", form=form, employee=employee)


@bp.post("/org/employees/<int:employee_id>/deactivate")
@roles_required(ADMIN)
def deactivate(employee_id: int):
    """Mark the employee as left; they are logged out at their next request."""
    employee = db.get_or_404(Employee, employee_id)
    if employee.id == current_user.id:
        flash(_("不能停用自己的账号。"), "danger")
    else:
        deactivate_employee(employee)
        audit("employee.deactivate", target=employee.emp_no)
        db.session.commit()
        flash(_("已停用 %(name)s 的账号。", name=employee.name), "success")
    return redirect(url_for("org.show_employee", employee_id=employee.id))


@bp.post("/org/employees/<int:employee_id>/reset-password")
@roles_required(ADMIN)
def reset_password_view(employee_id: int):
    """Issue a new one-time password, shown once."""
    employee = db.get_or_404(Employee, employee_id)
    password = reset_password(employee)
    audit("password.reset", target=employee.emp_no)
    db.session.commit()
    return render_template("org/password_once.html", employee=employee, password=password)


@bp.get("/org/teams/<int:team_id>")
@login_required
def show_team(team_id: int):
    """A team's members, for its leader, its department's officer and the safety department."""
    team = get_visible_or_404(Team, team_id, can_view_team)
    members = db.session.scalars(select(Employee).where(
        Employee.team_id == team.id, Employee.status == EmployeeStatus.IN_POST).order_by(Employee.emp_no)).all()
    return render_template("org/team.html", team=team, members=members)


