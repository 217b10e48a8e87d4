"""The blueprint and helpers shared by the quiz views."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, current_app, g, url_for
from flask_login import current_user
from werkzeug.routing import BuildError

from core.extensions import db
from kb.render import ARTICLE
from org.auth import deny
from org.scope import can_view_employee
from training.quiz.models import Attempt

bp = Blueprint("quiz", __name__, url_prefix="/quiz")


def now() -> datetime:
    return datetime.now(UTC)


def begin_writing() -> None:
    """Turn a GET request's read transaction into a writing one (SQLite: BEGIN IMMEDIATE)."""
    db.session.commit()
    g.db_read_only = False


def own_attempt_or_404(attempt_id: int) -> Attempt:
    """The current user's own attempt; anyone else's is a 404 (and audited)."""
    attempt = db.get_or_404(Attempt, attempt_id)
    if attempt.employee_id != current_user.id:
        deny(404)
    return attempt


def visible_attempt_or_404(attempt_id: int) -> Attempt:
    """An attempt the current user may look at: their own, or one of their people's (scope)."""
    attempt = db.get_or_404(Attempt, attempt_id)
    if attempt.employee_id != current_user.id and not can_view_employee(current_user, attempt.employee):
        deny(404)
    return attempt


@bp.app_template_global()
def kb_document_url(slug: str, section: str = "") -> str | None:
    """The knowledge-base page of a document (at the cited article when there is one), or None."""
    if not slug or "kb.show_document" not in current_app.view_functions:
        return None
    try:
        url = url_for("kb.show_document", slug=slug)
    except BuildError:
        return None
    article = ARTICLE.match(section or "")
    return f"{url}#{article.group(1)}" if article else url


@bp.app_template_filter("local_time")
def local_time(value: datetime | None) -> str:
    """A UTC instant shown in the site's time zone (Asia/Shanghai)."""
    if value is None:
        return "—"
    from flask_babel import format_datetime

    return format_datetime(value, "yyyy-MM-dd HH:mm")
