"""Read an uploaded .xlsx as a stream: the header first, then non-empty rows up to a limit.

Both importers (the roster and the question bank) read through here. The cost is bounded
before anything is parsed (the unpacked size of the archive), rows are read one at a time
with openpyxl's read-only reader, and every damaged file becomes a ``ValidationFailed``
naming what is wrong, so the caller writes nothing.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from openpyxl import load_workbook

from core.exceptions import ValidationFailed

# An honest sheet of 5,000 rows unpacks to a few MB; these bound time and memory for any file.
MAX_PART_BYTES = 16 * 1024 * 1024
MAX_UNPACKED_BYTES = 48 * 1024 * 1024
MAX_COLUMNS = 200
SCAN_FACTOR = 4  # rows read at most, empty ones included, per row allowed


@dataclass
class SheetRow:
    """One row as read: ``line`` is its spreadsheet row number, ``cells`` its raw values."""

    line: int
    cells: list[object]


def _refuse(reason: str, title: str) -> ValidationFailed:
    return ValidationFailed(title, [reason])


def _check_archive(payload: bytes, title: str) -> None:
    """Refuse what is not a zip archive, or unpacks to more than an honest sheet could."""
    try:
        with zipfile.ZipFile(io.BytesIO(payload)) as archive:
            sizes = [item.file_size for item in archive.infolist()]
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise _refuse("文件已损坏或不是 .xlsx 格式。", title) from error
    if max(sizes, default=0) > MAX_PART_BYTES or sum(sizes) > MAX_UNPACKED_BYTES:
        raise _refuse(f"表格解压后超过 {MAX_PART_BYTES // 1024 // 1024} MB（可能含大量空行或格式），"
                      "请只保留需要导入的行后重新上传。", title)


def _first_sheet(payload: bytes, title: str):
    _check_archive(payload, title)
    try:
        workbook = load_workbook(io.BytesIO(payload), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged file
        raise _refuse(f"文件已损坏或不是 .xlsx 格式（{type(error).__name__}）。", title) from error
    if not workbook.worksheets:
        workbook.close()
        raise _refuse("工作簿中找不到工作表（文件不完整）。", title)
    sheet = workbook.worksheets[0]
    sheet.reset_dimensions()  # the stated size may lie; rows are counted as they are read
    return workbook, sheet


def _damage(error: Exception, line: int) -> str:
    """What is wrong with the file, in words, for an error raised while reading row ``line``."""
    text = str(error)
    if isinstance(error, SyntaxError):  # xml.etree and lxml parse errors
        return f"表格内容不完整或已损坏：读到第 {line} 行时无法解析。"
    if isinstance(error, IndexError):
        return f"第 {line} 行的单元格引用了不存在的共享文本（文件已损坏）。"
    if isinstance(error, KeyError):
        return "工作表数据缺失（文件不完整）。"
    if "int()" in text or "float" in text:
        return f"第 {line} 行有数字格式的单元格，内容却不是数字。"
    if any(word in text for word in ("date", "year", "month", "day", "hour", "minute", "second")):
        return f"第 {line} 行有日期格式的单元格，内容不是有效日期。"
    return f"第 {line} 行有单元格的值或位置无效。"


def _rows(sheet, title: str, last_line: int) -> Iterator[SheetRow]:
    """Every row including empty ones (numbered) up to ``last_line``, raising ValidationFailed on damage."""
    line = 0
    rows = sheet.iter_rows(values_only=True)
    while True:
        try:
            cells = next(rows, None)
        except (SyntaxError, ValueError, TypeError, IndexError, KeyError, OverflowError, EOFError,
                zipfile.BadZipFile) as error:
            raise _refuse(_damage(error, line + 1), title) from error
        if cells is None:
            return
        line += 1
        if line > last_line:
            raise _refuse(f"表格在第 {last_line} 行之后仍有行（空行或带格式的行也算），"
                          "请删除多余的行后重新上传。", title)
        yield SheetRow(line, list(cells[:MAX_COLUMNS]))


def _is_empty(cells: list[object]) -> bool:
    return all(value is None or not str(value).strip() for value in cells)


def read_sheet(payload: bytes, *, title: str, max_rows: int,
               check_header: Callable[[list[object]], None]) -> list[SheetRow]:
    """The non-empty data rows of the first sheet, after ``check_header`` accepted row 1.

    Stops as soon as a row past ``max_rows`` non-empty data rows appears; empty rows are
    skipped without being kept, and a sheet whose rows (empty ones too) go on past
    ``SCAN_FACTOR × max_rows`` is refused, so the cost is bounded whatever the file holds.
    ``title`` heads every refusal.
    """
    workbook, sheet = _first_sheet(payload, title)
    try:
        rows = _rows(sheet, title, SCAN_FACTOR * max_rows + 1)
        header = next(rows, None)
        check_header(header.cells if header else [])
        found: list[SheetRow] = []
        for row in rows:
            if _is_empty(row.cells):
                continue
            if len(found) == max_rows:
                raise _refuse(f"一次最多导入 {max_rows} 行，本文件超过 {max_rows} 行（第 {row.line} 行起）。",
                              "行数过多。")
            found.append(row)
        return found
    finally:
        workbook.close()
