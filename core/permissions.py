"""The guards every package's views use: role checks, "may see this?" by id, audited denials.

What each package allows lives in that package's ``permissions.py``; these helpers only apply
an answer to the current request (core knows nothing of roles beyond ``user.has_role``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, NoReturn, TypeVar

from flask import abort, current_app, request
from flask_login import current_user

from core.audit import audit_denial
from core.extensions import db

T = TypeVar("T")


def deny(status: int = 403) -> NoReturn:
    """Record the denial in the audit log (committing nothing else) and abort with ``status``."""
    audit_denial(target=request.path, detail={"method": request.method})
    abort(status)


def permission_required(may: Callable[[Any], bool]) -> Callable:
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


def roles_required(*roles: Any) -> Callable:
    """Allow the view only to users holding one of ``roles``; others get 403 (and an audit row)."""
    return permission_required(lambda user: user.has_role(*roles))


def get_visible_or_404(model: type[T], ident: int, may_view: Callable[[Any, T], bool]) -> T:
    """Load ``model`` by id for the current user: 404 (and an audit row) unless ``may_view`` allows it.

    The one guard for an id taken from a URL, so an id alone never shows someone else's data.
    """
    item = db.get_or_404(model, ident)
    if not may_view(current_user, item):
        deny(404)
    return item
