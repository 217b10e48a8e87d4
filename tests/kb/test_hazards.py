"""LEC grading at each threshold boundary, scale checks, and the safe xlsx export."""

import io

import pytest
from openpyxl import load_workbook

from core.exports import csv_bytes, safe_cell, xlsx_bytes
from kb.hazards import danger_text, grade_for, scale_problem
from kb.models import HazardRow


def danger(likelihood, exposure, consequence):
    """D of a hazard row with these L, E and C."""
    return HazardRow(likelihood=likelihood, exposure=exposure, consequence=consequence).danger


@pytest.mark.parametrize(("d", "grade"), [
    (400, "重大"), (320, "重大"), (319.99, "较大"), (160, "较大"), (159.99, "一般"),
    (70, "一般"), (69.99, "低"), (20, "低"), (0.05, "低"),
])
def test_grade_boundaries(d, grade):
    """A value on a boundary belongs to the more severe grade: D = 70 (1 × 10 × 7) is 一般, not 低."""
    assert grade_for(d, {"red": 320, "orange": 160, "yellow": 70}).name == grade


def test_colours_follow_grades():
    limits = {"red": 320, "orange": 160, "yellow": 70}
    assert [grade_for(d, limits).colour for d in (320, 160, 70, 63)] == ["红", "橙", "黄", "蓝"]
    assert grade_for(danger(1, 10, 7), limits).label == "一般风险（黄）"


@pytest.mark.parametrize(("d", "text"), [
    (320, "极其危险"), (319.99, "高度危险"), (160, "高度危险"), (159.99, "显著危险"), (70, "显著危险"),
    (69.99, "一般危险"), (20, "一般危险"), (19.99, "稍有危险"),
])
def test_lec_wording_boundaries(d, text):
    assert danger_text(d).startswith(text)


def test_danger_is_rounded_product():
    assert danger(0.2, 10, 40) == 80
    assert danger(0.1, 0.5, 1) == 0.05
    assert danger(3, 6, 15) == 270


def test_thresholds_are_configurable(app):
    app.config["LEC_THRESHOLDS"] = {"red": 400}
    assert grade_for(350).name == "较大"
    assert grade_for(400).name == "重大"


@pytest.mark.parametrize(("letter", "value", "ok"), [
    ("L", 0.1, True), ("L", 10, True), ("L", 2, False), ("E", 0.5, True), ("E", 7, False),
    ("C", 100, True), ("C", 50, False), ("C", "高", False), ("L", True, False), ("L", None, False),
])
def test_scale_values(letter, value, ok):
    assert (scale_problem(letter, value) is None) is ok


def test_safe_cell_neutralises_formulas():
    assert safe_cell("=HYPERLINK(\"http://x\",\"y\")") == "'=HYPERLINK(\"http://x\",\"y\")"
    assert [safe_cell(v) for v in ("+1", "-2", "@SUM(A1)", "正常")] == ["'+1", "'-2", "'@SUM(A1)", "正常"]
    assert safe_cell(-2) == -2 and safe_cell(None) == ""


def test_xlsx_cells_starting_with_equals_are_text():
    data = xlsx_bytes(["a", "b"], [["=1+1", 3]], title="清单")
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A3"].value == "'=1+1" and sheet["A3"].data_type == "s"
    assert sheet["B3"].value == 3


def test_csv_has_bom_and_safe_cells():
    data = csv_bytes(["名称"], [["=cmd|' /C calc'!A0"]])
    assert data.startswith("\ufeff".encode())
    assert "'=cmd" in data.decode("utf-8-sig")
