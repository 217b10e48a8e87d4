"""Org's pages on the ``org`` blueprint: home, log in and out, employees and teams,
organisation structure, the audit log and roster import (one module each)."""

from org.views import audit_log, employees, home, login, roster, structure  # noqa: F401  (routes attach)
from org.views.blueprint import bp

__all__ = ["bp"]
