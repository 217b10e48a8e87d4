"""Organisation structure (组织架构): departments, teams and positions, for system admins (/admin)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from core.clock import now
from core.exceptions import DomainError
from core.extensions import db
from core.permissions import roles_required
from org import services
from org.forms import DepartmentForm, PositionForm, TeamForm, department_options, employee_options
from org.models import Department, Position, Role, Team
from org.views.blueprint import bp

UNITS = {
    "departments": (Department, DepartmentForm, _("部门/车间")),
    "teams": (Team, TeamForm, _("班组")),
    "positions": (Position, PositionForm, _("岗位")),
}


@bp.get("/admin/structure")
@roles_required(Role.ADMIN)
def show_structure():
    """Departments with their teams and head counts, and all positions."""
    return render_template("org/structure.html", departments=services.all_departments(),
                           positions=services.all_positions(), counts=services.head_counts_by_team())


@bp.route("/admin/<any(departments,teams,positions):unit>/new", methods=["GET", "POST"])
@bp.route("/admin/<any(departments,teams,positions):unit>/<int:item_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_unit(unit: str, item_id: int | None = None):
    """Create or edit a department, team or position."""
    model, form_class, label = UNITS[unit]
    item = db.get_or_404(model, item_id) if item_id else None
    form = form_class(obj=item)
    if isinstance(form, TeamForm):
        form.department_id.choices = department_options()
        form.leader_id.choices = employee_options()
    if form.validate_on_submit():
        try:
            services.save_unit(item or model(), form.data, actor=current_user, now=now())
        except DomainError:
            form.code.errors.append(_("代码或名称与已有记录重复。"))
        else:
            db.session.commit()
            flash(_("已保存。"), "success")
            return redirect(url_for("org.show_structure"))
    return render_template("org/unit_form.html", form=form, item=item, label=label, unit=unit)
