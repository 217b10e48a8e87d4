"""Induction operations: open, re-open, study, classroom hours, sign-off. Services flush; callers commit."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from core.exceptions import DomainError
from core.extensions import db
from kb.models import Acknowledgement, Document, DocumentKind, document_positions
from org.models import Employee, EmployeeStatus
from org.roles import Role
from org.scope import employee_scope
from training.induction.models import (
    Absence,
    ClassroomAttendance,
    ClassroomSession,
    Induction,
    InductionLevel,
    InductionReason,
    Level,
    LevelItem,
    Programme,
    StudySession,
)
from training.induction.progress import induction_progress, inductions_of
from training.settings import get_setting, level_hours


class NotAllowed(DomainError):
    """The acting user may not do this (views answer 403)."""


def _programme_for(level: Level, employee: Employee) -> Programme | None:
    """The most specific active programme: department + position, then department, then company-wide."""
    rows = db.session.scalars(select(Programme).where(Programme.level == level, Programme.active)).all()

    def rank(p: Programme) -> int | None:
        if p.department_id not in (None, employee.department_id):
            return None
        if p.position_id not in (None, employee.position_id):
            return None
        return (p.department_id is not None) * 2 + (p.position_id is not None)

    ranked = [(rank(p), p.id, p) for p in rows if rank(p) is not None]
    return max(ranked, key=lambda t: (t[0], t[1]))[2] if ranked else None


def _published(query):
    return query.where(Document.published_revision_id.is_not(None), Document.archived.is_(False))


def team_level_documents(employee: Employee) -> list[tuple[Document, str]]:
    """The procedures of the person's position and their team's hazard list (always at team level)."""
    found: list[tuple[Document, str]] = []
    if employee.position_id:
        procedures = db.session.scalars(_published(select(Document).join(document_positions).where(
            Document.kind == DocumentKind.PROCEDURE, document_positions.c.position_id == employee.position_id,
        )).order_by(Document.title))
        found += [(d, "procedure") for d in procedures]
    if employee.team_id:
        hazards = db.session.scalars(_published(select(Document).where(
            Document.kind == DocumentKind.HAZARD_LIST, Document.team_id == employee.team_id)))
        found += [(d, "hazard_list") for d in hazards]
    return found


def _build_level(employee: Employee, level: Level, hours: float) -> InductionLevel:
    programme = _programme_for(level, employee)
    row = InductionLevel(level=level, order=level.index, required_hours=hours)
    seen: set[int] = set()
    default_minutes = int(get_setting("default_expected_minutes"))
    entries: list[tuple[Document, int, str]] = []
    if programme is not None:
        row.required_hours = programme.hours if programme.hours is not None else hours
        row.exam_id, row.pass_mark = programme.exam_id, programme.pass_mark
        entries += [(i.document, i.expected_minutes, "programme") for i in programme.items]
    if level is Level.TEAM:
        entries += [(d, default_minutes, source) for d, source in team_level_documents(employee)]
    for position, (document, minutes, source) in enumerate(entries):
        if document.id not in seen and document.is_published:
            seen.add(document.id)
            row.items.append(LevelItem(document=document, expected_minutes=minutes, position=position,
                                       source=source))
    return row


def _company_level_done(employee: Employee) -> bool:
    for induction in inductions_of(employee):
        progress = induction_progress(induction)
        if any(lp.level.level == Level.COMPANY and lp.complete for lp in progress.levels):
            return True
    return False


def open_induction(employee: Employee, reason: InductionReason, now: datetime, note: str = "") -> Induction:
    """Open an induction: all three levels at hire; department and team levels for re-training
    (plus the company level if it was never completed)."""
    levels = list(Level)
    if reason is not InductionReason.NEW_HIRE and _company_level_done(employee):
        levels = [Level.DEPARTMENT, Level.TEAM]
    hours = dict(zip(Level, level_hours(), strict=True))
    induction = Induction(employee=employee, reason=reason, opened_at=now, department_id=employee.department_id,
                          team_id=employee.team_id, position_id=employee.position_id, note=note[:200])
    induction.levels = [_build_level(employee, level, hours[level]) for level in levels]
    db.session.add(induction)
    db.session.flush()
    return induction


def is_recent_hire(employee: Employee, now: datetime) -> bool:
    if employee.hire_date is None or employee.status != EmployeeStatus.IN_POST:
        return False
    return (now.date() - employee.hire_date).days <= int(get_setting("new_hire_days"))


def on_employee_created(employee: Employee, now: datetime, **_: object) -> None:
    """A new hire's induction opens automatically."""
    if is_recent_hire(employee, now) and not inductions_of(employee):
        open_induction(employee, InductionReason.NEW_HIRE, now)


