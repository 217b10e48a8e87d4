"""The view guard for training's permission predicates (each room's ``permissions.py``)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import current_app
from flask_login import current_user

from core.permissions import deny
from org.models import Employee


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
