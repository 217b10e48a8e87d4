"""Training's audit rows, written by the services that change state (labels: each room's ui.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core.audit import record_event
from org.models import Employee


def record_action(action: str, actor: Employee, now: datetime, *, target: str = "",
                  detail: dict[str, Any] | None = None) -> None:
    """Add one audit event by ``actor`` to the current transaction (the caller commits)."""
    record_event(action, actor_id=actor.id, actor_label=f"{actor.emp_no} {actor.name}", target=target,
                 detail=detail, now=now)
