"""Re-training after a change of team counts only exams sat since the new induction opened."""

from __future__ import annotations

from datetime import timedelta

from core.extensions import db
from org.signals import employee_changed
from tests.conftest import NOW
from tests.training.induction.test_induction import finish
from training.induction.services.clearance import clearance
from training.induction.services.progress import current_induction, induction_progress


def test_an_old_pass_does_not_satisfy_the_new_team_s_levels(new_hire, plant, programmes, make_exam, sit_exam,
                                                            client, login):
    department_exam, team_exam = make_exam("冲压车间级考试"), make_exam("班组级考试")
    programmes["department"].exam_id, programmes["team"].exam_id = department_exam.id, team_exam.id
    db.session.commit()
    first = current_induction(new_hire)
    first.levels[1].exam_id, first.levels[2].exam_id = department_exam.id, team_exam.id
    sit_exam(new_hire, department_exam, 95, at=NOW + timedelta(minutes=5))
    sit_exam(new_hire, team_exam, 95, at=NOW + timedelta(minutes=10))
    for level, trainer in zip(first.levels, [None, plant["officer"], plant["leader1"]], strict=True):
        finish(new_hire, level, trainer, NOW + timedelta(minutes=20), plant)
    assert clearance(new_hire).cleared

    moved = NOW + timedelta(days=30)
    new_hire.team = plant["team2"]
    employee_changed.send(new_hire, now=moved, changes={"team": ("冲压一班", "冲压二班")})
    db.session.commit()
    again = induction_progress(current_induction(new_hire))
    assert [lp.level.exam_id for lp in again.levels] == [department_exam.id, team_exam.id]
    assert [lp.exam for lp in again.levels] == [None, None]  # the passes from the first induction do not count
    assert "尚未参加考试" in again.levels[0].missing
    login(new_hire)
    page = client.get("/training/induction").get_data(as_text=True)
    assert "尚未参加考试" in page

    sit_exam(new_hire, department_exam, 88, at=moved + timedelta(hours=1))
    again = induction_progress(current_induction(new_hire))
    assert again.levels[0].exam is not None and again.levels[0].exam_ok
    assert again.levels[1].exam is None  # the team level still needs its own new sitting
    history = induction_progress(first)
    assert all(lp.complete for lp in history.levels)  # the first induction keeps its record
