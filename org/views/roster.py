"""Roster import (花名册导入): upload → preview → confirm → one-time passwords (/admin/roster)."""

from __future__ import annotations

from flask import abort, current_app, render_template
from flask_login import current_user

from core.clock import now
from core.exceptions import ValidationFailed
from core.exports import CSV_MIMETYPE, csv_bytes, download
from core.extensions import db
from core.permissions import roles_required
from org.forms import ConfirmForm, RosterUploadForm
from org.models import Role
from org.roster_import import (
    COLUMNS,
    apply_roster,
    plan_roster,
    read_roster,
    rows_from_json,
    rows_to_json,
    stash,
    unstash,
)
from org.views.blueprint import bp


@bp.route("/admin/roster/", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def upload_roster():
    """Upload a roster and preview it; every bad row is listed and nothing is written."""
    form = RosterUploadForm()
    if form.validate_on_submit():
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
    """Apply a previewed roster in one transaction, re-validating against the database."""
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    payload = unstash(current_app.instance_path, "roster", current_user.id, form.token.data, consume=True)
    if payload is None:
        abort(404)
    try:
        result = apply_roster(rows_from_json(payload), actor=current_user, now=now())
    except ValidationFailed as failure:
        db.session.rollback()
        return render_template("org/roster_upload.html", form=RosterUploadForm(), failure=failure,
                               columns=COLUMNS), 422
    db.session.commit()
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
