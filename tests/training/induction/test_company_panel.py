"""The safety department's home shows the company: 准许上岗率, inductions under way, overdue by department."""

from __future__ import annotations

import re
from datetime import date

import pytest

from core.extensions import db
from tests.conftest import NOW
from training.induction.models import Level
from training.induction.services.history import PaperLevelData, record_paper_induction


def _stat(page: str, label: str) -> str:
    found = re.search(r'<div class="stat"><b[^>]*>([^<]+)</b><span>' + label + "</span>", page)
    assert found, f"no figure {label}"
    return found.group(1)


@pytest.mark.config(FROZEN_NOW=NOW)
def test_safety_department_home_shows_company_figures(plant, new_hire, make_employee, client, login):
    veteran = make_employee(team=plant["team1"], position=plant["press"], name="赵红梅", hire_date=date(2018, 3, 12))
    db.session.commit()
    login(plant["safety"])
    page = client.get("/").get_data(as_text=True)
    assert _stat(page, "准许上岗率") == "0%"  # the new hire is still in training; the veteran has no record yet
    assert _stat(page, "三级教育进行中") == "1" and _stat(page, "无三级教育记录") == "5"

    record_paper_induction(plant["officer"], veteran, [
        PaperLevelData(level, date(2018, 3, 12), date(2018, 3, 14), 8, "三级安全教育", True, "王安全", "刘安全部", 90)
        for level in Level], NOW)
    db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert _stat(page, "准许上岗率") == "50%" and _stat(page, "无三级教育记录") == "4"
    row = re.search(r">冲压车间</a></td>(.*?)</tr>", page, re.S).group(1)
    assert [cell for cell in re.findall(r">([^<>]+)</td>", row)] == ["5", "50%", "1", "0"]


def test_the_panel_is_the_safety_departments_only(plant, client, login):
    login(plant["officer"])
    assert "全公司培训概况" not in client.get("/").get_data(as_text=True)
