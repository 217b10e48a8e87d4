"""Authoring pages: new document, edit draft, submit, review (publish / reject), archive, review queue."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import SelectMultipleField

from core.clock import now
from core.exceptions import DomainError
from core.extensions import db
from core.permissions import deny, roles_required
from core.transactions import read_first, write_briefly
from kb.fields import (
    CASE_TEXTS,
    format_hazard_lines,
    format_occupational_lines,
    parse_hazard_lines,
    parse_occupational_lines,
)
from kb.forms import FORMS, ActionForm, DocumentForm, PublishForm, RejectForm, fill_choices
from kb.models import Document, DocumentKind, Revision, RevisionStatus
from kb.permissions import can_edit, creatable_kinds, editable_clause, is_author
from kb.render import prerender
from kb.services import publishing
from kb.services.publishing import DocumentInput, InputInvalid, open_revision
from kb.views.common import PATH_OF, bp, document_or_404, kind_from_path
from org.models import Department, Role


def _prefill(form: DocumentForm, revision: Revision) -> None:
    form.title.data = revision.title
    form.owner.data = revision.document.owner_department.code
    form.tags.data = "、".join(revision.fields.get("tags", revision.document.tags) or [])
    form.body.data = revision.body_md
    form.change_note.data = revision.change_note
    for name in form.kind_fields:
        value = revision.fields.get(name)
        if isinstance(value, list) and not isinstance(getattr(form, name), SelectMultipleField):
            value = "\n".join(value)
        getattr(form, name).data = value
    if revision.document.kind == DocumentKind.HAZARD_LIST:
        form.rows.data = format_hazard_lines(revision.hazard_rows)
        form.occupational.data = format_occupational_lines(revision.fields.get("occupational") or [])


def _input(form: DocumentForm, kind: DocumentKind) -> DocumentInput | None:
    raw = form.raw_fields()
    if kind is DocumentKind.HAZARD_LIST:
        rows, errors = parse_hazard_lines(form.rows.data)
        if errors:
            form.rows.errors = list(errors)
            return None
        raw["rows"] = rows
        items, errors = parse_occupational_lines(form.occupational.data)
        if errors:
            form.occupational.errors = list(errors)
            return None
        raw["occupational"] = items
    return DocumentInput(title=form.title.data or "", body_md=form.body.data or "",
                         change_note=form.change_note.data or "", tags=form.tag_list(), raw_fields=raw)


def _show_problems(form: DocumentForm, error: DomainError) -> None:
    problems = error.by_field if isinstance(error, InputInvalid) else {error.field or "title": [error.message]}
    for key, messages in problems.items():
        target = getattr(form, key if hasattr(form, key) else "title")
        target.errors = list(target.errors) + messages
    flash(_("有错误，请按提示修改后再保存。"), "danger")


def _save_draft(form: DocumentForm, save: Callable[[], Revision], message: str,
                data: DocumentInput) -> Revision | None:
    """Run a draft-writing service: commit and flash ``message``, or roll back and show its problems.

    The Markdown is rendered first, as a reader; the write transaction that stores it is short.
    """
    read_first()
    prerender(data.body_md, *(data.raw_fields.get(key) for key in CASE_TEXTS))
    try:
        revision = write_briefly(save)
    except DomainError as error:
        _show_problems(form, error)
        return None
    flash(message, "success")
    return revision


@bp.route("/new/<kind_path>", methods=["GET", "POST"])
@login_required
def create_document(kind_path: str):
    """Start a new document of one kind as a draft (authors only, within their department or team)."""
    kind = kind_from_path(kind_path)
    if kind not in creatable_kinds(current_user):
        deny()
    form = FORMS[kind]()
    fill_choices(form, kind, current_user)
    if request.method == "GET":
        form.owner.data = current_user.department.code
    if form.validate_on_submit() and (data := _input(form, kind)) is not None:
        owner = db.session.scalar(select(Department).where(Department.code == form.owner.data))
        revision = _save_draft(form, lambda: publishing.create_document(current_user, kind, owner, data, now()),
                               _("草稿已保存。确认无误后请“提交审核”。"), data)
        if revision is not None:
            return redirect(url_for("kb.show_document", slug=revision.document.slug, rev=revision.number))
    return render_template("kb/edit.html", form=form, kind=kind, document=None, revision=None)


@bp.post("/d/<slug>/revise")
@login_required
def start_revision(slug: str):
    """Open a draft revision (copied from the published one) and go to its form."""
    document = document_or_404(slug)
    if not can_edit(current_user, document):
        deny()
    try:
        publishing.start_revision(current_user, document, now())
    except DomainError as error:
        flash(error.message, "danger")
        return redirect(url_for("kb.show_document", slug=slug))
    db.session.commit()
    return redirect(url_for("kb.edit_draft", slug=slug))


@bp.route("/d/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit_draft(slug: str):
    """Edit the open draft of a document."""
    document = document_or_404(slug)
    if not can_edit(current_user, document):
        deny()
    revision = open_revision(document)
    if revision is None:
        flash(_("请先点击“修订”创建新的草稿版本。"), "info")
        return redirect(url_for("kb.show_document", slug=slug))
    kind = DocumentKind(document.kind)
    form = FORMS[kind]()
    fill_choices(form, kind, current_user, revision.fields)
    if request.method == "GET":
        _prefill(form, revision)
    elif form.validate_on_submit() and (data := _input(form, kind)) is not None:
        if _save_draft(form, lambda: publishing.update_draft(current_user, revision, data, now()),
                       _("草稿已保存。"), data) is not None:
            return redirect(url_for("kb.show_document", slug=slug, rev=revision.number))
    return render_template("kb/edit.html", form=form, kind=kind, document=document, revision=revision)


def _revision_action(slug: str, number: int, action, message: str, *args):
    document = document_or_404(slug)
    revision = next((r for r in document.revisions if r.number == number), None)
    if revision is None or not can_edit(current_user, document):
        deny(404 if revision is None else 403)
    try:
        action(current_user, revision, *args, now())
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash(message, "success")
    return redirect(url_for("kb.show_document", slug=slug, rev=number))


@bp.post("/d/<slug>/r/<int:number>/submit")
@login_required
def submit_revision(slug: str, number: int):
    """Send a draft to the safety department (提交审核)."""
    if not ActionForm().validate_on_submit():
        deny(400)
    return _revision_action(slug, number, publishing.submit_revision, _("已提交审核，等待安全管理部门发布。"))


@bp.post("/d/<slug>/r/<int:number>/publish")
@roles_required(Role.SAFETY_DEPT)
def publish_revision(slug: str, number: int):
    """Approve and publish a revision (安全管理部门); the previous one is superseded."""
    form = PublishForm()
    if not form.validate_on_submit():
        deny(400)

    def act(actor, revision, at):
        return publishing.publish_revision(actor, revision, at, form.effective_date.data)

    return _revision_action(slug, number, act, _("已发布，员工现在可以看到新版本。"))


@bp.post("/d/<slug>/r/<int:number>/reject")
@roles_required(Role.SAFETY_DEPT)
def reject_revision(slug: str, number: int):
    """Send a revision back to its author with the reviewer's note (退回修改)."""
    form = RejectForm()
    if not form.validate_on_submit():
        flash(_("请填写退回意见。"), "danger")
        return redirect(url_for("kb.show_document", slug=slug, rev=number))
    return _revision_action(slug, number, publishing.reject_revision, _("已退回修改。"), form.note.data)


