"""Employees (人员) and teams: lists and profiles in the viewer's scope; accounts for admins."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.clock import now
from core.exceptions import DomainError
from core.extensions import db
from core.input import db_id, page_arg
from core.permissions import deny, get_visible_or_404, roles_required
from org import services
from org.forms import EmployeeForm, department_options, position_options, team_options
from org.models import Department, Employee, EmployeeStatus, Position, Role, Team
from org.permissions import can_view_employee, can_view_team, is_manager, may_deactivate
from org.services import EmployeeData, normalize_emp_no
from org.views.blueprint import bp


@bp.get("/org/employees")
@login_required
def list_employees():
    """Employees this user may see, searchable by 工号 or name, filterable by unit and status."""
    if not is_manager(current_user):
        deny()
    q = request.args.get("q", "").strip()
    status = request.args.get("status", EmployeeStatus.IN_POST)
    query = services.employees_query(
        current_user, text=q, department_id=request.args.get("department", type=db_id),
        team_id=request.args.get("team", type=db_id), status=status)
    page = db.paginate(query, page=page_arg(), per_page=30, error_out=False)
    return render_template("org/employees.html", page=page, q=q, status=status,
                           teams=services.visible_teams(current_user), departments=services.all_departments())


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
        gender=form.gender.data or "",
        status=form.status.data,
        roles=frozenset(Role(r) for r in form.roles.data),
    )


@bp.route("/org/employees/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def create_employee():
    """Create one employee; their one-time password is shown once."""
    form = EmployeeForm()
    _fill_choices(form)
    if form.validate_on_submit():
        try:
            employee, password = services.create_employee(_form_data(form), actor=current_user, now=now())
        except DomainError as error:
            getattr(form, error.field or "emp_no").errors.append(error.message)
        else:
            db.session.commit()
            return render_template("org/password_once.html", employee=employee, password=password)
    return render_template("org/employee_form.html", form=form, employee=None)


def _edit_form(employee: Employee) -> EmployeeForm:
    defaults = None if request.method == "POST" else {
        "roles": [r.value for r in employee.roles if r is not Role.EMPLOYEE],
        "team_id": employee.team_id or 0, "position_id": employee.position_id or 0}
    form = EmployeeForm(obj=employee, data=defaults)
    _fill_choices(form)
    form.emp_no.render_kw = {"readonly": True}
    return form


@bp.route("/org/employees/<int:employee_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_employee(employee_id: int):
    """Edit an employee; a change of team or position re-opens training (via signals)."""
    employee = db.get_or_404(Employee, employee_id)
    form = _edit_form(employee)
    if form.validate_on_submit():
        form.emp_no.data = employee.emp_no
        try:
            services.update_employee(employee, _form_data(form), actor=current_user, now=now())
        except DomainError as error:
            getattr(form, error.field or "name").errors.append(error.message)
        else:
            db.session.commit()
            flash(_("已保存。"), "success")
            return redirect(url_for("org.show_employee", employee_id=employee.id))
    return render_template("org/employee_form.html", form=form, employee=employee)


@bp.post("/org/employees/<int:employee_id>/deactivate")
@roles_required(Role.ADMIN)
def deactivate_employee(employee_id: int):
    """Mark the employee as left; they are logged out at their next request."""
    employee = db.get_or_404(Employee, employee_id)
    if not may_deactivate(current_user, employee):
        flash(_("不能停用自己的账号。"), "danger")
    else:
        services.deactivate_employee(employee, actor=current_user, now=now())
        db.session.commit()
        flash(_("已停用 %(name)s 的账号。", name=employee.name), "success")
    return redirect(url_for("org.show_employee", employee_id=employee.id))


@bp.post("/org/employees/<int:employee_id>/reset-password")
@roles_required(Role.ADMIN)
def reset_password(employee_id: int):
    """Issue a new one-time password, shown once."""
    employee = db.get_or_404(Employee, employee_id)
    password = services.reset_password(employee, actor=current_user, now=now())
    db.session.commit()
    return render_template("org/password_once.html", employee=employee, password=password)


@bp.get("/org/teams/<int:team_id>")
@login_required
def show_team(team_id: int):
    """A team's members, for its leader, its department's officer and the safety department."""
    team = get_visible_or_404(Team, team_id, can_view_team)
    return render_template("org/team.html", team=team, members=services.team_members(team))
