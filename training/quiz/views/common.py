"""The quiz blueprint and the guards shared by its views."""

from __future__ import annotations

from flask import Blueprint, g
from flask_login import current_user

from core.extensions import db
from core.permissions import deny
from training.quiz.models import Attempt
from training.quiz.permissions import may_view_attempt

bp = Blueprint("quiz", __name__, url_prefix="/quiz")


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
    if not may_view_attempt(current_user, attempt):
        deny(404)
    return attempt
