"""A change of team opens a new round of the department and team exams: the old pass stays in the
history but neither passes the new levels nor uses up their attempts — with one attempt allowed, the
person sits the new exams without anyone granting 补考."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core.exceptions import DomainError
from core.extensions import db
from org.signals import employee_changed
from tests.conftest import NOW
from tests.training.induction.test_induction import finish, study_all
from training.assignments.services import create_assignment, task_progress, tasks_for
from training.induction.services.clearance import clearance
from training.induction.services.progress import current_induction, induction_progress
from training.quiz.models import Attempt, Exam, ExamItem, Question, ReviewPolicy
from training.quiz.services.retakes import grant_retake, people_out_of_attempts

FIRST_ROUND = NOW + timedelta(minutes=10)
MOVED = NOW + timedelta(days=30)


def _exam(title: str, *, listed: bool = False, max_attempts: int = 1) -> Exam:
    question = Question(key=f"q-{title}", type="single", level="team", topic="安全生产方针", stem=f"{title}：方针是？",
                        options=["效益优先", "安全第一、预防为主、综合治理"], answer=[1], explanation="依据第三条。")
    exam = Exam(title=title, published=True, listed=listed, max_attempts=max_attempts, pass_percent=60,
                duration_minutes=30, review_policy=ReviewPolicy.ANSWERS)
    exam.items = [ExamItem(question=question, position=0)]
    db.session.add(exam)
    db.session.commit()
    return exam


def _card(page: str, title: str) -> str:
    """The 我的考试 card of one exam (empty when the exam is not listed for the person)."""
    cards = [chunk.split("</li>")[0] for chunk in page.split('<li class="card">')[1:]]
    return next((card for card in cards if title in card), "")


def _sit(client, exam: Exam, *, right: bool = True):
    """Press 开始考试 and hand in the answer; returns the start response."""
    started = client.post(f"/quiz/exams/{exam.id}/start")
    if started.status_code != 302 or "/attempts/" not in started.headers["Location"]:
        return started
    attempt = db.session.get(Attempt, int(started.headers["Location"].rstrip("/").split("/")[-1]))
    item = attempt.items[0]
    choice = next(o["oid"] for o in item["options"] if o["correct"] == right)
    client.post(f"/quiz/attempts/{attempt.id}/submit",
                data={"revision": str(attempt.revision), f"a-{item['iid']}": choice})
    return started


def _attempts(person, exam) -> int:
    return db.session.scalar(select(func.count()).select_from(Attempt)
                             .where(Attempt.employee_id == person.id, Attempt.exam_id == exam.id))


@pytest.fixture
def moved(app, new_hire, plant, programmes, sit_exam):
    """马小军 passed the department and team exams (one attempt each allowed) in 冲压一班, was cleared,
    and 30 days later moved to 冲压二班: a re-training induction opened."""
    department_exam, team_exam = _exam("冲压车间级考试"), _exam("班组级考试")
    programmes["department"].exam_id, programmes["team"].exam_id = department_exam.id, team_exam.id
    first = current_induction(new_hire)
    first.levels[1].exam_id, first.levels[2].exam_id = department_exam.id, team_exam.id
    db.session.commit()
    sit_exam(new_hire, department_exam, 95, at=FIRST_ROUND)
    sit_exam(new_hire, team_exam, 95, at=FIRST_ROUND)
    for level, trainer in zip(first.levels, [None, plant["officer"], plant["leader1"]], strict=True):
        finish(new_hire, level, trainer, FIRST_ROUND + timedelta(minutes=20), plant)
    assert clearance(new_hire).cleared
    new_hire.team = plant["team2"]
    employee_changed.send(new_hire, now=MOVED, changes={"team": ("冲压一班", "冲压二班")})
    db.session.commit()
    app.config["FROZEN_NOW"] = MOVED + timedelta(hours=1)
    study_all(new_hire, current_induction(new_hire).levels[0], MOVED + timedelta(minutes=5))  # 先学后考
    return department_exam, team_exam


def test_the_moved_worker_sees_the_new_round_and_passes_it_without_retake(app, client, login, new_hire, plant,
                                                                          moved):
    department_exam, team_exam = moved
    login(new_hire)
    page = client.get("/quiz/").get_data(as_text=True)
    card = _card(page, "冲压车间级考试")
    assert "未参加" in card and "已通过" not in card
    assert "可考 1 次" in card
    assert re.search(r"上次通过：\d{4}-\d{2}-\d{2}（上一轮培训（新员工入职））", card)
    assert _card(page, "班组级考试") == ""  # the team exam waits for the department level
    assert page.count('badge ok">合格') == 2  # both old passes are still in 我的成绩

    exam_page = client.get(f"/quiz/exams/{department_exam.id}").get_data(as_text=True)
    assert "剩余 1 次" in exam_page and "开始考试" in exam_page and "您已通过这场考试" not in exam_page
    assert "out-of-attempts" not in exam_page

    assert _sit(client, department_exam).status_code == 302
    assert _attempts(new_hire, department_exam) == 2
    again = induction_progress(current_induction(new_hire))
    assert again.levels[0].exam_ok and again.levels[0].exam.started_at >= MOVED
    finish(new_hire, current_induction(new_hire).levels[0], plant["officer"], MOVED + timedelta(hours=2), plant)
    team_level = current_induction(new_hire).levels[1]
    page = client.get("/quiz/").get_data(as_text=True)
    assert "先学后考：请先学完班组级的学习资料" in _card(page, "班组级考试")
    study_all(new_hire, team_level, MOVED + timedelta(hours=2, minutes=10))

    page = client.get("/quiz/").get_data(as_text=True)
    card = _card(page, "班组级考试")
    assert "未参加" in card and "可考 1 次" in card
    assert re.search(r"上次通过：\d{4}-\d{2}-\d{2}（原班组：冲压一班）", card)
    assert not clearance(new_hire).cleared  # the team level still waits for the new team's exam

    assert _sit(client, team_exam).status_code == 302
    finish(new_hire, team_level, plant["leader2"], MOVED + timedelta(hours=3), plant)
    assert clearance(new_hire).cleared
    exam_page = client.get(f"/quiz/exams/{team_exam.id}").get_data(as_text=True)
    assert "您已通过这场考试" in exam_page


def test_the_old_pass_does_not_pass_the_new_level_and_a_failed_new_attempt_uses_the_round(
        app, client, login, new_hire, plant, moved):
    department_exam, _team_exam = moved
    with pytest.raises(DomainError):  # no sign-off on the strength of the old pass
        finish(new_hire, current_induction(new_hire).levels[0], plant["officer"], MOVED + timedelta(hours=2), plant)
    db.session.rollback()
    login(new_hire)
    assert _sit(client, department_exam, right=False).status_code == 302
    card = _card(client.get("/quiz/").get_data(as_text=True), "冲压车间级考试")
    assert "未通过" in card and "可考" not in card and "作答次数已用完" in card
    refused = _sit(client, department_exam)
    assert refused.status_code == 302 and "/attempts/" not in refused.headers["Location"]
    assert _attempts(new_hire, department_exam) == 2
    # now, and only now, the person is out of attempts for this round: the officer may grant 补考
    assert people_out_of_attempts(department_exam, db.true()) == [new_hire]
    grant_retake(plant["safety"], new_hire, department_exam, app.config["FROZEN_NOW"])
    db.session.commit()
    assert _sit(client, department_exam).status_code == 302
    assert induction_progress(current_induction(new_hire)).levels[0].exam_ok


def test_nobody_is_listed_for_retake_after_a_move(app, new_hire, plant, moved):
    department_exam, _team_exam = moved
    assert people_out_of_attempts(department_exam, db.true()) == []
    with pytest.raises(DomainError, match="还有考试机会"):
        grant_retake(plant["safety"], new_hire, department_exam, app.config["FROZEN_NOW"])


def test_an_ordinary_exam_keeps_counting_every_attempt(app, client, login, new_hire, plant, moved):
    ordinary = _exam("消防知识考试", listed=True)
    app.config["FROZEN_NOW"] = NOW + timedelta(days=2)
    login(new_hire)
    assert _sit(client, ordinary, right=False).status_code == 302
    app.config["FROZEN_NOW"] = MOVED + timedelta(hours=1)  # after the move: the exam is no level's
    card = _card(client.get("/quiz/").get_data(as_text=True), "消防知识考试")
    assert "未通过" in card and "作答次数已用完" in card and "上次通过" not in card
    exam_page = client.get(f"/quiz/exams/{ordinary.id}").get_data(as_text=True)
    assert "剩余 0 次" in exam_page and 'id="out-of-attempts"' in exam_page
    refused = _sit(client, ordinary)
    assert "/attempts/" not in refused.headers["Location"]
    assert _attempts(new_hire, ordinary) == 1


def test_a_task_s_exam_counts_only_attempts_since_it_was_assigned(app, client, login, make_employee, plant):
    worker = make_employee(team=plant["team1"], name="赵师傅")
    exam = _exam("行车操作考试")
    app.config["FROZEN_NOW"] = NOW
    db.session.add(Attempt(exam_id=exam.id, employee_id=worker.id, number=1, open_slot=None, items=[],
                           answers={}, started_at=NOW - timedelta(days=60), deadline=NOW - timedelta(days=60),
                           total_points=1, score=1, passed=True, pass_percent=60,
                           submitted_at=NOW - timedelta(days=60)))
    create_assignment(plant["leader1"], title="行车复训", documents=[], exam_id=exam.id,
                      due_on=(NOW + timedelta(days=7)).date(), people=[worker], now=NOW)
    db.session.commit()
    assert not task_progress(tasks_for(worker), NOW)[0].complete
    login(worker)
    card = _card(client.get("/quiz/").get_data(as_text=True), "行车操作考试")
    assert "未参加" in card and "可考 1 次" in card and "上次通过" in card and "本次任务布置前" in card
    assert _sit(client, exam).status_code == 302
    assert task_progress(tasks_for(worker), NOW)[0].complete
