"""What trainers record: classroom hours (授课学时) and the sign-off (签字确认) of a level."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from core.audit import audit_action
from core.clock import today
from core.exceptions import DomainError, NotAllowed
from core.extensions import db
from org.models import Employee, EmployeeRole, EmployeeStatus, Role
from org.permissions import employee_scope
from training.induction.models import ClassroomAttendance, ClassroomSession, InductionLevel, Level
from training.induction.permissions import may_sign_off, may_teach
from training.induction.services.progress import current_induction, induction_progress


def record_classroom(actor: Employee, level: Level, held_on: date, hours: float, topic: str,
                     attendee_ids: list[int], now: datetime) -> ClassroomSession:
    """Record a classroom session; each attendee's open level of that kind is credited the hours."""
    if not may_teach(actor, level):
        raise NotAllowed("您不能登记该级别的培训课时。")
    if not 0 < hours <= 24:
        raise DomainError("学时须大于 0 且不超过 24。", field="hours")
    if held_on > today(now):
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
    audit_action("training.classroom", actor=actor, now=now, target=session.topic,
                 detail={"attendees": len(attendee_ids)})
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
    audit_action("training.sign_off", actor=actor, now=now, target=level.induction.employee.emp_no,
                  detail={"level": level.level})
    db.session.flush()


def trainers_of(employee: Employee, level: Level) -> list[Employee]:
    """Who teaches and signs ``employee``'s level: the department's safety officers (部门级), the team
    leader (班组级); nobody in particular at company level (the safety department records it)."""
    if level is Level.TEAM:
        leader = employee.team.leader if employee.team is not None else None
        return [leader] if leader is not None and leader.status == EmployeeStatus.IN_POST else []
    if level is Level.DEPARTMENT:
        return list(db.session.scalars(select(Employee).join(EmployeeRole).where(
            EmployeeRole.role == Role.SAFETY_OFFICER, Employee.department_id == employee.department_id,
            Employee.status == EmployeeStatus.IN_POST).order_by(Employee.emp_no)))
    return []


def safety_department() -> list[Employee]:
    """The safety department's people in post (they record company-level hours)."""
    return list(db.session.scalars(select(Employee).join(EmployeeRole).where(
        EmployeeRole.role == Role.SAFETY_DEPT, Employee.status == EmployeeStatus.IN_POST).order_by(Employee.emp_no)))
