"""What every training view does the same way: guard by a permission predicate, run one service and commit."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import current_app, flash
from flask_login import current_user
from flask_wtf import FlaskForm

from core.exceptions import DomainError, NotAllowed
from core.extensions import db
from core.permissions import deny
from org.models import Employee

T = TypeVar("T")


def permission_required(may: Callable[[Employee], bool]) -> Callable:
    """Let the view run only for a signed-in user whom ``may`` allows; others get 403 (audited)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if not may(current_user):
                deny()
            return view(*args, **kwargs)

        return wrapper

    return decorator


def commit_service(action: Callable[[], T], *, form: FlaskForm | None = None,
                   field: str = "") -> tuple[bool, T | None]:
    """Run one service call and commit: (True, its result), or (False, None) and nothing committed.

    NotAllowed answers 403 (audited); a DomainError shows at its form field (``field`` when it names
    none), or as a flash message when there is no form.
    """
    try:
        result = action()
    except NotAllowed:
        deny(403)
    except DomainError as error:
        if form is None:
            flash(error.message, "danger")
        else:
            getattr(form, error.field or field).errors.append(error.message)
        return False, None
    db.session.commit()
    return True, result
