"""Training records: 一人一档, team and department dashboards, item analysis. Read-only, scoped."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Float, Integer, case, cast, func, literal, select, text, true
from sqlalchemy.orm import joinedload, subqueryload

from core.extensions import db
from org.models import Department, Employee, EmployeeStatus, Team
from org.permissions import employee_scope
from training.assignments.services import TaskProgress, task_progress, tasks_for, tasks_in_scope
from training.induction.models import ClassroomAttendance, ClassroomSession, PaperLevel, StudySession
from training.induction.services.annual_hours import AnnualHours, annual_hours_many, local_year
from training.induction.services.clearance import Clearance, clearance, clearances
from training.induction.services.history import paper_levels
from training.induction.services.progress import InductionProgress, induction_progress, inductions_of
from training.quiz.models import Attempt
from training.quiz.services.results import AttemptResult, results_for, results_for_many


@dataclass
class EmployeeRecord:
    """一人一档: inductions, study, classroom hours, exam attempts and assignments of one person."""

    employee: Employee
    inductions: list[InductionProgress]
    clearance: Clearance
    study: list[StudySession]
    classroom: list[ClassroomSession]
    attempts: list[AttemptResult]
    tasks: list[TaskProgress]
    annual: AnnualHours
    paper: list[PaperLevel] = field(default_factory=list)


def employee_record(employee: Employee, now: datetime) -> EmployeeRecord:
    study = list(db.session.scalars(select(StudySession).where(StudySession.employee_id == employee.id)
                                    .order_by(StudySession.started_at.desc())))
    classroom = list(db.session.scalars(select(ClassroomSession).join(ClassroomAttendance).where(
        ClassroomAttendance.employee_id == employee.id).order_by(ClassroomSession.held_on.desc())))
    status = clearance(employee)
    annual = annual_hours_many([employee], local_year(now), {employee.id: status})[employee.id]
    return EmployeeRecord(employee, [induction_progress(i) for i in inductions_of(employee)], status,
                          study, classroom, results_for(employee.id), task_progress(tasks_for(employee), now), annual,
                          paper_levels(employee))


@dataclass
class PersonRow:
    employee: Employee
    clearance: Clearance
    annual: AnnualHours | None = None
    tasks_total: int = 0
    tasks_done: int = 0
    overdue: int = 0
    scores: list[float] = field(default_factory=list)
    passed: int = 0
    sat: int = 0


@dataclass
class GroupStats:
    """Aggregates for a team or department (or one bar of a chart)."""

    label: str
    people: list[PersonRow] = field(default_factory=list)
    overdue_tasks: list[TaskProgress] = field(default_factory=list)

    @property
    def tasks_total(self) -> int:
        return sum(p.tasks_total for p in self.people)

    @property
    def tasks_done(self) -> int:
        return sum(p.tasks_done for p in self.people)

    @property
    def completion_rate(self) -> float | None:
        return round(100 * self.tasks_done / self.tasks_total, 1) if self.tasks_total else None

    @property
    def pass_rate(self) -> float | None:
        sat = sum(p.sat for p in self.people)
        return round(100 * sum(p.passed for p in self.people) / sat, 1) if sat else None

    @property
    def average_score(self) -> float | None:
        scores = [s for p in self.people for s in p.scores]
        return round(sum(scores) / len(scores), 1) if scores else None

    @property
    def not_cleared(self) -> list[PersonRow]:
        return [p for p in self.people if p.clearance.status in ("in_training", "held") or p.clearance.holds]

    @property
    def annual_unmet(self) -> list[PersonRow]:
        """年度再培训未达标: people whose credited hours this year are below their requirement."""
        return [p for p in self.people if p.annual is not None and not p.annual.met]

    @property
    def in_induction(self) -> list[PersonRow]:
        """三级教育进行中: people whose induction is open (not yet signed off at every level)."""
        return [p for p in self.people if p.clearance.status == "in_training"]

    @property
    def no_record(self) -> list[PersonRow]:
        return [p for p in self.people if p.clearance.status == "no_record"]

    @property
    def cleared_rate(self) -> float | None:
        tracked = [p for p in self.people if p.clearance.status != "no_record"]
        return round(100 * sum(p.clearance.cleared for p in tracked) / len(tracked), 1) if tracked else None


def group_stats(actor: Employee, label: str, people: list[Employee], now: datetime) -> GroupStats:
    """Stats over ``people`` (already limited to the actor's scope by the caller's query), in a
    constant number of queries however many people there are."""
    stats = GroupStats(label)
    status = clearances(people)
    rows = {p.id: PersonRow(p, status[p.id]) for p in people}
    annual = annual_hours_many(people, local_year(now), {eid: row.clearance for eid, row in rows.items()})
    for eid, row in rows.items():
        row.annual = annual[eid]
    tasks = tasks_in_scope(actor, employee_ids=list(rows)) if rows else []
    for tp in task_progress(tasks, now):
        row = rows[tp.task.employee_id]
        row.tasks_total += 1
        row.tasks_done += tp.complete
        row.overdue += tp.overdue
        if tp.overdue:
            stats.overdue_tasks.append(tp)
    for eid, results in results_for_many(rows).items():
        best: dict[int, AttemptResult] = {}
        for r in results:
            if r.exam_id not in best or r.score > best[r.exam_id].score:
                best[r.exam_id] = r
        rows[eid].scores = [r.score * 100 / r.total_points if r.total_points else r.score for r in best.values()]
        rows[eid].sat, rows[eid].passed = len(best), sum(r.passed for r in best.values())
    stats.people = sorted(rows.values(), key=lambda r: r.employee.emp_no)
    return stats


def people_of(actor: Employee, *, team: Team | None = None, department: Department | None = None) -> list[Employee]:
    """In-post people of a team or department, always within the actor's scope."""
    query = select(Employee).where(employee_scope(actor), Employee.status == EmployeeStatus.IN_POST).options(
        joinedload(Employee.team), joinedload(Employee.position), joinedload(Employee.department),
        subqueryload(Employee.role_rows))  # one query however many (selectin would add one per 500)
    if team is not None:
        query = query.where(Employee.team_id == team.id)
    if department is not None:
        query = query.where(Employee.department_id == department.id)
    return list(db.session.scalars(query.order_by(Employee.emp_no)))


