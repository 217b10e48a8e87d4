"""Where one employee stands in their induction, computed from the records (never stored twice)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time

from sqlalchemy import select

from core.extensions import db
from org.models import Employee
from training.induction.models import ClassroomAttendance, ClassroomSession, Induction, InductionLevel
from training.quiz.services.results import AttemptResult, exam_outcome
from training.settings import get_setting


@dataclass
class LevelProgress:
    """One level: hours, items, exam, sign-off, and whether it is unlocked and complete."""

    level: InductionLevel
    unlocked: bool
    opened_at: datetime | None
    study_hours: float
    classroom_hours: float
    items_done: int
    items_total: int
    exam: AttemptResult | None
    last_classroom: datetime | None = None

    @property
    def hours(self) -> float:
        return round(self.study_hours + self.classroom_hours, 2)

    @property
    def hours_ok(self) -> bool:
        return self.hours + 1e-9 >= self.level.required_hours

    @property
    def items_ok(self) -> bool:
        return self.items_done >= self.items_total

    @property
    def exam_required(self) -> bool:
        return self.level.exam_id is not None

    @property
    def exam_ok(self) -> bool:
        return not self.exam_required or bool(self.exam and self.exam.passed)

    @property
    def ready_for_sign_off(self) -> bool:
        return self.unlocked and self.items_ok and self.hours_ok and self.exam_ok

    @property
    def signed_off(self) -> bool:
        return self.level.signed_off_at is not None

    @property
    def complete(self) -> bool:
        return self.ready_for_sign_off and (self.signed_off or not self.level.needs_sign_off)

    @property
    def completed_at(self) -> datetime | None:
        if not self.complete:
            return None
        if self.level.needs_sign_off:
            return self.level.signed_off_at
        stamps = [i.done_at for i in self.level.items if i.done_at]
        stamps += [t for t in (self.exam.submitted_at if self.exam else None, self.last_classroom) if t]
        return max(stamps) if stamps else self.opened_at

    @property
    def missing(self) -> list[str]:
        """What is still needed, in Chinese, for the person and the trainer."""
        needed = []
        if not self.unlocked:
            needed.append("须先完成上一级培训")
        if not self.items_ok:
            needed.append(f"学习资料 {self.items_done}/{self.items_total}")
        if not self.hours_ok:
            needed.append(f"学时 {self.hours:g}/{self.level.required_hours:g}")
        if not self.exam_ok:
            needed.append("考试未通过" if self.exam else "尚未参加考试")
        if self.level.needs_sign_off and not self.signed_off:
            needed.append("待培训人签字确认")
        return needed


@dataclass
class InductionProgress:
    induction: Induction
    levels: list[LevelProgress] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return all(lp.complete for lp in self.levels)

    @property
    def current(self) -> LevelProgress | None:
        return next((lp for lp in self.levels if not lp.complete), None)

    @property
    def completed_at(self) -> datetime | None:
        return self.levels[-1].completed_at if self.complete and self.levels else None

    def for_level(self, level_id: int) -> LevelProgress | None:
        return next((lp for lp in self.levels if lp.level.id == level_id), None)


def _classroom(level: InductionLevel) -> tuple[float, datetime | None]:
    rows = db.session.execute(
        select(ClassroomSession.hours, ClassroomSession.held_on)
        .join(ClassroomAttendance, ClassroomAttendance.session_id == ClassroomSession.id)
        .where(ClassroomAttendance.induction_level_id == level.id)
    ).all()
    last = max((r.held_on for r in rows), default=None)
    return sum(r.hours for r in rows), datetime.combine(last, time(12), UTC) if last else None


def induction_progress(induction: Induction) -> InductionProgress:
    """Compute every level in order; a level is unlocked only when all before it are complete.

    A level's exam counts only attempts started since its induction opened: after a change of
    team or position the re-training is not satisfied by a pass from the earlier induction."""
    per_hour = float(get_setting("minutes_per_hour")) or 45.0
    progress = InductionProgress(induction)
    unlocked, opened = True, induction.opened_at
    for level in induction.levels:
        classroom, last = _classroom(level)
        lp = LevelProgress(
            level=level, unlocked=unlocked, opened_at=opened if unlocked else None,
            study_hours=round(sum(i.credited_minutes for i in level.items) / per_hour, 2),
            classroom_hours=classroom, items_done=sum(1 for i in level.items if i.done_at),
            items_total=len(level.items),
            exam=exam_outcome(induction.employee_id, level.exam_id, level.pass_mark, induction.opened_at),
            last_classroom=last,
        )
        progress.levels.append(lp)
        unlocked = unlocked and lp.complete
        opened = lp.completed_at
    return progress


def inductions_of(employee: Employee) -> list[Induction]:
    """All inductions of this employee, oldest first."""
    return list(db.session.scalars(
        select(Induction).where(Induction.employee_id == employee.id).order_by(Induction.opened_at, Induction.id)
    ))


def current_induction(employee: Employee) -> Induction | None:
    """The employee's latest induction, or None."""
    inductions = inductions_of(employee)
    return inductions[-1] if inductions else None
