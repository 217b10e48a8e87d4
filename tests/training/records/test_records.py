"""Records: scope of reports and exports, formula neutralising, audit, the printed card, charts."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from core.audit import AuditEvent
from core.extensions import db
from tests.conftest import NOW
from training.assignments.services import create_assignment
from training.induction.models import Level
from training.induction.services.progress import current_induction
from training.induction.services.study import acknowledge_study, study_continuously
from training.induction.services.trainer import record_classroom, sign_off
from training.records.card import registration_card
from training.settings import set_setting

pytestmark = pytest.mark.config(FROZEN_NOW=NOW)


def test_leader_sees_only_own_team_in_reports_and_exports(plant, make_employee, client, login):
    make_employee(team=plant["team1"], name="一班成员")
    make_employee(team=plant["team2"], name="二班成员")
    login(plant["leader1"])
    own = client.get(f"/training/records/teams/{plant['team1'].id}").get_data(as_text=True)
    assert "一班成员" in own and "二班成员" not in own
    for url in (f"/training/records/teams/{plant['team2'].id}",
                f"/training/records/teams/{plant['team2'].id}/export.csv",
                f"/training/records/departments/{plant['dept'].id}",
                f"/training/records/departments/{plant['dept'].id}/export.xlsx"):
        assert client.get(url).status_code == 404, url
    csv = client.get(f"/training/records/teams/{plant['team1'].id}/export.csv").get_data(as_text=True)
    assert "一班成员" in csv and "二班成员" not in csv
    assert client.get("/training/records/items").status_code == 403
    overview = client.get("/training/records/")  # one team: straight to its dashboard
    assert overview.status_code == 302
    assert overview.headers["Location"].endswith(f"/training/records/teams/{plant['team1'].id}")


def test_officer_department_view_has_team_bars_and_no_inline_styles(plant, make_employee, client, login):
    make_employee(team=plant["team2"], name="二班成员")
    login(plant["officer"])
    page = client.get(f"/training/records/departments/{plant['dept'].id}").get_data(as_text=True)
    assert "<svg" in page and "冲压二班" in page and "二班成员" in page
    assert "style=" not in page


def test_exported_formula_comes_out_as_text_and_is_audited(plant, make_employee, client, login):
    make_employee(team=plant["team1"], name="=HYPERLINK(\"http://evil\",\"x\")")
    login(plant["leader1"])
    csv = client.get(f"/training/records/teams/{plant['team1'].id}/export.csv").get_data()
    assert csv.startswith("\ufeff".encode())
    assert "'=HYPERLINK" in csv.decode("utf-8-sig")
    body = client.get(f"/training/records/teams/{plant['team1'].id}/export.xlsx").get_data()
    sheet = load_workbook(io.BytesIO(body)).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value and "HYPERLINK" in str(c.value)]
    assert cells and all(c.data_type == "s" and str(c.value).startswith("'=") for c in cells)
    events = db.session.query(AuditEvent).filter_by(action="export").all()
    assert len(events) == 2 and events[0].actor_id == plant["leader1"].id


def test_printed_card_has_hours_scores_and_dates_of_all_three_levels(new_hire, plant, make_exam, sit_exam,
                                                                    client, login):
    exams = [make_exam(f"{n}考试") for n in ("公司级", "部门级", "班组级")]
    induction = current_induction(new_hire)
    induction.opened_at = NOW - timedelta(days=10)  # the levels below are worked through since then
    for level, exam in zip(induction.levels, exams, strict=True):
        level.exam_id = exam.id
    db.session.commit()
    days = {"company": 1, "department": 3, "team": 6}
    for level, exam, score, trainer in zip(induction.levels, exams, (92, 81, 77),
                                           (None, plant["officer"], plant["leader1"]), strict=True):
        at = NOW - timedelta(days=10 - days[level.level])
        for item in level.items:
            study_continuously(new_hire, item.document, at, item.expected_minutes, item=item)
            acknowledge_study(new_hire, item.document, at + timedelta(minutes=item.expected_minutes))
        record_classroom(trainer or plant["safety"], Level(level.level), at.date(), 8, f"{level.level_label}授课",
                         [new_hire.id], at)
        sit_exam(new_hire, exam, score, at=at)
        if trainer:
            sign_off(trainer, level, at)
        db.session.commit()
    set_setting("company_name", "华岳机械制造有限公司")
    new_hire.gender = "男"
    db.session.commit()
    total = registration_card(new_hire, NOW).total_hours
    assert total >= 24
    login(plant["leader1"])
    card = client.get(f"/training/records/employees/{new_hire.id}/card").get_data(as_text=True)
    for text in ("单位：华岳机械制造有限公司", f"编号：SJ-{new_hire.emp_no}", "工种/岗位", "冲压工", "冲压一班",
                 "公司级", "部门（车间）级", "班组级", "92 · 合格", "81 · 合格", "77 · 合格",
                 "教育人：刘安全部", "教育人：王安全<br>考核人：王安全", "教育人：李班长<br>考核人：李班长",
                 f"<b>{total:g}</b> 学时", "合计学时", "受教育人（签字）", "教育人（签字）", "考核人（签字）",
                 "准许上岗", "2026-11-14", "2026-11-16", "2026-11-19"):
        assert text in card, text
    assert "<th>性别</th><td>男</td>" in card
    assert card.count("受教育人（签字）") == 3  # a signature line on each level
    team_cards = client.get(f"/training/records/teams/{plant['team1'].id}/cards").get_data(as_text=True)
    assert team_cards.count('class="reg-card"') == 2 and "打印（共 2 张）" in team_cards  # leader and new hire


def test_employee_record_is_404_outside_scope(plant, new_hire, client, login, make_employee):
    login(plant["leader2"])
    assert client.get(f"/training/records/employees/{new_hire.id}").status_code == 404
    assert client.get(f"/training/records/employees/{new_hire.id}/export.csv").status_code == 404


def test_team_dashboard_counts_done_and_overdue(plant, make_employee, client, login):
    a, b = make_employee(team=plant["team1"], name="甲"), make_employee(team=plant["team1"], name="乙")
    create_assignment(plant["leader1"], title="读清单", documents=[plant["hazards1"]], exam_id=None,
                      due_on=NOW.date(), people=[a, b], now=NOW)
    db.session.commit()
    study_continuously(a, plant["hazards1"], NOW, 15)
    acknowledge_study(a, plant["hazards1"], NOW + timedelta(minutes=15))
    db.session.commit()
    client.application.config["FROZEN_NOW"] = NOW + timedelta(days=2)
    login(plant["leader1"])
    page = client.get(f"/training/records/teams/{plant['team1'].id}").get_data(as_text=True)
    assert "任务完成率（1/2）" in page and "乙</a>：读清单" in page


def test_item_analysis_lists_most_wrong_questions_with_sources(plant, make_employee, make_exam, sit_exam,
                                                               client, login):
    exam = make_exam()
    items = [{"iid": "a", "qid": 1, "stem": "冲床换模前必须？", "points": 2, "source_title": "冲压工安全操作规程",
              "source_section": "第三条", "source_document_id": plant["sop_press"].id},
             {"iid": "b", "qid": 2, "stem": "简单题", "points": 2, "source_title": "", "source_section": ""}]
    for who in (make_employee(), make_employee()):
        sit_exam(who, exam, 50, items=items, item_scores={"a": 0, "b": 2})
    login(plant["safety"])
    page = client.get("/training/records/items").get_data(as_text=True)
    assert "冲床换模前必须？" in page and "2/2" in page and "冲压工安全操作规程" in page and "简单题" not in page


def test_leader_home_shows_own_team_figures_and_employee_home_does_not(plant, make_employee, client, login):
    worker = make_employee(team=plant["team1"], name="一班成员")
    login(plant["leader1"])
    home = client.get("/").get_data(as_text=True)
    assert "冲压一班 · 培训概况" in home and "冲压二班 · 培训概况" not in home
    client.post("/auth/logout")
    login(worker)
    assert "培训概况" not in client.get("/").get_data(as_text=True)


def test_exports_with_control_characters_in_old_rows_still_open(plant, make_employee, client, login):
    # Stored before names were checked (PostgreSQL refuses NUL in text at all; SQLite stores it).
    nul = "" if db.engine.dialect.name == "postgresql" else "\x00"
    make_employee(team=plant["team1"], name=f"李{nul}四\x1b\x07")
    login(plant["leader1"])
    for fmt in ("xlsx", "csv"):
        response = client.get(f"/training/records/teams/{plant['team1'].id}/export.{fmt}")
        assert response.status_code == 200, fmt
        assert response.headers["Cache-Control"] == "no-store"
        if fmt == "csv":
            assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
            assert "李四" in response.get_data().decode("utf-8-sig")
        else:
            sheet = load_workbook(io.BytesIO(response.data)).active
            assert "李四" in [c for row in sheet.iter_rows(values_only=True) for c in row]
