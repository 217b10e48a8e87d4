"""Exports open safely in a spreadsheet: formulas as text, unholdable characters dropped, never cached."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from core.exports import CSV_MIMETYPE, csv_bytes, download, safe_cell, xlsx_bytes

HOSTILE = ["=HYPERLINK(\"http://evil\",\"x\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1",
           "\x00=cmd|' /C calc'!A0", "李\x1b[31m四", "bell\x07", "vt\x0bff\x0c", "del\x7f", "c1\x85",
           "lone\ud800surrogate"]


def test_xlsx_holds_rows_with_control_characters_and_neutralises_formulas():
    body = xlsx_bytes(["姓名\x00"], [[value] for value in HOSTILE], title="清单\x1b", sheet_title="a/b\x00")
    sheet = load_workbook(io.BytesIO(body)).active
    cells = [row[0] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert cells[:5] == ["'=HYPERLINK(\"http://evil\",\"x\")", "'+1+1", "'-2+3", "'@SUM(A1)", "'\t=1"]
    assert cells[5].startswith("'") and cells[5].endswith("=1")  # xlsx XML reads CR back as LF
    assert cells[6] == "'=cmd|' /C calc'!A0"  # the NUL goes, and what it hid is neutralised
    assert cells[7:] == ["李[31m四", "bell", "vtff", "del", "c1", "lonesurrogate"]
    assert sheet.cell(row=1, column=1).value == "清单" and sheet.title == "a b"


def test_csv_neutralises_the_same_way_and_stays_utf8():
    text = csv_bytes(["姓名"], [[value] for value in HOSTILE]).decode("utf-8-sig")
    cells = [row[0] for row in csv.reader(io.StringIO(text))][1:]
    assert all(not c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells)
    assert not any(ch in "".join(cells) for ch in "\x00\x1b\x07\x0b\x0c\x7f\x85")


@pytest.mark.parametrize("value", [3, 2.5, None, True])
def test_numbers_pass_through(value):
    assert safe_cell(value) == ("" if value is None else value)


def test_values_a_spreadsheet_cannot_hold_become_blank_or_local_time(app):
    from datetime import UTC, datetime

    body = xlsx_bytes(["分数", "时间"], [[float("nan"), datetime(2026, 11, 23, 1, 30, tzinfo=UTC)],
                                      [float("inf"), None]])
    rows = list(load_workbook(io.BytesIO(body)).active.iter_rows(min_row=2, values_only=True))
    assert rows == [(None, datetime(2026, 11, 23, 9, 30)), (None, None)]  # Beijing time, no NaN


def test_download_is_never_cached_and_names_the_charset_once(app):
    response = download(b"a", CSV_MIMETYPE, "培训档案\r\n.csv")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="export.csv"; filename*=UTF-8')
    assert "\r" not in response.headers["Content-Disposition"]


def test_method_not_allowed_keeps_its_allow_header(client):
    response = client.get("/auth/logout")
    assert response.status_code == 405 and "不支持该请求方式" in response.get_data(as_text=True)
    assert "POST" in response.headers["Allow"]
