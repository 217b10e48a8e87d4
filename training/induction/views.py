"""Induction pages: my induction, study, sign-off, classroom sessions, programmes, absences, settings."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from core.actions import commit_service
from core.clock import now
from core.exceptions import DomainError, NotAllowed, ValidationFailed
from core.extensions import db
from core.input import db_id, optional_id
from core.permissions import deny, permission_required
from core.settings import SettingsInvalid
from kb.models import Document
from kb.services.picker import document_options
from org.models import Department, Employee, EmployeeStatus, Position
from org.permissions import employee_scope
from training.induction.forms import AbsenceForm, ClassroomForm, PaperInductionForm, ProgrammeForm, SignOffForm
from training.induction.models import InductionLevel, Level, LevelItem, Programme
from training.induction.permissions import (
    may_edit_settings,
    may_record_absence,
    may_record_classroom,
    may_record_history,
    may_see_induction_of,
    may_set_programmes,
    may_teach,
)
from training.induction.services import history, inductions, programmes, study, trainer
from training.induction.services.next_step import next_step, stepper
from training.induction.services.progress import induction_progress, inductions_of
from training.quiz.services.results import exam_choices
from training.settings import SETTINGS, STORE, get_setting, save_settings

bp = Blueprint("induction", __name__, url_prefix="/training")


@bp.get("/induction")
@login_required
def show_my_induction():
    """The signed-in employee's own three-level induction."""
    progress = [induction_progress(i) for i in inductions_of(current_user)]
    latest = progress[-1] if progress else None
    steps = next_one = None
    if latest is not None and not latest.complete:
        steps, next_one = stepper(current_user, latest), next_step(current_user, latest, now())
    return render_template("training/induction/mine.html", progress=list(reversed(progress)), steps=steps,
                           panel={"next": next_one, "steps": steps})


@bp.get("/study/<int:document_id>")
@login_required
def study_document(document_id: int):
    """Read one study item: visible time counts (heartbeats); 确认已学习 at the end after the minimum."""
    document = db.get_or_404(Document, document_id)
    if not document.is_published:
        abort(404)
    item = _item_arg(request.args)
    if item is not None and item.induction_level.induction.employee_id != current_user.id:
        deny(404)
    session = study.open_session(current_user, document)
    body = document.published_revision.body_html  # the template marks it safe via kb's |sanitised
    return render_template("training/induction/study.html", document=document, body=body, session=session,
                           item=item or (session.level_item if session else None),
                           state=study.study_state(session, item), beat_seconds=study.BEAT_SECONDS)


def _item_arg(values=None) -> LevelItem | None:
    item_id = (values or request.form).get("item", type=db_id)
    return db.session.get(LevelItem, item_id) if item_id else None


@bp.post("/study/<int:document_id>/beat")
@login_required
def study_heartbeat(document_id: int):
    """The study page is visible: credit the time since its last beat (JSON)."""
    document = db.get_or_404(Document, document_id)
    try:
        session = study.heartbeat(current_user, document, now(), item=_item_arg(),
                                  resumed=request.form.get("resumed") == "1")
    except NotAllowed:
        deny(404)
    except DomainError as error:
        db.session.rollback()
        return jsonify(error=error.message), 409
    state = study.study_state(session, session.level_item)
    db.session.commit()
    return jsonify(credited=state.credited_minutes, minimum=state.minimum_minutes,
                   remaining=state.remaining_minutes, may_confirm=state.may_confirm)


@bp.post("/study/<int:document_id>/start")
@login_required
def start_study(document_id: int):
    """Start (or continue) a study session at the server's time."""
    document = db.get_or_404(Document, document_id)
    try:
        study.start_study(current_user, document, now(), item=_item_arg())
    except NotAllowed:
        deny(404)
    except DomainError as error:
        flash(error.message, "danger")
        return redirect(url_for("induction.show_my_induction"))
    db.session.commit()
    return redirect(url_for("induction.study_document", document_id=document.id))


@bp.post("/study/<int:document_id>/acknowledge")
@login_required
def acknowledge_study(document_id: int):
    """确认已学习: credit the visible study time (capped), acknowledge the revision, go on to 下一项."""
    document = db.get_or_404(Document, document_id)
    try:
        session = study.acknowledge_study(current_user, document, now())
    except NotAllowed:
        deny(404)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(url_for("induction.study_document", document_id=document.id, item=request.form.get("item")))
    db.session.commit()
    following = study.next_item(current_user) if session.level_item_id else None
    flash(_("已确认学习“%(t)s”，计入 %(m)s 分钟。", t=document.title, m=f"{session.credited_minutes:g}"), "success")
    if following is not None:
        return redirect(url_for("induction.study_document", document_id=following.document_id, item=following.id))
    return redirect(url_for("induction.show_my_induction"))