def on_employee_changed(employee: Employee, now: datetime, changes: dict | None = None, **_: object) -> None:
    """A change of team or position re-opens department- and team-level training."""
    changes = changes or {}
    if employee.status != EmployeeStatus.IN_POST:
        return
    moved = [k for k in ("team", "position") if k in changes]
    if moved:
        what = "；".join(f"{'班组' if k == 'team' else '岗位'}：{changes[k][0] or '无'} → {changes[k][1] or '无'}"
                        for k in moved)
        open_induction(employee, InductionReason.JOB_CHANGE, now, note=what)
    elif "hire_date" in changes and is_recent_hire(employee, now) and not inductions_of(employee):
        open_induction(employee, InductionReason.NEW_HIRE, now)


def record_absence(actor: Employee, employee: Employee, left_on: date, returned_on: date | None,
                   reason: str, now: datetime) -> Induction | None:
    """Record 离岗/返岗; a return after ≥ the threshold (default 365 days) re-opens training."""
    if not actor.has_role(Role.ADMIN, Role.SAFETY_DEPT):
        raise NotAllowed("只有安全管理部门或系统管理员可以登记离岗/返岗。")
    if returned_on is not None and returned_on < left_on:
        raise DomainError("返岗日期不能早于离岗日期。", field="returned_on")
    if left_on > now.date():
        raise DomainError("离岗日期不能晚于今天。", field="left_on")
    db.session.add(Absence(employee=employee, left_on=left_on, returned_on=returned_on, reason=reason[:120],
                           recorded_by_id=actor.id, created_at=now))
    db.session.flush()
    days = int(get_setting("absence_days"))
    if returned_on is not None and (returned_on - left_on).days >= days:
        return open_induction(employee, InductionReason.RETURN, now,
                              note=f"离岗 {left_on.isoformat()} 至 {returned_on.isoformat()}")
    return None


def current_induction(employee: Employee) -> Induction | None:
    """The employee's latest induction, or None."""
    inductions = inductions_of(employee)
    return inductions[-1] if inductions else None


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
    _acknowledge_revision(employee, document, now)
    db.session.flush()
    return session


def _acknowledge_revision(employee: Employee, document: Document, now: datetime) -> None:
    revision_id = document.published_revision_id
    exists = db.session.scalar(select(Acknowledgement.id).where(
        Acknowledgement.employee_id == employee.id, Acknowledgement.revision_id == revision_id))
    if revision_id is not None and exists is None:
        db.session.add(Acknowledgement(employee_id=employee.id, document_id=document.id,
                                       revision_id=revision_id, acknowledged_at=now))


def may_teach(actor: Employee, level: Level) -> bool:
    """Who records classroom hours: safety dept for any level; officers for department/team; leaders team."""
    if actor.is_org_wide:
        return True
    if level is Level.DEPARTMENT:
        return actor.has_role(Role.SAFETY_OFFICER)
    if level is Level.TEAM:
        return actor.has_role(Role.SAFETY_OFFICER, Role.TEAM_LEADER)
    return False


