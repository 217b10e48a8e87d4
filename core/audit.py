"""Audit log (审计日志): who did what, when (UTC), from where. Readable by admins only."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import JSON, ForeignKey, Select, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.clock import now as clock_now
from core.extensions import db

# Each package registers the actions it writes (its ui.py, from init_app): per action a label, optionally
# a sentence built from the event's detail; the Chinese names of its detail fields; and how to name
# its targets ("kind:key" -> a title). Core knows only its own. The audit log shows sentences and
# 字段：值 pairs, never an action code, a key or JSON.
ACTION_LABELS: dict[str, str] = {
    "export": "导出数据",
    "access.denied": "越权访问被拒绝",
}
Sentence = Callable[[dict[str, Any]], str]
ACTION_SENTENCES: dict[str, Sentence] = {}
DETAIL_LABELS: dict[str, str] = {
    "method": "请求方式", "format": "格式", "rows": "行数", "revision": "版本", "title": "标题",
    "name": "名称", "note": "说明", "created": "新建", "updated": "更新", "unchanged": "未变",
}
TARGET_NAMERS: dict[str, Callable[[str], str | None]] = {}
TARGET_LABELS: dict[str, str] = {}  # fixed targets such as "search.synonyms" -> 同义词表
_IDENTIFIER = re.compile(r"^[a-z][a-z0-9]*(?:[-_.:][a-z0-9]+)+$")
_FORMAT_NAMES = {"csv": "CSV", "xlsx": "Excel", "pdf": "PDF"}


def register_action_labels(labels: dict[str, str], *, sentences: dict[str, Sentence] | None = None,
                           fields: dict[str, str] | None = None) -> None:
    """Add a package's audit actions with their Chinese labels, optional sentences built from the
    detail (they replace the 字段：值 list) and the Chinese names of the detail fields it writes."""
    for action, label in labels.items():
        if ACTION_LABELS.get(action, label) != label:
            raise ValueError(f"audit action {action!r} registered twice with different labels")
        ACTION_LABELS[action] = label
    ACTION_SENTENCES.update(sentences or {})
    DETAIL_LABELS.update(fields or {})


def register_target_namer(prefix: str, namer: Callable[[str], str | None]) -> None:
    """Name targets written as ``prefix:key`` (prefix "" names bare targets such as 工号)."""
    TARGET_NAMERS[prefix] = namer


def register_target_labels(labels: dict[str, str]) -> None:
    """Name fixed targets (a settings page, a word list) a package writes."""
    TARGET_LABELS.update(labels)


def readable_value(value: Any) -> str:
    """A detail value as a person reads it: 是/否, lists joined by 、, pairs as 原值 → 新值."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if value is None or value == "":
        return "（空）"
    if isinstance(value, list | tuple):
        return "、".join(readable_value(item) for item in value) or "（无）"
    if isinstance(value, dict):
        return "；".join(f"{DETAIL_LABELS.get(k, k)}：{readable_value(v)}" for k, v in value.items()
                        if not _hidden_key(k))
    text = str(value)
    return _FORMAT_NAMES.get(text, text)


def _hidden_key(key: str) -> bool:
    return key not in DETAIL_LABELS and (bool(_IDENTIFIER.match(key)) or key == "csrf_token")


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
        return ACTION_LABELS.get(self.action) or "其他操作"

    @property
    def sentence(self) -> str:
        """The action as a Chinese sentence: its label, then what the package says about the detail."""
        build = ACTION_SENTENCES.get(self.action)
        if build is None:
            return self.action_label
        try:
            tail = build(self.detail or {})
        except (KeyError, TypeError, ValueError):
            tail = ""
        return f"{self.action_label}：{tail}" if tail else self.action_label

    @property
    def target_name(self) -> str:
        """The target by name: a title, a person, a page; never a ``kind:key`` code."""
        if not self.target:
            return ""
        if self.target in TARGET_LABELS:
            return TARGET_LABELS[self.target]
        prefix, sep, key = self.target.partition(":")
        namer = TARGET_NAMERS.get(prefix if sep else "")
        name = namer(key if sep else self.target) if namer else None
        if name:
            return name
        if sep and prefix in TARGET_NAMERS:
            return "（已删除）"
        return "" if _IDENTIFIER.match(self.target) else self.target

    @property
    def detail_items(self) -> list[tuple[str, str]]:
        """字段：值 pairs of the detail (none when a sentence already says it)."""
        if self.action in ACTION_SENTENCES or not isinstance(self.detail, dict):
            return []
        return [(DETAIL_LABELS.get(key, key), readable_value(value))
                for key, value in self.detail.items() if not _hidden_key(key)]


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
    """Audit events newest first, optionally of one action (its code or its Chinese label) and
    mentioning ``who`` (工号 or name)."""
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if action:
        codes = [code for code, label in ACTION_LABELS.items() if label == action] or [action]
        query = query.where(AuditEvent.action.in_(codes))
    if who:
        query = query.where(AuditEvent.actor_label.contains(who) | AuditEvent.target.contains(who))
    return query
