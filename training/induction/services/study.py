"""Self-study (自学): the page beats while it is visible and the server credits only what it saw.

Each heartbeat credits the time since the previous one, but never more than ``GAP_SECONDS``: a
hidden tab sends no beats, so the time it was hidden is not credited, and a client cannot claim
more than the real time between two of its own beats. 确认已学习 is refused before the minimum
(预计分钟 × study_min_factor) and credits at most 预计分钟 × study_cap_factor.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import select

from core.exceptions import DomainError, NotAllowed
from core.extensions import db
from kb.models import Document
from kb.services.reading import acknowledge_revision
from org.models import Employee
from training.induction.models import LevelItem, StudySession
from training.induction.services.progress import current_induction, induction_progress
from training.settings import get_setting

BEAT_SECONDS = 30  # how often the page beats while visible
GAP_SECONDS = 60  # the most one beat credits (one missed beat on a slow phone is forgiven)


@dataclass(frozen=True)
class StudyState:
    """What the study page shows: credited visible minutes against the minimum and the cap."""

    credited_minutes: float
    minimum_minutes: float
    cap_minutes: float
    expected_minutes: int
    confirmed: bool = False

    @property
    def may_confirm(self) -> bool:
        return self.credited_minutes + 1e-9 >= self.minimum_minutes

    @property
    def remaining_minutes(self) -> float:
        return max(0.0, round(self.minimum_minutes - self.credited_minutes, 1))


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


def expected_minutes(item: LevelItem | None) -> int:
    return item.expected_minutes if item is not None else int(get_setting("default_expected_minutes"))


def study_state(session: StudySession | None, item: LevelItem | None) -> StudyState:
    """The page's figures for an open (or no) session of ``item``."""
    expected = expected_minutes(session.level_item if session is not None else item)
    credited = round((session.visible_seconds if session is not None else 0) / 60, 1)
    return StudyState(credited, round(expected * float(get_setting("study_min_factor")), 1),
                      round(expected * float(get_setting("study_cap_factor")), 1), expected)


def start_study(employee: Employee, document: Document, now: datetime,
                item: LevelItem | None = None) -> StudySession:
    """Open a study session at the server's clock, or resume the unfinished one (time away not counted)."""
    if not document.is_published:
        raise DomainError("该文件尚未发布或已归档。")
    if item is not None:
        check_item_unlocked(employee, item)
    else:
        item = _open_item_for(employee, document)
    session = open_session(employee, document)
    if session is None:
        session = StudySession(employee=employee, document=document, started_at=now,
                               revision_id=document.published_revision_id)
        db.session.add(session)
    session.level_item = item or session.level_item
    session.last_seen_at = now
    db.session.flush()
    return session


def open_session(employee: Employee, document: Document) -> StudySession | None:
    return db.session.scalar(select(StudySession).where(
        StudySession.employee_id == employee.id, StudySession.document_id == document.id,
        StudySession.acknowledged_at.is_(None)).order_by(StudySession.started_at.desc()))


def _seen_seconds(session: StudySession, now: datetime, cap_minutes: float | None = None) -> float:
    """The visible seconds with the time since the last beat (at most GAP_SECONDS), up to the item's cap."""
    last = session.last_seen_at or now
    gap = min(max((now - last).total_seconds(), 0.0), GAP_SECONDS)
    cap = (cap_minutes if cap_minutes is not None else study_state(session, None).cap_minutes) * 60
    return round(min(session.visible_seconds + gap, cap), 1)


def _credit_gap(session: StudySession, now: datetime, cap_minutes: float | None = None) -> None:
    """Credit the visible time since the last beat."""
    session.visible_seconds = _seen_seconds(session, now, cap_minutes)
    session.last_seen_at = max(now, session.last_seen_at or now)


def heartbeat(employee: Employee, document: Document, now: datetime, *, item: LevelItem | None = None,
              resumed: bool = False) -> StudySession:
    """The page is visible: credit the time since the last beat (none when it was just shown again)."""
    session = open_session(employee, document)
    if session is None or resumed:
        return start_study(employee, document, now, item=item)
    _credit_gap(session, now)
    db.session.flush()
    return session


def study_continuously(employee: Employee, document: Document, start: datetime, minutes: float,
                       item: LevelItem | None = None) -> StudySession:
    """What a reader who keeps the page in front of them for ``minutes`` is credited (demo data)."""
    session = start_study(employee, document, start, item=item)
    cap = study_state(session, item).cap_minutes
    beat = start
    while beat < start + timedelta(minutes=minutes):
        beat = min(beat + timedelta(seconds=GAP_SECONDS), start + timedelta(minutes=minutes))
        _credit_gap(session, beat, cap)
    db.session.flush()
    return session


def acknowledge_study(employee: Employee, document: Document, now: datetime) -> StudySession:
    """确认已学习: refused before the minimum; credits the visible minutes (capped) and records the
    kb acknowledgement."""
    session = open_session(employee, document)
    if session is None:
        raise DomainError("请先打开该资料学习，再确认已学习。")
    item = session.level_item
    if item is not None:
        check_item_unlocked(employee, item)
    seen = _seen_seconds(session, now)
    state = replace(study_state(session, item), credited_minutes=round(seen / 60, 1))
    if not state.may_confirm:
        raise DomainError(f"还需学习约 {state.remaining_minutes:g} 分钟才能确认"
                          f"（至少 {state.minimum_minutes:g} 分钟，只计页面在前台的时间）。")
    _credit_gap(session, now)
    session.credited_minutes = min(state.credited_minutes, state.cap_minutes)
    session.acknowledged_at = now
    if item is not None:
        item.credited_minutes = round(min(item.credited_minutes + session.credited_minutes, state.cap_minutes), 1)
        item.done_at = item.done_at or now
    if document.published_revision is not None:
        acknowledge_revision(employee, document.published_revision, now)
    db.session.flush()
    return session


def next_item(employee: Employee) -> LevelItem | None:
    """下一项: the first unconfirmed study item of the person's current (unlocked) level."""
    induction = current_induction(employee)
    current = induction_progress(induction).current if induction is not None else None
    if current is None or not current.unlocked:
        return None
    return next((i for i in current.level.items if i.done_at is None), None)

