"""Session rules: who the current user is, the idle timeout and the forced password change."""

from __future__ import annotations

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user

from core.clock import wall_now
from core.db import mark_read_only
from core.extensions import db, login_manager
from org.models import Employee

# Endpoints a user who must change the password may still reach.
OPEN_WHILE_CHANGING = {"org.change_password", "org.log_out", "static", "core.healthz"}


@login_manager.user_loader
def load_user(session_id: str) -> Employee | None:
    """Load the user only while the stored session version is still current."""
    user_id, _sep, version = session_id.partition(".")
    if not user_id.isdigit() or not version.isdigit():
        return None
    employee = db.session.get(Employee, int(user_id))
    if employee is None or not employee.is_active:
        return None
    if employee.session_version != int(version):
        return None
    return employee


def configure_login(app: Flask) -> None:
    """Point Flask-Login at org's login page and enforce the session rules on every request."""
    login_manager.login_view = "org.log_in"
    login_manager.login_message = _l("请先登录。")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    app.before_request(_enforce_session_rules)


def _enforce_session_rules():
    if request.method in ("GET", "HEAD", "OPTIONS"):
        mark_read_only()
    if not current_user.is_authenticated:
        if session.get("_user_id"):
            # The user was logged in but the session version or status no longer matches.
            session.clear()
            flash(_("您的登录已失效，请重新登录。"), "warning")
        return None
    moment = wall_now().timestamp()
    idle_limit = current_app.config["IDLE_TIMEOUT_MINUTES"] * 60
    last_seen = session.get("seen", moment)
    if moment - last_seen > idle_limit:
        logout_user()
        session.clear()
        flash(_("长时间未操作，已自动退出，请重新登录。"), "warning")
        return redirect(url_for("org.log_in", next=request.full_path))
    session["seen"] = moment
    if current_user.must_change_password and request.endpoint not in OPEN_WHILE_CHANGING:
        return redirect(url_for("org.change_password"))
    return None
