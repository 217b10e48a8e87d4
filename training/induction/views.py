"""Induction pages: my induction, study, sign-off, classroom sessions, programmes, absences, settings."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from core.audit import audit
from core.exceptions import DomainError, ValidationFailed
from core.extensions import db
from kb.models import Document
from org.auth import deny, roles_required
from org.models import Department, Employee, EmployeeStatus, Position
from org.roles import Role
from org.scope import can_view_employee, employee_scope
from training.induction import programmes as prog
from training.induction.exams import exam_choices, exam_title
from training.induction.forms import AbsenceForm, ClassroomForm, ProgrammeForm, SignOffForm
from training.induction.models import InductionLevel, Level, LevelItem, Programme
from training.induction.progress import induction_progress, inductions_of
from training.induction.services import (
    NotAllowed,
    acknowledge_study,
    open_session,
    record_absence,
    record_classroom,
    sign_off,
    start_study,
)
from training.settings import DEFAULTS, current_now, get_setting, set_setting

bp = Blueprint("induction", __name__, url_prefix="/training")
ORG_WIDE = (Role.SAFETY_DEPT, Role.ADMIN)


@bp.get("/induction")
@login_required
def my_induction():
    """The signed-in employee's own three-level induction."""
    progress = [induction_progress(i) for i in inductions_of(current_user)]
    return render_template("training/induction/mine.html", progress=list(reversed(progress)),
                           exam_title=exam_title)


@bp.get("/study/<int:document_id>")
@login_required
def study(document_id: int):
    """Read one study item; the server clock runs from “开始学习” to “确认已阅读”."""
    document = db.get_or_404(Document, document_id)
    if not document.is_published:
        abort(404)
    body = document.published_revision.body_html  # the template marks it safe via kb's |sanitised
    return render_template("training/induction/study.html", document=document, body=body,
                           session=open_session(current_user, document), item_id=request.args.get("item", type=int))


def _item_arg() -> LevelItem | None:
    item_id = request.form.get("item", type=int)
    return db.session.get(LevelItem, item_id) if item_id else None


@bp.post("/study/<int:document_id>/start")
@login_required
def start(document_id: int):
    """Start (or continue) a study session at the server's time."""
    document = db.get_or_404(Document, document_id)
    try:
        start_study(current_user, document, current_now(), item=_item_arg())
    except NotAllowed:
        deny(404)
    except DomainError as error:
        flash(error.message, "danger")
        return redirect(url_for("induction.my_induction"))
    db.session.commit()
    return redirect(url_for("induction.study", document_id=document.id))


@bp.post("/study/<int:document_id>/acknowledge")
@login_required
def acknowledge(document_id: int):
    """已阅读确认: credit the capped study time and acknowledge the current revision."""
    document = db.get_or_404(Document, document_id)
    try:
        session = acknowledge_study(current_user, document, current_now())
    except NotAllowed:
        deny(404)
    except DomainError as error:
        flash(error.message, "danger")
        return redirect(url_for("induction.study", document_id=document.id))
    db.session.commit()
    flash(_("已确认阅读“%(t)s”，计入学习 %(m)s 分钟。", t=document.title, m=f"{session.credited_minutes:g}"), "success")
    return redirect(request.form.get("next") or url_for("induction.my_induction"))


@bp.post("/induction/levels/<int:level_id>/sign-off")
@login_required
def sign_off_level(level_id: int):
    """The trainer's sign-off (签字确认) of a department or team level."""
    level = db.get_or_404(InductionLevel, level_id)
    employee = level.induction.employee
    if not can_view_employee(current_user, employee):
        deny(404)
    form = SignOffForm()
    try:
        sign_off(current_user, level, current_now(), note=form.note.data or "")
    except NotAllowed:
        deny(403)
    except DomainError as error:
        flash(error.message, "danger")
    else:
        audit("training.sign_off", target=employee.emp_no, detail={"level": level.level})
        db.session.commit()
        flash(_("已签字确认%(l)s培训。", l=level.level_label), "success")
    return redirect(url_for("records.employee_record", employee_id=employee.id))


@bp.route("/induction/classroom/new", methods=["GET", "POST"])
@roles_required(Role.TEAM_LEADER, Role.SAFETY_OFFICER, *ORG_WIDE)
def new_classroom():
    """Record a classroom session (日期、学时、内容、参训人员)."""
    form = ClassroomForm()
    people = db.session.scalars(select(Employee).where(
        employee_scope(current_user), Employee.status == EmployeeStatus.IN_POST).order_by(Employee.emp_no)).all()
    form.attendees.choices = [(p.id, f"{p.emp_no} {p.name}") for p in people]
    if form.validate_on_submit():
        try:
            session = record_classroom(current_user, Level(form.level.data), form.held_on.data,
                                       float(form.hours.data), form.topic.data, form.attendees.data, current_now())
        except NotAllowed:
            deny(403)
        except DomainError as error:
            getattr(form, error.field or "topic").errors.append(error.message)
        else:
            audit("training.classroom", target=session.topic, detail={"attendees": len(form.attendees.data)})
            db.session.commit()
            flash(_("已登记培训课时。"), "success")
            return redirect(url_for("records.overview"))
    return render_template("training/induction/classroom_form.html", form=form)