@bp.post("/d/<slug>/archive")
@roles_required(Role.SAFETY_DEPT)
def archive_document(slug: str):
    """Archive a document: it leaves lists and search; editors can still read its history."""
    document = document_or_404(slug)
    if not ActionForm().validate_on_submit():
        deny(400)
    try:
        publishing.archive_document(current_user, document, now())
    except DomainError as error:
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash(_("已归档。"), "success")
    return redirect(url_for("kb.show_document", slug=slug))


@bp.get("/review")
@roles_required(Role.SAFETY_DEPT)
def show_review_queue():
    """Revisions waiting for the safety department, oldest first."""
    waiting = db.session.scalars(select(Revision).where(Revision.status == RevisionStatus.IN_REVIEW)
                                 .order_by(Revision.submitted_at)).all()
    return render_template("kb/review.html", waiting=waiting, path_of=PATH_OF)


@bp.get("/drafts")
@login_required
def list_drafts():
    """Open drafts and reviews of documents this user may edit."""
    if not is_author(current_user):
        deny()
    open_revisions = db.session.scalars(
        select(Revision).join(Document, Document.id == Revision.document_id)
        .where(Revision.status.in_([RevisionStatus.DRAFT, RevisionStatus.IN_REVIEW]), editable_clause(current_user))
        .order_by(Revision.created_at.desc())).all()
    return render_template("kb/drafts.html", revisions=open_revisions)
