"""Roster import (花名册导入): upload → preview → confirm → one-time passwords (/admin/roster)."""

from __future__ import annotations

from flask import abort, current_app, render_template
from flask_login import current_user

from core.clock import now
from core.exceptions import ValidationFailed
from core.exports import CSV_MIMETYPE, csv_bytes, download
from core.extensions import db
from core.permissions import roles_required
from core.transactions import read_first, write_briefly
from org.forms import ConfirmForm, RosterUploadForm
from org.models import Role
from org.roster_import import (
    COLUMNS,
    apply_roster,
    plan_roster,
    prepare_passwords,
    read_roster,
    rows_from_json,
    rows_to_json,
    stash,
    stash_owner,
    unstash,
)
from org.views.blueprint import bp


@bp.route("/admin/roster/", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def upload_roster():
    """Upload a roster and preview it; every bad row is listed and nothing is written."""
    form = RosterUploadForm()
    if form.validate_on_submit():
        read_first()  # parsing and checking the file only reads: no write lock meanwhile
        upload_file = form.file.data
        try:
            rows = read_roster(upload_file.filename, upload_file.read())
            plan = plan_roster(rows)
        except ValidationFailed as failure:
            db.session.rollback()
            return render_template("org/roster_upload.html", form=form, failure=failure,
                                   filename=upload_file.filename, columns=COLUMNS), 422
        token = stash(current_app.instance_path, "roster", current_user.id, rows_to_json(rows))
        return render_template("org/roster_preview.html", plan=plan, filename=upload_file.filename,
                               confirm=ConfirmForm(token=token))
    return render_template("org/roster_upload.html", form=form, failure=None, columns=COLUMNS)


@bp.post("/admin/roster/confirm")
@roles_required(Role.ADMIN)
def confirm_roster():
    """Apply a previewed roster in one short transaction, re-validating against the database.

    Passwords are hashed first, as a reader; a preview is applied once, however often it is sent.
    """
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    read_first()
    payload = unstash(current_app.instance_path, "roster", current_user.id, form.token.data, consume=True)
    if payload is None:
        if stash_owner(current_app.instance_path, "roster", form.token.data) is not None:
            abort(404)  # another administrator's preview
        failure = ValidationFailed("该预览已导入或已失效。", ["请查看员工列表确认结果，或重新上传花名册。"])
        return render_template("org/roster_upload.html", form=RosterUploadForm(), failure=failure,
                               columns=COLUMNS), 409
    rows = rows_from_json(payload)
    try:
        passwords = prepare_passwords(rows)
        result = write_briefly(lambda: apply_roster(rows, actor=current_user, now=now(), passwords=passwords))
    except ValidationFailed as failure:
        return render_template("org/roster_upload.html", form=RosterUploadForm(), failure=failure,
                               columns=COLUMNS), 422
    token = None
    if result.passwords:
        token = stash(current_app.instance_path, "passwords", current_user.id, result.passwords)
    return render_template("org/roster_done.html", result=result, token=token)


@bp.get("/admin/roster/passwords/<token>.csv")
@roles_required(Role.ADMIN)
def download_initial_passwords(token: str):
    """The one-time initial passwords as CSV (UTF-8 with BOM for Excel); works once."""
    rows = unstash(current_app.instance_path, "passwords", current_user.id, token, consume=True)
    if rows is None:
        abort(404)
    return download(csv_bytes(["工号", "姓名", "初始密码"], rows), CSV_MIMETYPE, "initial-passwords.csv")


@bp.get("/admin/roster/template.csv")
@roles_required(Role.ADMIN)
def download_roster_template():
    """An empty roster template with the expected header row."""
    sample = ["10999", "张三", "CY", "CY1", "冲压工", "2026-03-01", "在岗", "员工"]
    return download(csv_bytes(COLUMNS, [sample]), CSV_MIMETYPE, "roster-template.csv")
