"""A new hire's home says what to do next; veterans' paper records count as cleared."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from core.exceptions import DomainError, NotAllowed
from core.extensions import db
from tests.conftest import NOW
from training.induction.models import Level
from training.induction.services.clearance import clearance
from training.induction.services.history import PaperLevelData, record_paper_induction
from training.induction.services.next_step import next_step, stepper
from training.induction.services.progress import current_induction, induction_progress
from training.induction.services.study import acknowledge_study, study_continuously


@pytest.mark.config(FROZEN_NOW=NOW)
def test_new_hire_home_shows_the_next_step_and_who_records_and_signs(new_hire, plant, client, login):
    login(new_hire)
    home = client.get("/").get_data(as_text=True)
    assert "下一步" in home and "学习：安全生产法" in home and "开始学习" in home
    # 8 学时 at company level while its one item is 60 minutes: the rest is classroom, by the safety dept.
    assert "本级需 8 学时：自学资料约 1.3 学时，其余约 6.7 学时来自集中授课" in home
    assert "刘安全部（安全管理部门）" in home
    assert "签字确认：王安全" in home and "签字确认：李班长" in home


def test_next_step_moves_from_study_to_classroom_hours(new_hire, plant):
    item = current_induction(new_hire).levels[0].items[0]
    study_continuously(new_hire, item.document, NOW, 60, item=item)
    acknowledge_study(new_hire, item.document, NOW + timedelta(minutes=60))
    progress = induction_progress(current_induction(new_hire))
    step = next_step(new_hire, progress, NOW)
    assert step.title == "参加公司级集中授课" and step.waiting and "还差 6.67 学时" in step.detail
    company, department, team = stepper(new_hire, progress)
    assert (company.state, department.state, team.state) == ("current", "locked", "locked")
    assert "学习资料 1/1" in company.done


def _paper(level: Level, passed: bool = True) -> PaperLevelData:
    return PaperLevelData(level, date(2018, 3, 12), date(2018, 3, 14), 8, f"{level.label}安全教育",
                          passed, "王安全", "刘安全部", 86)


def test_a_historical_record_clears_a_veteran(plant, make_employee, client, login):
    veteran = make_employee(team=plant["team1"], position=plant["press"], name="赵红梅",
                            hire_date=date(2018, 3, 12))
    db.session.commit()
    assert clearance(veteran).status == "no_record"
    with pytest.raises(NotAllowed):
        record_paper_induction(plant["leader1"], veteran, [_paper(Level.COMPANY)], NOW)
    with pytest.raises(DomainError, match="结束日期不能晚于今天"):
        future = _paper(Level.COMPANY)
        future.finished_on = date(2030, 1, 1)
        record_paper_induction(plant["officer"], veteran, [future], NOW)
    record_paper_induction(plant["officer"], veteran, [_paper(Level.COMPANY), _paper(Level.DEPARTMENT)], NOW)
    assert clearance(veteran).status == "no_record"  # the team level is still missing

    login(plant["officer"])
    form = {f"team-{k}": v for k, v in {"started_on": "2018-03-15", "finished_on": "2018-03-16", "hours": "8",
                                        "content": "冲压工岗位操作规程", "score": "90", "passed": "1",
                                        "trainer_name": "李德胜", "assessor_name": "李德胜"}.items()}
    response = client.post(f"/training/induction/employees/{veteran.id}/paper", data=form, follow_redirects=True)
    assert "已补录赵红梅的历史三级教育记录" in response.get_data(as_text=True)
    db.session.expire_all()
    assert clearance(veteran).cleared


def test_a_half_filled_paper_level_names_its_empty_fields(plant, make_employee, client, login):
    veteran = make_employee(team=plant["team1"], name="孙明", hire_date=date(2021, 8, 2))
    db.session.commit()
    login(plant["safety"])
    page = client.post(f"/training/induction/employees/{veteran.id}/paper",
                       data={"company-started_on": "2021-08-02", "company-hours": "8"}).get_data(as_text=True)
    assert "公司级：请填写结束日期、教育内容、教育人、考核人。" in page
