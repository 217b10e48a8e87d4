"""Self-study (自学): a session opened at the server's clock, 已阅读确认 credits the capped minutes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from core.exceptions import DomainError, NotAllowed
from core.extensions import db
from kb.models import Document
from kb.services.reading import acknowledge_revision
from org.models import Employee
from training.induction.models import LevelItem, StudySession
from training.induction.services.progress import current_induction, induction_progress
from training.settings import get_setting


def _open_item_for(employee: Employee, document: Document) -> LevelItem | None:
    """The item for this document in an unlocked, incomplete level of the current induction."""
    induction = current_induction(employee)
    if induction is None:
        return None
    progress = induction_progress(induction)
    for lp in progress.levels:
        if lp.unlocked and not lp.complete:
            for item in lp.level.items:
                if item.document_id == document.id and item.done_at is None:
                    return item
    return None


def check_item_unlocked(employee: Employee, item: LevelItem) -> None:
    """Raise unless the item belongs to ``employee`` and its level is unlocked (levels go in order)."""
    level = item.induction_level
    if level.induction.employee_id != employee.id:
        raise NotAllowed("这不是您的学习任务。")
    progress = induction_progress(level.induction).for_level(level.id)
    if progress is None or not progress.unlocked:
        before = [lp.level.level_label for lp in induction_progress(level.induction).levels
                  if lp.level.order < level.order and not lp.complete]
        raise DomainError(f"请先完成{'、'.join(before)}培训，再学习{level.level_label}内容。")


def start_study(employee: Employee, document: Document, now: datetime,
                item: LevelItem | None = None) -> StudySession:
    """Open a study session at the server's clock (re-using an unfinished one)."""
    if not document.is_published:
        raise DomainError("该文件尚未发布或已归档。")
    if item is not None:
        check_item_unlocked(employee, item)
    else:
        item = _open_item_for(employee, document)
    session = db.session.scalar(select(StudySession).where(
        StudySession.employee_id == employee.id, StudySession.document_id == document.id,
        StudySession.acknowledged_at.is_(None)).order_by(StudySession.started_at.desc()))
    if session is None:
        session = StudySession(employee=employee, document=document, started_at=now,
                               revision_id=document.published_revision_id)
        db.session.add(session)
    session.level_item = item
    db.session.flush()
    return session


def open_session(employee: Employee, document: Document) -> StudySession | None:
    return db.session.scalar(select(StudySession).where(
        StudySession.employee_id == employee.id, StudySession.document_id == document.id,
        StudySession.acknowledged_at.is_(None)).order_by(StudySession.started_at.desc()))


def acknowledge_study(employee: Employee, document: Document, now: datetime) -> StudySession:
    """已阅读确认: credit min(elapsed, expected × factor) minutes and record the kb acknowledgement."""
    session = open_session(employee, document)
    if session is None:
        raise DomainError("请先点击“开始学习”打开该资料，再确认已阅读。")
    item = session.level_item
    if item is not None:
        check_item_unlocked(employee, item)
    expected = item.expected_minutes if item else int(get_setting("default_expected_minutes"))
    cap = expected * float(get_setting("study_cap_factor"))
    elapsed = max(0.0, (now - session.started_at).total_seconds() / 60)
    session.credited_minutes = round(min(elapsed, cap), 1)
    session.acknowledged_at = now
    if item is not None:
        item.credited_minutes = round(min(item.credited_minutes + session.credited_minutes, cap), 1)
        item.done_at = item.done_at or now
    if document.published_revision is not None:
        acknowledge_revision(employee, document.published_revision, now)
    db.session.flush()
    return session
