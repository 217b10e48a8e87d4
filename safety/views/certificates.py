"""Certificate pages: one person's certificates, entry and update, scans, requirements, the expiring list."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from core.actions import commit_service, show_error
from core.attachments import Attachment, send_attachment, store_attachment
from core.audit import audit
from core.clock import now, today
from core.exceptions import DomainError
from core.exports import XLSX_MIMETYPE, download, xlsx_bytes
from core.extensions import db
from core.input import optional_id
from core.permissions import deny, get_visible_or_404
from org.models import Department, Employee, Position
from org.permissions import can_view_employee, department_scope
from safety.forms import CertificateForm, RequirementsForm, ReviewAssignForm
from safety.models import Certificate, PositionRequirement
from safety.permissions import may_edit_certificates, may_manage_requirements, may_see_expiring
from safety.services.certificates import (
    CertificateData,
    assign_review_training,
    certificates_of,
    expiring_certificates,
    missing_certificates,
    required_kinds,
    save_certificate,
    set_requirements,
)
from safety.settings import SPECIAL_OPERATION_NOTE, get_setting
from safety.views import bp
from safety.views.common import prepared_files

SCAN_OWNER = "safety.certificate"


@bp.get("/people/<int:employee_id>/certificates")
@login_required
def show_certificates(employee_id: int):
    """One person's certificates with their status today (scope-checked)."""
    employee = get_visible_or_404(Employee, employee_id, can_view_employee)
    return render_template("safety/certificates.html", employee=employee, certificates=certificates_of(employee),
                           today=today(), missing=missing_certificates(employee, today()),
                           required=required_kinds(employee.position_id),
                           may_edit=may_edit_certificates(current_user, employee), note=SPECIAL_OPERATION_NOTE)


def _data(form: CertificateForm) -> CertificateData:
    return CertificateData(form.kind_code.data or "", form.number.data or "", form.authority.data or "",
                           form.issued_on.data, form.valid_until.data, form.next_review_on.data,
                           bool(form.revoked.data), form.note.data or "")


def _save_with_scan(form: CertificateForm, employee: Employee, certificate: Certificate | None) -> Certificate:
    scans = prepared_files([form.scan.data], allow_pdf=True)
    saved = save_certificate(current_user, employee, _data(form), now(), certificate=certificate)
    if scans:
        scan = store_attachment(scans[0], owner=SCAN_OWNER, owner_id=saved.id, uploaded_by_id=current_user.id,
                                now=now())
        saved.scan_id = scan.id
    return saved


def _save(form: CertificateForm, employee: Employee, certificate: Certificate | None):
    if not commit_service(lambda: _save_with_scan(form, employee, certificate), form=form, field="scan",
                          denied=404)[0]:
        return None
    flash(_("证件已保存。"), "success")
    return redirect(url_for("safety.show_certificates", employee_id=employee.id))


@bp.route("/people/<int:employee_id>/certificates/new", methods=["GET", "POST"])
@login_required
def create_certificate(employee_id: int):
    """Enter a certificate for a person in the officer's department (or anyone, safety department)."""
    employee = get_visible_or_404(Employee, employee_id, may_edit_certificates)
    form = CertificateForm()
    if form.validate_on_submit() and (done := _save(form, employee, None)) is not None:
        return done
    return render_template("safety/certificate_form.html", form=form, employee=employee, certificate=None,
                           note=SPECIAL_OPERATION_NOTE), 422 if form.is_submitted() else 200


@bp.route("/certificates/<int:certificate_id>/edit", methods=["GET", "POST"])
@login_required
def edit_certificate(certificate_id: int):
    """Update a certificate (after a review, a renewal or a revocation)."""
    certificate = db.get_or_404(Certificate, certificate_id)
    if not may_edit_certificates(current_user, certificate.employee):
        deny(404)
    form = CertificateForm(obj=certificate)
    if form.validate_on_submit() and (done := _save(form, certificate.employee, certificate)) is not None:
        return done
    return render_template("safety/certificate_form.html", form=form, employee=certificate.employee,
                           certificate=certificate, note=SPECIAL_OPERATION_NOTE), 422 if form.is_submitted() else 200


@bp.get("/certificates/<int:certificate_id>/scan")
@login_required
def show_scan(certificate_id: int):
    """The scan, only for people who may see the holder's records."""
    certificate = db.get_or_404(Certificate, certificate_id)
    if not can_view_employee(current_user, certificate.employee) or certificate.scan_id is None:
        deny(404)
    attachment = db.session.get(Attachment, certificate.scan_id)
    if attachment is None or attachment.owner != SCAN_OWNER:
        abort(404)
    return send_attachment(attachment)


