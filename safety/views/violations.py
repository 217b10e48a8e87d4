"""三违 pages: record from a phone, list, one record (photos, retraining, 复岗), monthly counts, case draft."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from core.actions import commit_service
from core.attachments import Attachment, send_attachment
from core.clock import local, now
from core.extensions import db
from core.input import db_id
from core.permissions import deny, get_visible_or_404
from kb.models import Document, DocumentKind
from org.models import Employee, EmployeeStatus
from org.permissions import can_view_employee, employee_scope
from safety.forms import ActionForm, ReturnForm, ViolationForm
from safety.models import Violation
from safety.permissions import (
    may_draft_case,
    may_record_against,
    may_record_violations,
    may_see_violation,
    may_sign_return,
)
from safety.services.violation_reports import draft_case, monthly_counts, repeat_offenders, violations_for
from safety.services.violations import (
    PHOTO_OWNER,
    ViolationData,
    photos_of,
    record_violation,
    retraining_of,
    sign_return,
)
from safety.views import bp
from safety.views.common import prepared_files


def _people_choices() -> list[tuple[int | str, str]]:
    """People the current user may record against, by team and name (never only an id)."""
    people = db.session.scalars(select(Employee).where(Employee.status == EmployeeStatus.IN_POST,
                                                       employee_scope(current_user))
                                .order_by(Employee.department_id, Employee.team_id, Employee.emp_no)).all()
    return [("", _("请选择违章人员"))] + [
        (p.id, f"{p.name}（{p.emp_no}，{p.team.name if p.team else p.department.name}）")
        for p in people if may_record_against(current_user, p)]


def _procedure_choices() -> list[tuple[str, str]]:
    documents = db.session.scalars(select(Document).where(
        Document.kind == DocumentKind.PROCEDURE, Document.published_revision_id.is_not(None),
        Document.archived.is_(False)).order_by(Document.title)).all()
    return [("", _("（未涉及具体规程）"))] + [(str(d.id), d.title) for d in documents]


@bp.get("/violations")
@login_required
def list_violations():
    """三违 records in scope, newest first, with repeat offenders flagged."""
    records = violations_for(current_user)
    return render_template("safety/violations.html", records=records, repeat=repeat_offenders(current_user, now()),
                           may_record=may_record_violations(current_user))


@bp.route("/violations/new", methods=["GET", "POST"])
@login_required
def create_violation():
    """Record a 三违 (team leader: own team only; officer: department; safety department: anyone)."""
    if not may_record_violations(current_user):
        deny(403)
    form = ViolationForm()
    form.employee_id.choices = _people_choices()
    form.procedure_id.choices = _procedure_choices()
    if not form.is_submitted():
        form.occurred_at.data = local(now()).replace(second=0, microsecond=0, tzinfo=None)
        form.employee_id.data = request.args.get("employee", type=db_id)
    if form.validate_on_submit():
        employee = db.session.get(Employee, form.employee_id.data or 0)
        if employee is None or not may_record_against(current_user, employee):
            deny(404)
        occurred = form.occurred_at.data.replace(tzinfo=local(now()).tzinfo)
        data = ViolationData(occurred, form.place.data, form.type.data, form.severity.data, form.description.data,
                             form.procedure_id.data, form.action_taken.data or "")
        done, violation = commit_service(
            lambda: record_violation(current_user, employee, data, prepared_files(form.photos.data, allow_pdf=False),
                                     now()), form=form, field="photos", denied=404)
        if done:
            stood = _("该员工已停岗，再培训任务已下达。") if violation.stand_down else ""
            flash(_("已登记。%(s)s", s=stood), "success")
            return redirect(url_for("safety.show_violation", violation_id=violation.id))
    return render_template("safety/violation_form.html", form=form), 422 if form.is_submitted() else 200


@bp.get("/violations/<int:violation_id>")
@login_required
def show_violation(violation_id: int):
    """One record: facts, photos, the stand-down's retraining progress and the 复岗 signature."""
    violation = get_visible_or_404(Violation, violation_id, may_see_violation)
    return render_template("safety/violation.html", v=violation, photos=photos_of(violation),
                           retraining=retraining_of(violation, now()), return_form=ReturnForm(),
                           action_form=ActionForm(), may_sign=may_sign_return(current_user, violation),
                           may_case=may_draft_case(current_user))


@bp.get("/violations/<int:violation_id>/photos/<int:attachment_id>")
@login_required
def show_photo(violation_id: int, attachment_id: int):
    """A photo of a record, only for people who may see the record."""
    violation = get_visible_or_404(Violation, violation_id, may_see_violation)
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.owner != PHOTO_OWNER or attachment.owner_id != violation.id:
        abort(404)
    return send_attachment(attachment)


@bp.post("/violations/<int:violation_id>/return")
@login_required
def sign_violation_return(violation_id: int):
    """复岗签字 by the person's department safety officer, once the exam is passed."""
    violation = get_visible_or_404(Violation, violation_id, may_see_violation)
    form = ReturnForm()
    if not form.validate_on_submit():
        abort(400)
    if commit_service(lambda: sign_return(current_user, violation, form.note.data or "", now()))[0]:
        flash(_("已签字复岗，%(n)s 恢复上岗资格（如无其他限制）。", n=violation.employee.name), "success")
    return redirect(url_for("safety.show_violation", violation_id=violation.id))


@bp.post("/violations/<int:violation_id>/case")
@login_required
def draft_violation_case(violation_id: int):
    """One click: an anonymised 三违案例 draft in the knowledge base (safety department)."""
    violation = get_visible_or_404(Violation, violation_id, may_see_violation)
    if not ActionForm().validate_on_submit():
        abort(400)
    done, revision = commit_service(lambda: draft_case(current_user, violation, now()))
    if not done:
        return redirect(url_for("safety.show_violation", violation_id=violation.id))
    flash(_("已生成匿名案例草稿，请补充后提交审核。"), "success")
    return redirect(url_for("kb.edit_draft", slug=revision.document.slug))


@bp.get("/violations/stats")
@login_required
def show_violation_stats():
    """Monthly counts per department and team (in scope) for a year."""
    if not may_record_violations(current_user):
        deny(403)
    this_year = local(now()).year
    year = min(max(request.args.get("year", type=db_id) or this_year, 2000), this_year)
    return render_template("safety/violation_stats.html", rows=monthly_counts(current_user, year), year=year,
                           this_year=this_year)


@bp.get("/people/<int:employee_id>/violations")
@login_required
def list_person_violations(employee_id: int):
    """One person's records (their own, or within the viewer's scope)."""
    employee = get_visible_or_404(Employee, employee_id, can_view_employee)
    return render_template("safety/violations.html", records=violations_for(current_user, employee_id=employee.id),
                           repeat=repeat_offenders(current_user, now()), may_record=False, person=employee)
