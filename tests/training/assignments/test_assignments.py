"""Assignments: scope, re-study on a new procedure revision, progress and 我的任务."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.extensions import db
from kb.models import Revision, RevisionStatus
from kb.signals import revision_published
from org.models import Employee, EmployeeStatus
from tests.conftest import NOW
from training.assignments.models import Assignment, Task
from training.assignments.services import create_assignment, task_progress, tasks_for
from training.induction.services.study import acknowledge_study, study_continuously

DUE = (NOW + timedelta(days=3)).date()


def _form(**extra):
    return {"due_on": DUE.isoformat(), "exam_id": 0} | extra


@pytest.mark.config(FROZEN_NOW=NOW)
def test_leader_assigns_to_own_team_members(plant, make_employee, client, login):
    a, b = make_employee(team=plant["team1"]), make_employee(team=plant["team1"])
    login(plant["leader1"])
    response = client.post("/training/assignments/new", data=_form(
        documents=[plant["hazards1"].id], employees=[a.id, b.id]))
    assert response.status_code == 302
    assert db.session.query(Task).count() == 2


@pytest.mark.config(FROZEN_NOW=NOW)
def test_leader_cannot_assign_outside_own_team(plant, make_employee, client, login):
    outsider = make_employee(team=plant["team2"])
    login(plant["leader1"])
    response = client.post("/training/assignments/new", data=_form(
        documents=[plant["hazards1"].id], employees=[outsider.id]))
    assert response.status_code == 403
    response = client.post("/training/assignments/new", data=_form(
        documents=[plant["hazards1"].id], teams=[plant["team2"].id]))
    assert response.status_code == 403
    assert db.session.query(Task).count() == 0


@pytest.mark.config(FROZEN_NOW=NOW)
def test_officer_assigns_by_position_within_department_only(plant, make_employee, make_team, client, login):
    inside = make_employee(team=plant["team2"], position=plant["press"])
    elsewhere = make_employee(team=make_team(), position=plant["press"])
    login(plant["officer"])
    client.post("/training/assignments/new", data=_form(documents=[plant["sop_press"].id],
                                                          positions=[plant["press"].id]))
    people = {t.employee_id for t in db.session.query(Task)}
    assert inside.id in people and elsewhere.id not in people


def _publish_new_revision(document, now):
    previous = document.published_revision
    revision = Revision(document=document, number=previous.number + 1, title=document.title, body_md="新",
                        body_html="<p>新</p>", status=RevisionStatus.PUBLISHED, published_at=now,
                        change_note="增加双手按钮")
    previous.status = RevisionStatus.SUPERSEDED
    db.session.add(revision)
    db.session.flush()
    document.published_revision = revision
    revision_published.send(document, revision=revision, previous=previous, now=now)
    db.session.commit()
    return revision


def test_new_procedure_revision_assigns_restudy_to_exactly_its_positions(plant, make_employee):
    operators = [make_employee(team=plant["team1"], position=plant["press"]) for _ in range(2)]
    crane = make_employee(team=plant["team2"], position=plant["crane"])
    gone = make_employee(team=plant["team1"], position=plant["press"])
    gone.status = EmployeeStatus.LEFT
    db.session.commit()
    _publish_new_revision(plant["sop_press"], NOW)
    assignment = db.session.query(Assignment).one()
    expected = {e.id for e in operators} | {plant["leader1"].id, plant["leader2"].id}  # the leaders press too
    assert {t.employee_id for t in assignment.tasks} == expected
    assert crane.id not in expected and gone.id not in expected
    assert assignment.due_on == (NOW + timedelta(days=7)).date()


def test_first_publication_assigns_nothing(plant):
    revision_published.send(plant["sop_press"], revision=plant["sop_press"].published_revision, previous=None,
                            now=NOW)
    assert db.session.query(Assignment).count() == 0


def test_task_completes_with_acknowledgement_and_exam_and_goes_overdue(plant, make_employee, make_exam, sit_exam):
    exam = make_exam("班组考试")
    a, b = make_employee(team=plant["team1"]), make_employee(team=plant["team1"])
    create_assignment(plant["leader1"], title="危险源学习", documents=[plant["hazards1"]], exam_id=exam.id,
                      due_on=DUE, people=[a, b], now=NOW)
    db.session.commit()
    study_continuously(a, plant["hazards1"], NOW, 8)
    acknowledge_study(a, plant["hazards1"], NOW + timedelta(minutes=8))
    assert not task_progress(tasks_for(a), NOW)[0].complete  # exam still missing
    sit_exam(a, exam, 80)
    later = NOW + timedelta(days=5)
    (done,), (late,) = task_progress(tasks_for(a), later), task_progress(tasks_for(b), later)
    assert done.complete and not done.overdue
    assert late.overdue and late.status_label == "已逾期"


def test_stale_acknowledgement_reopens_restudy(plant, make_employee):
    worker = make_employee(team=plant["team1"], position=plant["press"])
    study_continuously(worker, plant["sop_press"], NOW, 8)
    acknowledge_study(worker, plant["sop_press"], NOW + timedelta(minutes=8))
    _publish_new_revision(plant["sop_press"], NOW + timedelta(days=1))
    (progress,) = task_progress(tasks_for(worker), NOW + timedelta(days=1))
    assert progress.documents_done == 0  # the old revision's acknowledgement does not count


@pytest.mark.config(FROZEN_NOW=NOW + timedelta(days=5))
def test_my_tasks_panel_highlights_overdue(plant, client, login):
    worker = db.session.get(Employee, plant["leader1"].id)
    create_assignment(plant["officer"], title="逾期的学习", documents=[plant["rules"]], exam_id=None, due_on=DUE,
                      people=[worker], now=NOW)
    db.session.commit()
    login(worker)
    page = client.get("/").get_data(as_text=True)
    assert "逾期的学习" in page and "已逾期" in page and 'class="overdue"' in page


def test_unlisted_exam_shows_in_my_exams_only_for_people_given_it(plant, make_employee, make_exam, sit_exam):
    from training.quiz.services.my_exams import exams_open_to

    exam = make_exam("危险源考试")
    exam.listed = False
    given, other = make_employee(team=plant["team1"]), make_employee(team=plant["team1"])
    create_assignment(plant["leader1"], title="危险源学习", documents=[], exam_id=exam.id,
                      due_on=DUE, people=[given], now=NOW)
    db.session.commit()
    assert exam in exams_open_to(given, NOW)
    assert exam not in exams_open_to(other, NOW)
    sit_exam(given, exam, 90)  # passed: the task no longer brings it
    assert exam not in exams_open_to(given, NOW)
