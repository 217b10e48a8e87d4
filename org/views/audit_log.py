"""The audit log (审计日志), for system admins (/admin/audit)."""

from __future__ import annotations

from flask import render_template, request

from core.audit import ACTION_LABELS, audit_events_query
from core.extensions import db
from core.input import page_arg
from core.permissions import roles_required
from org.models import Role
from org.views.blueprint import bp


@bp.get("/admin/audit")
@roles_required(Role.ADMIN)
def show_audit_log():
    """The audit log, newest first, filterable by action and 工号."""
    action = ACTION_LABELS.get(request.args.get("action", ""), request.args.get("action", ""))
    who = request.args.get("who", "").strip()
    page = db.paginate(audit_events_query(action=action, who=who), page=page_arg(), per_page=50, error_out=False)
    actions = sorted(set(ACTION_LABELS.values()))
    return render_template("org/audit.html", page=page, action=action, who=who, actions=actions)
