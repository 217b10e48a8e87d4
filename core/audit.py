"""Audit log (审计日志): who did what, when (UTC), from where. Readable by admins only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import JSON, ForeignKey, Select, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.clock import now as clock_now
from core.extensions import db

# Each package registers the labels of the actions it writes (its ui.py, from init_app);
# core knows only its own. tests/core/test_audit_labels.py fails on an action without a label.
ACTION_LABELS: dict[str, str] = {
    "export": "导出数据",
    "access.denied": "越权访问被拒绝",
}


def register_action_labels(labels: dict[str, str]) -> None:
    """Add a package's audit actions and their Chinese labels to the registry."""
    for action, label in labels.items():
        if ACTION_LABELS.get(action, label) != label:
            raise ValueError(f"audit action {action!r} registered twice with different labels")
        ACTION_LABELS[action] = label


class AuditEvent(db.Model):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=clock_now, index=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("employees.id", ondelete="SET NULL"), index=True
    )
    actor_label: Mapped[str] = mapped_column(String(120), default="")
    action: Mapped[str] = mapped_column(String(40), index=True)
    target: Mapped[str] = mapped_column(String(200), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    ip: Mapped[str] = mapped_column(String(64), default="")

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)


def record_event(
    action: str,
    *,
    actor_id: int | None = None,
    actor_label: str = "",
    target: str = "",
    detail: dict[str, Any] | None = None,
    ip: str = "",
    now: datetime | None = None,
) -> AuditEvent:
    """Add one audit event to the current transaction (the caller commits)."""
    event = AuditEvent(
        action=action,
        actor_id=actor_id,
        actor_label=actor_label[:120],
        target=target[:200],
        detail=detail or {},
        ip=ip[:64],
        at=now or clock_now(),
    )
    db.session.add(event)
    return event


def _actor_fields(actor: Any | None) -> tuple[int | None, str]:
    if actor is None:
        return None, ""
    return actor.id, f"{actor.emp_no} {actor.name}"


def _address() -> str:
    """Where the action came from: the request's address, or "cli" outside a request."""
    return (request.remote_addr or "") if has_request_context() else "cli"


def _current_actor() -> Any | None:
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user
    return None


def audit_action(action: str, *, actor: Any | None, now: datetime, target: str = "",
                 detail: dict[str, Any] | None = None) -> AuditEvent:
    """Record what ``actor`` (an Employee, or None for the system) did (services call this).

    The event joins the caller's transaction; the address is the current request's, if any.
    """
    actor_id, label = _actor_fields(actor)
    return record_event(action, actor_id=actor_id, actor_label=label, target=target, detail=detail,
                        ip=_address(), now=now)


def audit(action: str, *, target: str = "", detail: dict[str, Any] | None = None) -> AuditEvent:
    """Record an event for the current request's user and address (views only)."""
    return audit_action(action, actor=_current_actor(), now=clock_now(), target=target, detail=detail)


def audit_denial(target: str, detail: dict[str, Any]) -> None:
    """Record an ``access.denied`` event for the current user in a transaction of its own.

    A denied request must change nothing, so its own unit of work is rolled back, never
    committed; the audit row is then written and committed by a separate, short session.
    (SQLite has one writer at a time: the request's transaction has to end first.)
    """
    actor_id, label = _actor_fields(_current_actor())
    event = AuditEvent(action="access.denied", actor_id=actor_id, actor_label=label[:120],
                       target=target[:200], detail=detail, ip=_address()[:64], at=clock_now())
    db.session.rollback()
    with Session(db.engine) as session:
        session.add(event)
        session.commit()


def audit_events_query(*, action: str = "", who: str = "") -> Select:
    """Audit events newest first, optionally of one action and mentioning ``who`` (工号 or name)."""
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if action:
        query = query.where(AuditEvent.action == action)
    if who:
        query = query.where(AuditEvent.actor_label.contains(who) | AuditEvent.target.contains(who))
    return query
