"""Many people with a full training history, written with bulk inserts (for the dashboard
benchmark and the query-budget test): each has a three-level induction (items studied, a
classroom session, the company-level exam sat), a task, study time this year, and every
third a certificate; every tenth has no induction but a complete paper record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import insert, select

from core.extensions import db
from org.models import Employee, Team
from training.assignments.models import Assignment, Task
from training.induction.models import (
    ClassroomAttendance,
    ClassroomSession,
    Induction,
    InductionLevel,
    Level,
    LevelItem,
    PaperLevel,
    StudySession,
)
from training.quiz.models import Attempt, Exam


@dataclass
class Fixtures:
    """What every person shares: their team, a document to study, an exam, a task, a classroom session."""

    team: Team
    document_id: int
    exam: Exam
    assignment: Assignment
    classroom: ClassroomSession
    position_id: int | None = None


def shared(team: Team, document_id: int, at: datetime, position_id: int | None = None) -> Fixtures:
    exam = Exam(title="公司级考试", published=True, listed=False)
    classroom = ClassroomSession(level=Level.DEPARTMENT, held_on=at.date(), hours=2.0, topic="车间安全", created_at=at)
    db.session.add_all([exam, classroom])
    db.session.flush()
    assignment = Assignment(title="学习规程", due_on=at.date() - timedelta(days=1), exam_id=exam.id, created_at=at)
    db.session.add(assignment)
    db.session.flush()
    return Fixtures(team, document_id, exam, assignment, classroom, position_id)


def _ids(model, rows: list[dict]) -> list[int]:
    return list(db.session.scalars(insert(model).returning(model.id, sort_by_parameter_order=True), rows))


def add_people(fixtures: Fixtures, count: int, *, start: int, at: datetime, password_hash: str = "x") -> list[int]:
    """Insert ``count`` people (工号 B{start}…) with their records; returns their ids."""
    team = fixtures.team
    people = _ids(Employee, [{
        "emp_no": f"B{start + n:06d}", "name": f"员工{start + n}", "department_id": team.department_id,
        "team_id": team.id, "position_id": fixtures.position_id, "hire_date": at.date() - timedelta(days=30),
        "status": "in_post", "password_hash": password_hash, "must_change_password": False, "session_version": 1,
        "created_at": at, "updated_at": at} for n in range(count)])
    with_induction = [eid for n, eid in enumerate(people) if (start + n) % 10]
    _inductions(fixtures, with_induction, at)
    _paper(sorted(set(people) - set(with_induction)), at)
    db.session.execute(insert(Task), [{"assignment_id": fixtures.assignment.id, "employee_id": eid, "created_at": at}
                                      for eid in people])
    db.session.execute(insert(StudySession), [{
        "employee_id": eid, "document_id": fixtures.document_id, "started_at": at, "acknowledged_at": at,
        "credited_minutes": 90.0, "visible_seconds": 5400.0} for eid in people])
    return people


def _inductions(fixtures: Fixtures, people: list[int], at: datetime) -> None:
    team = fixtures.team
    inductions = _ids(Induction, [{
        "employee_id": eid, "reason": "new_hire", "opened_at": at - timedelta(days=30),
        "department_id": team.department_id, "team_id": team.id, "note": ""} for eid in people])
    levels = _ids(InductionLevel, [{
        "induction_id": induction_id, "level": level.value, "order": level.index, "required_hours": 1.0,
        "exam_id": fixtures.exam.id if level is Level.COMPANY else None, "sign_off_note": "",
        "signed_off_at": at if level is Level.DEPARTMENT else None}
        for induction_id in inductions for level in Level])
    db.session.execute(insert(LevelItem), [{
        "induction_level_id": level_id, "document_id": fixtures.document_id, "expected_minutes": 60,
        "position": 0, "source": "programme", "credited_minutes": 60.0, "done_at": at} for level_id in levels])
    db.session.execute(insert(ClassroomAttendance), [{
        "session_id": fixtures.classroom.id, "employee_id": eid, "induction_level_id": levels[3 * n + 1]}
        for n, eid in enumerate(people)])
    db.session.execute(insert(Attempt), [{
        "exam_id": fixtures.exam.id, "employee_id": eid, "number": 1, "open_slot": None,
        "started_at": at - timedelta(days=20, minutes=20), "deadline": at - timedelta(days=20),
        "items": [], "answers": {}, "item_scores": {}, "revision": 0, "grace_seconds": 60,
        "partial_credit": False, "closed_by_deadline": False, "total_points": 100.0, "score": 60.0 + n % 40,
        "passed": True, "pass_percent": 60.0, "submitted_at": at - timedelta(days=20)}
        for n, eid in enumerate(people)])


def _paper(people: list[int], at: datetime) -> None:
    if not people:
        return
    day = date(2015, 3, 1)
    db.session.execute(insert(PaperLevel), [{
        "employee_id": eid, "level": level.value, "started_on": day, "finished_on": day, "hours": 24.0,
        "content": "三级安全教育", "passed": True, "trainer_name": "张师傅", "assessor_name": "李主任",
        "recorded_at": at} for eid in people for level in Level])


def employee_ids(prefix: str = "B") -> list[int]:
    return list(db.session.scalars(select(Employee.id).where(Employee.emp_no.like(f"{prefix}%"))))
