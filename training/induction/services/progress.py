"""Where one employee stands in their induction, computed from the records (never stored twice)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import subqueryload

from core.extensions import db
from org.models import Employee
from training.induction.models import ClassroomAttendance, ClassroomSession, Induction, InductionLevel
from training.quiz.services.results import AttemptResult, Wanted, best_results, judged
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


def _classroom_by_level(level_ids: list[int]) -> dict[int, tuple[float, datetime | None]]:
    """Classroom hours and the last session day per induction level, in one query."""
    found: dict[int, list] = {level_id: [] for level_id in level_ids}
    if level_ids:
        for row in db.session.execute(
                select(ClassroomAttendance.induction_level_id, ClassroomSession.hours, ClassroomSession.held_on)
                .join(ClassroomSession, ClassroomSession.id == ClassroomAttendance.session_id)
                .where(ClassroomAttendance.induction_level_id.in_(level_ids))):
            found[row.induction_level_id].append(row)
    result = {}
    for level_id, rows in found.items():
        last = max((r.held_on for r in rows), default=None)
        result[level_id] = (sum(r.hours for r in rows), datetime.combine(last, time(12), UTC) if last else None)
    return result


def _with_levels(inductions: list[Induction]) -> list[Induction]:
    """The inductions with their levels and items loaded (three queries however many there are:
    subquery loading, where selectin loading would add one per 500)."""
    ids = [i.id for i in inductions]
    if not ids:
        return []
    db.session.scalars(select(Induction).where(Induction.id.in_(ids))
                       .options(subqueryload(Induction.levels).subqueryload(InductionLevel.items))).all()
    return inductions


def progress_many(inductions: list[Induction]) -> dict[int, InductionProgress]:
    """Progress of each induction (by id) in a constant number of queries (dashboards, exports)."""
    inductions = _with_levels(inductions)
    levels = [level for induction in inductions for level in induction.levels]
    classroom = _classroom_by_level([level.id for level in levels])
    exams = best_results((induction.employee_id, level.exam_id, induction.opened_at)
                         for induction in inductions for level in induction.levels)
    per_hour = float(get_setting("minutes_per_hour")) or 45.0
    return {induction.id: _progress(induction, classroom, exams, per_hour) for induction in inductions}


def _progress(induction: Induction, classroom: dict[int, tuple[float, datetime | None]],
              exams: dict[Wanted, AttemptResult], per_hour: float) -> InductionProgress:
    """Every level in order; a level is unlocked only when all before it are complete.

    A level's exam counts only attempts started since its induction opened: after a change of
    team or position the re-training is not satisfied by a pass from the earlier induction."""
    progress = InductionProgress(induction)
    unlocked, opened = True, induction.opened_at
    for level in induction.levels:
        hours, last = classroom[level.id]
        lp = LevelProgress(
            level=level, unlocked=unlocked, opened_at=opened if unlocked else None,
            study_hours=round(sum(i.credited_minutes for i in level.items) / per_hour, 2),
            classroom_hours=hours, items_done=sum(1 for i in level.items if i.done_at),
            items_total=len(level.items),
            exam=judged(exams.get((induction.employee_id, level.exam_id, induction.opened_at)), level.pass_mark),
            last_classroom=last,
        )
        progress.levels.append(lp)
        unlocked = unlocked and lp.complete
        opened = lp.completed_at
    return progress


def induction_progress(induction: Induction) -> InductionProgress:
    """Compute every level in order; a level is unlocked only when all before it are complete."""
    return progress_many([induction])[induction.id]


def inductions_of(employee: Employee) -> list[Induction]:
    """All inductions of this employee, oldest first."""
    return list(db.session.scalars(
        select(Induction).where(Induction.employee_id == employee.id).order_by(Induction.opened_at, Induction.id)
    ))


def inductions_of_many(employee_ids: list[int]) -> dict[int, list[Induction]]:
    """All inductions of each employee, oldest first, in one query."""
    found: dict[int, list[Induction]] = {eid: [] for eid in employee_ids}
    if employee_ids:
        for induction in db.session.scalars(select(Induction).where(Induction.employee_id.in_(employee_ids))
                                            .order_by(Induction.opened_at, Induction.id)):
            found[induction.employee_id].append(induction)
    return found


def current_induction(employee: Employee) -> Induction | None:
    """The employee's latest induction, or None."""
    inductions = inductions_of(employee)
    return inductions[-1] if inductions else None