@bp.get("/requirements")
@login_required
def list_requirements():
    """Which certificates each position requires (持证上岗要求)."""
    positions = db.session.scalars(select(Position).where(Position.active).order_by(Position.code)).all()
    rows = db.session.scalars(select(PositionRequirement)).all()
    required: dict[int, list[str]] = {}
    for row in rows:
        required.setdefault(row.position_id, []).append(row.kind_label)
    return render_template("safety/requirements.html", positions=positions, required=required,
                           may_edit=may_manage_requirements(current_user))


@bp.route("/requirements/<int:position_id>", methods=["GET", "POST"])
@login_required
def edit_requirements(position_id: int):
    """Pick the certificate kinds a position requires (safety department)."""
    if not may_manage_requirements(current_user):
        deny(403)
    position = db.get_or_404(Position, position_id)
    form = RequirementsForm()
    if form.validate_on_submit():
        try:
            changed = set_requirements(current_user, position, list(form.kinds.data or []), now())
        except DomainError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("已保存“%(p)s”的持证要求。", p=position.name) if changed else _("没有变化。"), "success")
            return redirect(url_for("safety.list_requirements"))
    elif not form.is_submitted():
        form.kinds.data = required_kinds(position.id)
    return render_template("safety/requirements_form.html", form=form, position=position)


def _window() -> int:
    default = int(get_setting("warning_days"))
    try:
        return max(0, min(int(request.args.get("window", default)), 3650))
    except ValueError:
        return default


def _department_filter() -> int | None:
    return optional_id(request.args.get("department", ""))


@bp.get("/certificates/expiring")
@login_required
def list_expiring():
    """Certificates expiring or due for review within the window, by department (scope-checked)."""
    if not may_see_expiring(current_user):
        deny(403)
    window = _window()
    grouped = expiring_certificates(current_user, today(), window, _department_filter())
    departments = db.session.scalars(select(Department).where(department_scope(current_user))
                                     .order_by(Department.code)).all()
    form = ReviewAssignForm(due_on=today() + timedelta(days=int(get_setting("review_due_days"))))
    return render_template("safety/expiring.html", grouped=grouped, window=window, departments=departments,
                           department_id=_department_filter(), form=form, note=SPECIAL_OPERATION_NOTE)


@bp.get("/certificates/expiring.xlsx")
@login_required
def export_expiring():
    """The expiring list as xlsx (cells neutralised; never cached)."""
    if not may_see_expiring(current_user):
        deny(403)
    window = _window()
    headers = ["部门", "班组", "工号", "姓名", "岗位", "证件类别", "操作项目", "证号", "发证机关", "发证日期",
               "有效期至", "下次复审", "状态"]
    rows = []
    for department, items in expiring_certificates(current_user, today(), window, _department_filter()).items():
        for item in items:
            c, e = item.certificate, item.certificate.employee
            rows.append([department.name, e.team.name if e.team else "", e.emp_no, e.name,
                         e.position.name if e.position else "", c.kind.system.label if c.kind else "",
                         c.kind.label if c.kind else "", c.number, c.authority, c.issued_on, c.valid_until,
                         c.next_review_on or "", item.status_label])
    audit("export", target="证件到期清单", detail={"rows": len(rows), "window": window})
    db.session.commit()
    body = xlsx_bytes(headers, rows, sheet_title="证件到期清单", title=f"证件到期清单（{window} 天内）",
                      widths=(12, 12, 10, 10, 14, 22, 24, 20, 20, 12, 12, 12, 16))
    return download(body, XLSX_MIMETYPE, f"证件到期清单（{window} 天内）.xlsx")


@bp.post("/certificates/expiring/assign")
@login_required
def assign_review():
    """One step from the list: a 复审培训 task for the holders of the ticked certificates."""
    if not may_see_expiring(current_user):
        deny(403)
    form = ReviewAssignForm()
    if not form.validate_on_submit():
        abort(400)
    visible = expiring_certificates(current_user, today(), 3650)
    allowed = {row.certificate.id: row.certificate for rows in visible.values() for row in rows}
    chosen = [allowed[i] for i in form.certificate_ids.data or [] if i in allowed]
    if len(chosen) != len(set(form.certificate_ids.data or [])):
        deny(404)
    try:
        assignment = assign_review_training(current_user, chosen, now(), due_on=form.due_on.data)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash(_("已布置复审培训“%(t)s”，共 %(n)s 人。", t=assignment.title, n=len(assignment.tasks)), "success")
    return redirect(url_for("safety.list_expiring", window=form.window.data or None))
