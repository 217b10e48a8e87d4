"""Both importers read damaged or oversized .xlsx files in bounded time, name what is wrong
and write nothing (the files are built here, in a temporary folder)."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from core.exceptions import ValidationFailed
from core.extensions import db
from org.models import Employee, Role
from org.roster_import import read_roster
from training.quiz.models import Question
from training.quiz.services.bank_import import XLSX_COLUMNS, read_xlsx

ROSTER_HEADER = ["工号", "姓名", "部门"]
BANK_HEADER = [label for _name, label in XLSX_COLUMNS]
SHEET = "xl/worksheets/sheet1.xml"
OPEN = '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
CLOSE = "</sheetData></worksheet>"


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _header_row(header: list[str]) -> str:
    cells = "".join(_inline(f"{chr(65 + i)}1", text) for i, text in enumerate(header))
    return f'<row r="1">{cells}</row>'


def _book(header: list[str]) -> bytes:
    book = Workbook()
    book.active.append(header)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _rewrite(payload: bytes, part: str, change) -> bytes:
    """The archive with one part changed (``change`` returns new bytes, or None to drop it)."""
    source = zipfile.ZipFile(io.BytesIO(payload))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == part:
                data = change(data)
            if data is not None:
                target.writestr(item, data)
    return out.getvalue()


def _with_rows(header: list[str], rows: str) -> bytes:
    return _rewrite(_book(header), SHEET, lambda _old: (OPEN + _header_row(header) + rows + CLOSE).encode())


DAMAGED = {
    "truncated": (lambda h: _rewrite(_book(h), SHEET, lambda old: old[: len(old) // 2]), "无法解析"),
    "missing sheet": (lambda h: _rewrite(_book(h), SHEET, lambda _old: None), "找不到工作表"),
    "shared string": (lambda h: _with_rows(h, '<row r="2"><c r="A2" t="s"><v>99</v></c></row>'),
                      "第 2 行的单元格引用了不存在的共享文本"),
    "text in number": (lambda h: _with_rows(h, '<row r="2"><c r="A2" t="n"><v>abc</v></c></row>'),
                       "第 2 行有数字格式的单元格，内容却不是数字"),
    "bad date": (lambda h: _with_rows(h, '<row r="2"><c r="A2" t="d"><v>2026-13-45</v></c></row>'),
                 "第 2 行有日期格式的单元格，内容不是有效日期"),
    "absurd reference": (lambda h: _with_rows(h, '<row r="9999999">' + _inline("XFD9999999", "x") + "</row>"),
                         "之后仍有行"),
    "not a zip": (lambda h: b"PK\x03\x04 not really", "不是 .xlsx 格式"),
}


def _save(tmp_path: Path, name: str, payload: bytes) -> bytes:
    path = tmp_path / f"{name}.xlsx"
    path.write_bytes(payload)
    return path.read_bytes()


@pytest.mark.parametrize("kind", DAMAGED)
def test_a_damaged_roster_is_refused_with_what_is_wrong(app, tmp_path, kind):
    build, words = DAMAGED[kind]
    with pytest.raises(ValidationFailed) as refused:
        read_roster("花名册.xlsx", _save(tmp_path, kind, build(ROSTER_HEADER)))
    assert words in " ".join(refused.value.problems)


@pytest.mark.parametrize("kind", DAMAGED)
def test_a_damaged_question_sheet_is_refused_with_what_is_wrong(app, tmp_path, kind):
    build, words = DAMAGED[kind]
    with pytest.raises(ValidationFailed) as refused:
        read_xlsx(_save(tmp_path, kind, build(BANK_HEADER)))
    assert words in " ".join(refused.value.problems)


def _empty_rows(header: list[str], count: int) -> bytes:
    return _with_rows(header, "<row/>" * count)


def _timed(read) -> tuple[float, int]:
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(ValidationFailed):
        read()
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return elapsed, peak


def test_three_million_empty_rows_are_refused_in_seconds_with_bounded_memory(app, tmp_path):
    payload = _save(tmp_path, "empty", _empty_rows(ROSTER_HEADER, 3_000_000))
    assert len(payload) < 500 * 1024  # the size of the file in the report
    for read in (lambda: read_roster("花名册.xlsx", payload), lambda: read_xlsx(payload)):
        elapsed, peak = _timed(read)
        assert elapsed < 5 and peak < 50 * 1024 * 1024
    with pytest.raises(ValidationFailed) as refused:
        read_roster("花名册.xlsx", payload)
    assert "解压后超过 16 MB" in refused.value.problems[0]


def test_empty_rows_are_skipped_and_a_sheet_running_on_past_the_scan_bound_is_refused(app):
    def sheet(empty: int) -> bytes:
        line = empty + 2
        cells = _inline(f"A{line}", "10001") + _inline(f"B{line}", "张三") + _inline(f"C{line}", "CY")
        data = f'<row r="{line}">{cells}</row>'
        return _with_rows(ROSTER_HEADER, "<row/>" * empty + data)

    found = read_roster("花名册.xlsx", sheet(15_000))
    assert [(row.line, row.values["name"]) for row in found] == [(15_002, "张三")]
    started = time.perf_counter()
    with pytest.raises(ValidationFailed) as refused:
        read_roster("花名册.xlsx", sheet(500_000))
    assert "第 20001 行之后仍有行" in refused.value.problems[0]
    assert time.perf_counter() - started < 10


def test_the_row_limit_counts_data_rows_and_stops_reading(app):
    book = Workbook()
    book.active.append(ROSTER_HEADER)
    for n in range(5001):
        book.active.append([f"1{n:05d}", f"员工{n}", "CY"])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(ValidationFailed) as refused:
        read_roster("花名册.xlsx", buffer.getvalue())
    assert "一次最多导入 5000 行" in refused.value.problems[0] and "第 5002 行起" in refused.value.problems[0]


def test_a_wrong_header_is_refused_before_any_row_is_read(app):
    payload = _with_rows(["编号", "名字"], '<row r="2"><c r="A2" t="s"><v>99</v></c></row>')
    with pytest.raises(ValidationFailed) as refused:
        read_roster("花名册.xlsx", payload)
    assert "缺少列" in refused.value.problems[0]


def test_damaged_uploads_answer_422_and_write_nothing(client, login, make_employee, make_document):
    login(make_employee(roles={Role.ADMIN, Role.SAFETY_DEPT}))
    before = db.session.scalar(select(func.count()).select_from(Employee))
    for kind, (build, words) in DAMAGED.items():
        roster = client.post("/admin/roster/", data={"file": (io.BytesIO(build(ROSTER_HEADER)), f"{kind}.xlsx")},
                             content_type="multipart/form-data")
        bank = client.post("/quiz/manage/questions/import",
                           data={"file": (io.BytesIO(build(BANK_HEADER)), f"{kind}.xlsx")},
                           content_type="multipart/form-data")
        assert roster.status_code == 422 and words in roster.get_data(as_text=True), kind
        assert bank.status_code == 422 and words in bank.get_data(as_text=True), kind
    assert db.session.scalar(select(func.count()).select_from(Employee)) == before
    assert db.session.scalar(select(func.count()).select_from(Question)) == 0


def test_a_csv_field_over_128_kb_is_refused_with_its_line(app):
    payload = ("工号,姓名,部门\r\n10001,张三,CY\r\n10002," + "长" * 140_000 + ",CY\r\n").encode("utf-8")
    with pytest.raises(ValidationFailed) as refused:
        read_roster("花名册.csv", payload)
    assert "第 3 行有单元格超过 131072 个字符" in refused.value.problems[0]
