"""待签字: the department and team levels waiting for this trainer's signature (签字确认)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, false, or_, select
from sqlalchemy.orm import contains_eager

from core.extensions import db
from org.models import Employee, EmployeeStatus, Role, Team
from training.induction.models import Induction, InductionLevel, Level
from training.induction.services.progress import LevelProgress, progress_many

LIMIT = 30


@dataclass(frozen=True)
class PendingSignOff:
    """One level ready for this trainer's signature, and the items confirmed without credited time."""

    progress: LevelProgress
    zero_minute_items: list[str]

    @property
    def employee(self) -> Employee:
        return self.progress.level.induction.employee


def _mine(actor: Employee):
    """Levels this actor signs: their department's 部门级 (officer), their teams' 班组级 (leader)."""
    department = (and_(InductionLevel.level == Level.DEPARTMENT.value,
                       Employee.department_id == actor.department_id)
                  if actor.has_role(Role.SAFETY_OFFICER) else false())
    team = (and_(InductionLevel.level == Level.TEAM.value, Team.leader_id == actor.id)
            if actor.has_role(Role.TEAM_LEADER) else false())
    return or_(department, team)


def pending_sign_offs(actor: Employee) -> list[PendingSignOff]:
    """Unsigned levels of people in post that this actor signs and whose study, hours and exam are done.

    One query finds the unsigned levels in the actor's charge (at most LIMIT); the progress of
    just those is computed together (a constant number of queries) to keep the ones ready now.
    """
    levels = db.session.scalars(
        select(InductionLevel).join(Induction).join(Employee, Employee.id == Induction.employee_id)
        .outerjoin(Team, Team.id == Employee.team_id)
        .where(InductionLevel.signed_off_at.is_(None), Employee.status == EmployeeStatus.IN_POST,
               Employee.id != actor.id, _mine(actor))
        .options(contains_eager(InductionLevel.induction).contains_eager(Induction.employee))
        .order_by(Induction.opened_at).limit(LIMIT)).all()
    by_induction = progress_many(list({level.induction_id: level.induction for level in levels}.values()))
    pending = []
    for level in levels:
        progress = by_induction[level.induction_id].for_level(level.id)
        if progress is not None and progress.ready_for_sign_off:
            zero = [i.document.title for i in level.items if i.done_at is not None and not i.credited_minutes]
            pending.append(PendingSignOff(progress, zero))
    return pending