@bp.post("/induction/levels/<int:level_id>/sign-off")
@login_required
def sign_off_level(level_id: int):
    """The trainer's sign-off (签字确认) of a department or team level."""
    level = db.get_or_404(InductionLevel, level_id)
    employee = level.induction.employee
    if not may_see_induction_of(current_user, employee):
        deny(404)
    form = SignOffForm()
    signed, _none = commit_service(lambda: trainer.sign_off(current_user, level, now(), note=form.note.data or ""))
    if signed:
        flash(_("已签字确认%(n)s的%(l)s培训。", n=employee.name, l=level.level_label), "success")
    if request.form.get("back") == "home":  # the one-tap sign-off on the home page returns there
        return redirect(url_for("org.show_home"))
    return redirect(url_for("records.show_employee_record", employee_id=employee.id))


@bp.route("/induction/classroom/new", methods=["GET", "POST"])
@permission_required(may_record_classroom)
def record_classroom():
    """Record a classroom session (日期、学时、内容、参训人员)."""
    form = ClassroomForm()
    people = db.session.scalars(select(Employee).where(
        employee_scope(current_user), Employee.status == EmployeeStatus.IN_POST).order_by(Employee.emp_no)).all()
    form.attendees.choices = [(p.id, f"{p.emp_no} {p.name}") for p in people]
    form.level.choices = [(lv.value, lv.label) for lv in Level if may_teach(current_user, lv)]
    if form.validate_on_submit():
        try:
            trainer.record_classroom(current_user, Level(form.level.data), form.held_on.data,
                                     float(form.hours.data), form.topic.data, form.attendees.data, now())
        except NotAllowed as error:  # the form stays filled in: say what is wrong next to the people
            form.attendees.errors.append(error.message)
        except DomainError as error:
            getattr(form, error.field or "topic").errors.append(error.message)
        else:
            db.session.commit()
            flash(_("已登记培训课时。"), "success")
            return redirect(url_for("records.show_overview"))
    return render_template("training/induction/classroom_form.html", form=form)


@bp.get("/induction/programmes")
@permission_required(may_set_programmes)
def list_programmes():
    """The induction programmes per level (安全管理部门)."""
    return render_template("training/induction/programmes.html", programmes=programmes.list_programmes())


def _programme_form(programme: Programme | None) -> ProgrammeForm:
    form = ProgrammeForm(obj=programme)
    form.department_id.choices = [(0, _("全公司"))] + [
        (d.id, d.name) for d in db.session.scalars(select(Department).order_by(Department.code))]
    form.position_id.choices = [(0, _("全部岗位"))] + [
        (p.id, p.name) for p in db.session.scalars(select(Position).order_by(Position.code))]
    form.exam_id.choices = [(0, _("不设考试"))] + exam_choices()
    if request.method == "GET" and programme is not None:
        form.items.data = programmes.items_text(programme)
        form.department_id.data = programme.department_id or 0
        form.position_id.data = programme.position_id or 0
        form.exam_id.data = programme.exam_id or 0
    return form


def _posted_items() -> str:
    """The picker rows (document id, minutes) as the "slug 分钟" lines the service reads; blank rows keep
    their line so problems name the row."""
    lines = []
    for doc_id, minutes in zip(request.form.getlist("item_doc"), request.form.getlist("item_min"), strict=False):
        document = db.session.get(Document, optional_id(doc_id)) if optional_id(doc_id) is not None else None
        if not doc_id:
            lines.append("")
        else:
            lines.append(f"{document.slug if document else '未知文档'} {minutes.strip() or 15}")
    return "\n".join(lines)


def _item_rows(programme: Programme | None) -> list[tuple[int | None, str]]:
    if request.method == "POST":
        rows = [(optional_id(d), m) for d, m in
                zip(request.form.getlist("item_doc"), request.form.getlist("item_min"), strict=False)]
    else:
        rows = [(item.document_id, str(item.expected_minutes)) for item in (programme.items if programme else [])]
    return rows + [(None, "")] * 3


def _programme_data(form: ProgrammeForm) -> programmes.ProgrammeData:
    hours = float(form.hours.data) if form.hours.data is not None else None
    return programmes.ProgrammeData(
        Level(form.level.data), form.title.data, form.department_id.data or None, form.position_id.data or None,
        form.exam_id.data or None, form.pass_mark.data, hours, form.items.data or "", form.active.data)


