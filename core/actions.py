"""The one way a view runs a state-changing service: call it, commit once, or say why not."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import flash
from flask_wtf import FlaskForm

from core.exceptions import DomainError, NotAllowed
from core.extensions import db
from core.permissions import deny

T = TypeVar("T")


def commit_service(action: Callable[[], T], *, form: FlaskForm | None = None, field: str = "",
                   denied: int = 403) -> tuple[bool, T | None]:
    """Run one service call and commit: (True, its result), or (False, None) and nothing committed.

    NotAllowed answers ``denied`` (audited); a DomainError shows at its form field (``field`` when
    it names none), or as a flash message when there is no form.
    """
    try:
        result = action()
    except NotAllowed:
        deny(denied)
    except DomainError as error:
        db.session.rollback()
        show_error(form, error, field)
        return False, None
    db.session.commit()
    return True, result


def show_error(form: FlaskForm | None, error: DomainError, default_field: str = "") -> None:
    """Put a service's message at the field it names (or ``default_field``), else flash it."""
    name = error.field or default_field
    target = getattr(form, name, None) if form is not None and name else None
    if target is None:
        flash(error.message, "danger")
    else:
        target.errors = [*target.errors, error.message]