def team_stats(actor: Employee, team: Team, now: datetime) -> GroupStats:
    return group_stats(actor, team.name, people_of(actor, team=team), now)


def department_stats(actor: Employee, department: Department, now: datetime) -> tuple[GroupStats, list[GroupStats]]:
    """The department as a whole, and one GroupStats per team (for the bar chart)."""
    whole = group_stats(actor, department.name, people_of(actor, department=department), now)
    by_team: dict[int | None, list[PersonRow]] = defaultdict(list)
    for row in whole.people:
        by_team[row.employee.team_id].append(row)
    teams = []
    for team in department.teams:
        group = GroupStats(team.name, by_team.get(team.id, []))
        group.overdue_tasks = [t for t in whole.overdue_tasks if t.task.employee.team_id == team.id]
        teams.append(group)
    return whole, teams


def company_stats(actor: Employee, now: datetime) -> tuple[GroupStats, list[tuple[Department, GroupStats]]]:
    """The whole company (within the actor's scope) and each department, for the safety department's home."""
    whole = group_stats(actor, "全公司", people_of(actor), now)
    rows: dict[int, list[PersonRow]] = defaultdict(list)
    for row in whole.people:
        rows[row.employee.department_id].append(row)
    departments = []
    for department in db.session.scalars(select(Department).order_by(Department.code)):
        group = GroupStats(department.name, rows.get(department.id, []))
        group.overdue_tasks = [t for t in whole.overdue_tasks if t.task.employee.department_id == department.id]
        if group.people:
            departments.append((department, group))
    return whole, departments


@dataclass
class ItemStat:
    question_id: int
    stem: str
    served: int
    wrong: int
    source_document_id: int | None
    source_title: str
    source_section: str

    @property
    def wrong_rate(self) -> float:
        return round(100 * self.wrong / self.served, 1) if self.served else 0.0


def _item_counts():
    """(qid, served, wrong, first attempt id) per question over every submitted attempt, counted by
    the database from the attempts' JSON snapshots (SQLite json_each, PostgreSQL json_array_elements)."""
    if db.session.get_bind().dialect.name == "postgresql":
        item = func.json_array_elements(Attempt.items).table_valued("value").render_derived(name="item")

        def field(key: str):
            return item.c.value.op("->>")(key)

        earned = cast(Attempt.item_scores.op("->>")(field("iid")), Float)
    else:
        item = func.json_each(Attempt.items).table_valued("value").alias("item")

        def field(key: str):
            return func.json_extract(item.c.value, f"$.{key}")

        earned = func.json_extract(Attempt.item_scores, literal('$."') + field("iid") + literal('"'))
    qid = cast(field("qid"), Integer)
    wrong = case((func.coalesce(cast(earned, Float), 0.0) < func.coalesce(cast(field("points"), Float), 0.0), 1),
                 else_=0)
    return db.session.execute(
        select(qid.label("qid"), func.count().label("served"), func.sum(wrong).label("wrong"),
               func.min(Attempt.id).label("first"))
        .select_from(Attempt).join(item, true()).where(Attempt.submitted_at.is_not(None))
        .group_by(text("qid"))).all()


def item_analysis(limit: int = 30, min_served: int = 1) -> list[ItemStat]:
    """Questions most often answered wrong across every submitted attempt, with the documents they cite.

    The database counts; only the snapshots naming the questions shown are read.
    """
    counts = _item_counts()
    first = {row.qid: row.first for row in counts}
    stats = [ItemStat(row.qid, "", row.served, int(row.wrong or 0), None, "", "")
             for row in counts if row.served >= min_served and row.wrong]
    stats.sort(key=lambda s: (-s.wrong_rate, -s.wrong, s.question_id))
    stats = stats[:limit]
    snapshots = dict(db.session.execute(select(Attempt.id, Attempt.items).where(
        Attempt.id.in_({first[s.question_id] for s in stats}))).all()) if stats else {}
    for stat in stats:
        item = next(i for i in snapshots[first[stat.question_id]] or [] if i.get("qid") == stat.question_id)
        stat.stem, stat.source_document_id = item.get("stem", ""), item.get("source_document_id")
        stat.source_title, stat.source_section = item.get("source_title", ""), item.get("source_section", "")
    return stats