@bp.route("/induction/programmes/new", methods=["GET", "POST"], defaults={"programme_id": None})
@bp.route("/induction/programmes/<int:programme_id>", methods=["GET", "POST"])
@permission_required(may_set_programmes)
def edit_programme(programme_id: int | None):
    """Create or edit a programme; items are picked by name (a row each: document, minutes), bad rows named."""
    programme = db.get_or_404(Programme, programme_id) if programme_id else None
    form = _programme_form(programme)
    if request.method == "POST" and "item_doc" in request.form:
        form.items.data = _posted_items()
    if form.validate_on_submit():
        try:
            programmes.save_programme(current_user, programme, _programme_data(form), now())
        except ValidationFailed as error:
            form.items.errors.extend(error.problems)
        except DomainError as error:
            getattr(form, error.field or "title").errors.append(error.message)
        else:
            db.session.commit()
            flash(_("培训方案已保存；此后开启的培训按新方案执行。"), "success")
            return redirect(url_for("induction.list_programmes"))
    return render_template("training/induction/programme_form.html", form=form, programme=programme,
                           item_rows=_item_rows(programme), doc_options=document_options())


@bp.route("/induction/employees/<int:employee_id>/absence", methods=["GET", "POST"])
@permission_required(may_record_absence)
def record_absence(employee_id: int):
    """Record 离岗/返岗; a long absence re-opens department and team training."""
    employee = db.get_or_404(Employee, employee_id)
    form = AbsenceForm()
    if form.validate_on_submit():
        try:
            induction = inductions.record_absence(current_user, employee, form.left_on.data, form.returned_on.data,
                                                  form.reason.data or "", now())
        except DomainError as error:
            getattr(form, error.field or "left_on").errors.append(error.message)
        else:
            db.session.commit()
            flash(_("已登记，并重新开启部门级、班组级教育。") if induction else _("已登记离岗/返岗。"), "success")
            return redirect(url_for("records.show_employee_record", employee_id=employee.id))
    return render_template("training/induction/absence_form.html", form=form, employee=employee,
                           days=get_setting("absence_days"))


@bp.route("/induction/settings", methods=["GET", "POST"])
@permission_required(may_edit_settings)
def edit_settings():
    """Company training settings (学时、离岗天数、计时上限…)."""
    values = STORE.values()
    errors: dict[str, str] = {}
    if request.method == "POST":
        # CSRFProtect (core.extensions.csrf) checks every POST, this dynamic form included.
        try:
            save_settings(current_user, STORE.posted(request.form), now())
        except SettingsInvalid as invalid:
            db.session.rollback()
            errors = invalid.errors
            values = STORE.posted(request.form)
        else:
            db.session.commit()
            flash(_("设置已保存。"), "success")
            return redirect(url_for("induction.edit_settings"))
    return render_template("training/induction/settings.html", values=values, settings=SETTINGS, errors=errors)


def _paper_levels(form: PaperInductionForm) -> list[history.PaperLevelData] | None:
    """The levels filled in on the form; a half-filled level adds an error naming its empty fields."""
    levels, ok = [], True
    for level in Level:
        sub = getattr(form, level.value)
        if sub.is_blank():
            continue
        if sub.missing():
            sub.form.content.errors = [*sub.form.content.errors,
                                       _("%(l)s：请填写%(f)s。", l=level.label, f="、".join(sub.missing()))]
            ok = False
            continue
        score = float(sub.score.data) if sub.score.data is not None else None
        levels.append(history.PaperLevelData(
            level, sub.started_on.data, sub.finished_on.data, float(sub.hours.data), sub.content.data,
            sub.passed.data == "1", sub.trainer_name.data, sub.assessor_name.data, score))
    return levels if ok else None


@bp.route("/induction/employees/<int:employee_id>/paper", methods=["GET", "POST"])
@login_required
def record_paper_induction(employee_id: int):
    """历史记录补录: enter a veteran's paper three-level records so they count as cleared."""
    employee = db.get_or_404(Employee, employee_id)
    if not may_see_induction_of(current_user, employee) or not may_record_history(current_user, employee):
        deny(404)
    form = PaperInductionForm()
    if form.validate_on_submit() and (levels := _paper_levels(form)) is not None:
        try:
            history.record_paper_induction(current_user, employee, levels, now())
        except DomainError as error:
            db.session.rollback()
            form.errors_top = [error.message]
        else:
            db.session.commit()
            flash(_("已补录%(n)s的历史三级教育记录。", n=employee.name), "success")
            return redirect(url_for("records.show_employee_record", employee_id=employee.id))
    return render_template("training/induction/paper_form.html", form=form, employee=employee,
                           existing=history.paper_levels(employee), errors=getattr(form, "errors_top", []))
