"""Spreadsheet exports (xlsx and CSV) that are safe to open in Excel/WPS.

A cell whose text starts with ``= + - @`` (or a tab/carriage return) would be run as a
formula by a spreadsheet program (CSV/formula injection); :func:`safe_cell` prefixes such
text with an apostrophe so it is shown as text. Characters a spreadsheet cannot hold (control
characters other than tab and line breaks, unpaired surrogates) are dropped first, so old rows
that carry NUL or ESC still export. Numbers, dates and booleans pass through.

Every export is sent with :func:`download`: ``Cache-Control: no-store``, the right content
type (charset once) and a UTF-8 file name.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from flask import Response

from core.clock import local

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What an xlsx cell cannot hold (openpyxl raises IllegalCharacterError) and what a CSV reader
# would choke on: C0 controls except tab/LF/CR, DEL, C1 controls and unpaired surrogates.
UNHOLDABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def clean_text(value: Any) -> str:
    """Text with the characters a spreadsheet cannot hold removed."""
    return UNHOLDABLE.sub("", str(value))


def safe_cell(value: Any) -> Any:
    """The value, cleaned of unholdable characters and with formula-like text neutralised
    by a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, float) and not math.isfinite(value):
        return ""  # a spreadsheet has no NaN or infinity
    if isinstance(value, datetime) and value.tzinfo is not None:
        return local(value).replace(tzinfo=None)  # a spreadsheet has no time zones: the company's time
    if isinstance(value, bool | int | float | date | datetime):
        return value
    text = clean_text(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def xlsx_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]], *, sheet_title: str = "Sheet1",
               title: str | None = None, widths: Sequence[int] | None = None) -> bytes:
    """One worksheet: optional title line, bold header row, then the rows, every cell made safe."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = re.sub(r"[\\/*?:\[\]]", " ", clean_text(sheet_title))[:31] or "Sheet1"
    if title:
        sheet.append([safe_cell(title)])
        sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
    sheet.append([safe_cell(h) for h in headers])
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
    for cells in sheet.iter_rows(min_row=header_row + 1):
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, even if openpyxl guessed one
    for index, width in enumerate(widths or (), start=1):
        sheet.column_dimensions[sheet.cell(row=header_row, column=index).column_letter].width = width
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 CSV with a byte-order mark (so Excel opens Chinese text correctly), cells made safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(h) for h in headers])
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIMETYPE = "text/csv; charset=utf-8"


PLAIN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,100}")
UNSAFE_IN_NAME = re.compile(r"[\t\r\n/\\]")


def download(body: bytes, content_type: str, filename: str) -> Response:
    """An export as an attachment: never cached, charset named once, the (Chinese) name kept
    for browsers that read ``filename*`` and an ASCII one for those that do not."""
    filename = UNSAFE_IN_NAME.sub("_", clean_text(filename))
    suffix = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    ascii_name = filename if PLAIN_NAME.fullmatch(filename) else f"export.{suffix}"
    return Response(body, content_type=content_type, headers={
        "Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}",
        "Cache-Control": "no-store",
    })