@bp.get("/induction/programmes")
@roles_required(*ORG_WIDE)
def programmes():
    """The induction programmes per level (安全管理部门)."""
    return render_template("training/induction/programmes.html", programmes=prog.list_programmes(),
                           exam_title=exam_title)


def _programme_form(programme: Programme | None) -> ProgrammeForm:
    form = ProgrammeForm(obj=programme)
    form.department_id.choices = [(0, _("全公司"))] + [
        (d.id, d.name) for d in db.session.scalars(select(Department).order_by(Department.code))]
    form.position_id.choices = [(0, _("全部岗位"))] + [
        (p.id, p.name) for p in db.session.scalars(select(Position).order_by(Position.code))]
    form.exam_id.choices = [(0, _("不设考试"))] + exam_choices()
    if request.method == "GET" and programme is not None:
        form.items.data = prog.items_text(programme)
        form.department_id.data = programme.department_id or 0
        form.position_id.data = programme.position_id or 0
        form.exam_id.data = programme.exam_id or 0
    return form


@bp.route("/induction/programmes/new", methods=["GET", "POST"], defaults={"programme_id": None})
@bp.route("/induction/programmes/<int:programme_id>", methods=["GET", "POST"])
@roles_required(*ORG_WIDE)
def edit_programme(programme_id: int | None):
    """Create or edit a programme; items are “slug 分钟” lines, each bad line named."""
    programme = db.get_or_404(Programme, programme_id) if programme_id else None
    form = _programme_form(programme)
    if form.validate_on_submit():
        data = prog.ProgrammeData(
            Level(form.level.data), form.title.data, form.department_id.data or None, form.position_id.data or None,
            form.exam_id.data or None, form.pass_mark.data, float(form.hours.data) if form.hours.data is not None
            else None, form.items.data or "", form.active.data)
        try:
            saved = prog.save_programme(current_user, programme, data)
        except ValidationFailed as error:
            form.items.errors.extend(error.problems)
        except DomainError as error:
            getattr(form, error.field or "title").errors.append(error.message)
        else:
            audit("training.programme", target=saved.title)
            db.session.commit()
            flash(_("培训方案已保存；此后开启的培训按新方案执行。"), "success")
            return redirect(url_for("induction.programmes"))
    return render_template("training/induction/programme_form.html", form=form, programme=programme)


@bp.route("/induction/employees/<int:employee_id>/absence", methods=["GET", "POST"])
@roles_required(*ORG_WIDE)
def absence(employee_id: int):
    """Record 离岗/返岗; a long absence re-opens department and team training."""
    employee = db.get_or_404(Employee, employee_id)
    form = AbsenceForm()
    if form.validate_on_submit():
        try:
            induction = record_absence(current_user, employee, form.left_on.data, form.returned_on.data,
                                       form.reason.data or "", current_now())
        except DomainError as error:
            getattr(form, error.field or "left_on").errors.append(error.message)
        else:
            audit("training.absence", target=employee.emp_no)
            db.session.commit()
            flash(_("已登记，并重新开启部门级、班组级教育。") if induction else _("已登记离岗/返岗。"), "success")
            return redirect(url_for("records.employee_record", employee_id=employee.id))
    return render_template("training/induction/absence_form.html", form=form, employee=employee,
                           days=get_setting("absence_days"))


@bp.route("/induction/settings", methods=["GET", "POST"])
@roles_required(*ORG_WIDE)
def settings():
    """Company training settings (学时、离岗天数、计时上限…)."""
    values = {key: get_setting(key) for key in DEFAULTS}
    errors: dict[str, str] = {}
    if request.method == "POST":
        # CSRFProtect (core.extensions.csrf) checks every POST, this dynamic form included.
        for key in DEFAULTS:
            raw = request.form.get(key, "").strip()
            if isinstance(DEFAULTS[key][0], bool):
                raw = "true" if request.form.get(key) else "false"
            try:
                set_setting(key, raw)
            except DomainError as error:
                errors[key] = error.message
        if not errors:
            audit("settings.change", target="training", detail={k: request.form.get(k, "") for k in DEFAULTS})
            db.session.commit()
            flash(_("设置已保存。"), "success")
            return redirect(url_for("induction.settings"))
        db.session.rollback()
        values = {key: request.form.get(key, "") for key in DEFAULTS}
    return render_template("training/induction/settings.html", values=values, labels=DEFAULTS, errors=errors)