def record_classroom(actor: Employee, level: Level, held_on: date, hours: float, topic: str,
                     attendee_ids: list[int], now: datetime) -> ClassroomSession:
    """Record a classroom session; each attendee's open level of that kind is credited the hours."""
    if not may_teach(actor, level):
        raise NotAllowed("您不能登记该级别的培训课时。")
    if not 0 < hours <= 24:
        raise DomainError("学时须大于 0 且不超过 24。", field="hours")
    if held_on > now.date():
        raise DomainError("培训日期不能晚于今天。", field="held_on")
    if not topic.strip():
        raise DomainError("请填写培训内容。", field="topic")
    people = db.session.scalars(select(Employee).where(
        Employee.id.in_(attendee_ids), employee_scope(actor))).all()
    if not attendee_ids:
        raise DomainError("请至少选择一名参训人员。", field="attendees")
    if len(people) != len(set(attendee_ids)):
        raise NotAllowed("参训人员超出您的管理范围。")
    session = ClassroomSession(level=level, held_on=held_on, hours=hours, topic=topic.strip()[:200],
                               trainer_id=actor.id, created_at=now)
    for person in people:
        session.attendance.append(ClassroomAttendance(employee=person, induction_level=_level_to_credit(
            person, level)))
    db.session.add(session)
    db.session.flush()
    return session


def _level_to_credit(person: Employee, level: Level) -> InductionLevel | None:
    induction = current_induction(person)
    if induction is None:
        return None
    for lp in induction_progress(induction).levels:
        if lp.level.level == level and not lp.complete:
            if not lp.unlocked:
                raise DomainError(f"{person.name}（{person.emp_no}）尚未完成上一级培训，不能计入{level.label}学时。",
                                  field="attendees")
            return lp.level
    return None


def may_sign_off(actor: Employee, level: InductionLevel) -> bool:
    """Department level: that department's safety officer; team level: that team's leader."""
    employee = level.induction.employee
    if level.level == Level.DEPARTMENT:
        return actor.has_role(Role.SAFETY_OFFICER) and actor.department_id == employee.department_id
    if level.level == Level.TEAM:
        return (actor.has_role(Role.TEAM_LEADER) and employee.team is not None
                and employee.team.leader_id == actor.id)
    return False


def sign_off(actor: Employee, level: InductionLevel, now: datetime, note: str = "") -> None:
    """The trainer confirms the level once study, hours and exam are done (never twice)."""
    if not may_sign_off(actor, level):
        raise NotAllowed("只有该部门安全员或该班组班组长可以签字确认。")
    if level.signed_off_at is not None:
        raise DomainError("该级培训已签字确认。")
    progress = induction_progress(level.induction).for_level(level.id)
    if progress is None or not progress.ready_for_sign_off:
        missing = "、".join(m for m in (progress.missing if progress else []) if not m.startswith("待"))
        raise DomainError(f"尚不能签字确认：{missing}。")
    level.signed_off_by_id = actor.id
    level.signed_off_at = now
    level.sign_off_note = note[:200]
    db.session.flush()


def on_personal_exams(employee: Employee, *, now: datetime) -> list[int]:
    """Quiz signal receiver: the exams of this person's unlocked, unfinished induction levels."""
    induction = current_induction(employee)
    if induction is None:
        return []
    return [lp.level.exam_id for lp in induction_progress(induction).levels
            if lp.level.exam_id and lp.unlocked and not lp.complete]


def on_attempt_starting(exam, *, employee: Employee, now: datetime) -> None:
    """Quiz signal receiver: refuse an induction exam whose level is still locked."""
    check_exam_allowed(employee, exam.id)


def check_exam_allowed(employee: Employee, exam_id: int) -> None:
    """For the quiz engine: raise when ``exam_id`` is the exam of a level still locked for ``employee``."""
    induction = current_induction(employee)
    if induction is None:
        return
    for lp in induction_progress(induction).levels:
        if lp.level.exam_id == exam_id and not lp.complete:
            if not lp.unlocked:
                raise DomainError(f"请先完成上一级培训，再参加{lp.level.level_label}考试。")
            return
