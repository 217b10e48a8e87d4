"""Fixtures for induction, assignments and records tests: exams with submitted attempts, a plant."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.extensions import db
from kb.models import DocumentKind
from org.models import Role
from tests.conftest import NOW


@pytest.fixture
def make_exam(app):
    from training.quiz.models import Exam

    def make(title: str = "考试", pass_percent: float = 60) -> Exam:
        exam = Exam(title=title, published=True, pass_percent=pass_percent)
        db.session.add(exam)
        db.session.commit()
        return exam

    return make


@pytest.fixture
def sit_exam(app):
    """sit_exam(employee, exam, score, at=NOW, wrong=[(qid, stem, source_title)]) -> an attempt started
    and submitted at ``at`` (an induction counts only attempts started since it opened)."""
    from training.quiz.models import Attempt

    def sit(employee, exam, score: float = 90, at=NOW, items=None, item_scores=None):
        number = 1 + db.session.query(Attempt).filter_by(employee_id=employee.id, exam_id=exam.id).count()
        attempt = Attempt(exam_id=exam.id, employee_id=employee.id, number=number, open_slot=None,
                          started_at=at, deadline=at + timedelta(minutes=30),
                          items=items or [], item_scores=item_scores or {}, total_points=100, score=score,
                          passed=score >= exam.pass_percent, pass_percent=exam.pass_percent, submitted_at=at)
        db.session.add(attempt)
        db.session.commit()
        return attempt

    return sit


@pytest.fixture
def plant(make_department, make_team, make_position, make_employee, make_document):
    """A department with two teams, a safety officer, two team leaders, a new hire and their documents."""
    dept = make_department(code="CY", name="冲压车间")
    press = make_position(code="press", name="冲压工")
    crane = make_position(code="crane", name="行车工")
    team1, team2 = make_team(department=dept, code="CY1", name="冲压一班"), make_team(department=dept, code="CY2",
                                                                                  name="冲压二班")
    officer = make_employee(department=dept, roles={Role.SAFETY_OFFICER}, name="王安全")
    leader1 = make_employee(team=team1, position=press, roles={Role.TEAM_LEADER}, leads=team1, name="李班长")
    leader2 = make_employee(team=team2, position=press, roles={Role.TEAM_LEADER}, leads=team2, name="吴班长")
    safety = make_employee(roles={Role.SAFETY_DEPT}, name="刘安全部")
    sop_press = make_document(DocumentKind.PROCEDURE, slug="sop-press", title="冲压工安全操作规程", positions=[press],
                              owner=dept)
    sop_crane = make_document(DocumentKind.PROCEDURE, slug="sop-crane", title="行车安全操作规程", positions=[crane],
                              owner=dept)
    hazards1 = make_document(DocumentKind.HAZARD_LIST, slug="hz-cy1", title="冲压一班危险源清单", owner=dept)
    hazards1.team = team1
    rules = make_document(DocumentKind.REGULATION, slug="law", title="安全生产法", owner=dept)
    workshop = make_document(DocumentKind.REGULATION, slug="cy-rules", title="冲压车间安全管理制度", owner=dept)
    db.session.commit()
    return {"dept": dept, "press": press, "crane": crane, "team1": team1, "team2": team2, "officer": officer,
            "leader1": leader1, "leader2": leader2, "safety": safety, "sop_press": sop_press, "sop_crane": sop_crane,
            "hazards1": hazards1, "rules": rules, "workshop": workshop}


@pytest.fixture
def programmes(plant, app):
    """Company level: the law (60 min); department: workshop rules; team: nothing extra (auto items only)."""
    from training.induction.models import Level, Programme, ProgrammeItem

    company = Programme(level=Level.COMPANY, title="公司级", items=[ProgrammeItem(document=plant["rules"],
                                                                                 expected_minutes=60)])
    dept = Programme(level=Level.DEPARTMENT, title="冲压车间级", department_id=plant["dept"].id,
                     items=[ProgrammeItem(document=plant["workshop"], expected_minutes=30)])
    team = Programme(level=Level.TEAM, title="班组级")
    db.session.add_all([company, dept, team])
    db.session.commit()
    return {"company": company, "department": dept, "team": team}


@pytest.fixture
def new_hire(plant, programmes, make_employee):
    """A press operator in 冲压一班 hired a week ago, with the induction the signal opened."""
    from org.signals import employee_created

    employee = make_employee(team=plant["team1"], position=plant["press"], name="马小军",
                             hire_date=(NOW - timedelta(days=7)).date())
    employee_created.send(employee, now=NOW)
    db.session.commit()
    return employee
