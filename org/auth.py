"""Session rules: who the current user is, idle timeout, forced password change, role guards."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, abort, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user

from core.audit import audit
from core.extensions import db, login_manager
from org.models import Employee
from org.roles import Role

T = TypeVar("T")

# Endpoints a user who must change the password may still reach.
OPEN_WHILE_CHANGING = {"auth.change_password", "auth.logout", "static", "core.healthz"}


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
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("请先登录。")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    app.before_request(_enforce_session_rules)


def _enforce_session_rules():
    if request.method in ("GET", "HEAD", "OPTIONS"):
        from core.db import mark_read_only

        mark_read_only()
    if not current_user.is_authenticated:
        if session.get("_user_id"):
            # The user was logged in but the session version or status no longer matches.
            session.clear()
            flash(_("您的登录已失效，请重新登录。"), "warning")
        return None
    now = datetime.now(UTC).timestamp()
    idle_limit = current_app.config["IDLE_TIMEOUT_MINUTES"] * 60
    last_seen = session.get("seen", now)
    if now - last_seen > idle_limit:
        logout_user()
        session.clear()
        flash(_("长时间未操作，已自动退出，请重新登录。"), "warning")
        return redirect(url_for("auth.login", next=request.full_path))
    session["seen"] = now
    if current_user.must_change_password and request.endpoint not in OPEN_WHILE_CHANGING:
        return redirect(url_for("auth.change_password"))
    return None


def roles_required(*roles: Role) -> Callable:
    """Allow the view only to users holding one of ``roles``; others get 403 (and an audit row)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if not current_user.has_role(*roles):
                deny()
            return view(*args, **kwargs)

        return wrapper

    return decorator


def get_visible_or_404(model: type[T], ident: int, may_view: Callable[[Employee, T], bool]) -> T:
    """Load ``model`` by id for the current user: 404 (and an audit row) unless ``may_view`` allows it.

    The one guard for an id taken from a URL, so an id alone never shows someone else's data.
    """
    item = db.get_or_404(model, ident)
    if not may_view(current_user, item):
        deny(404)
    return item


def deny(status: int = 403) -> None:
    """Record a permission denial in the audit log, commit it, and abort."""
    audit("access.denied", target=request.path, detail={"method": request.method})
    db.session.commit()
    abort(status)
