"""Import questions from content/questions/*.yaml and from the xlsx template (all or nothing)."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from openpyxl import Workbook
from sqlalchemy import select

from core.audit import audit_action
from core.exceptions import ValidationFailed
from core.extensions import db
from core.sheets import read_sheet
from org.models import Employee
from training.quiz.models import Question
from training.quiz.services.bank import (
    FIELD_LABELS,
    LEVEL_WORDS,
    TYPE_WORDS,
    CheckedQuestion,
    QuestionData,
    apply_question,
    check_question,
)

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class Parsed:
    where: str  # "company.yaml 第 3 题（第 20 行）" or "第 5 行"
    data: QuestionData
    columns: dict[str, str]  # field -> column letter (xlsx only)


def _yaml_items(path: Path) -> list[Parsed]:
    text = path.read_text(encoding="utf-8")
    try:
        items = yaml.load(text, Loader=LOADER) or []
        nodes = yaml.compose(text, Loader=LOADER)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f"第 {mark.line + 1} 行" if mark else ""
        raise ValidationFailed("题库文件有误，未写入任何题目。", [f"{path.name} {line}：YAML 格式错误"]) from error
    if not isinstance(items, list):
        raise ValidationFailed("题库文件有误，未写入任何题目。", [f"{path.name}：文件内容须为题目列表"])
    parsed = []
    for number, (item, node) in enumerate(zip(items, nodes.value, strict=True), 1):
        where = f"{path.name} 第 {number} 题（第 {node.start_mark.line + 1} 行）"
        if not isinstance(item, dict):
            item = {}
        data = QuestionData(
            key=str(item.get("key") or "").strip(), type=str(item.get("type") or ""),
            level=str(item.get("level") or ""), topic=str(item.get("topic") or ""),
            stem=str(item.get("stem") or ""), options=[str(o) for o in item.get("options") or []],
            answer=item.get("answer"), explanation=str(item.get("explanation") or ""),
            source=str(item.get("source") or ""), source_section=str(item.get("source_section") or ""),
            difficulty=item.get("difficulty", 1), positions=[str(p) for p in item.get("positions") or []])
        parsed.append(Parsed(where, data, {}))
    return parsed


def read_yaml(path: Path) -> list[Parsed]:
    """Every question item of a file, or of every *.yaml in a folder (sorted)."""
    files = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    return [item for file in files for item in _yaml_items(file)]


def check_all(items: Iterable[Parsed], describe: Callable[[Parsed, str, str], str]) -> list[CheckedQuestion]:
    """Check every item; raise ValidationFailed listing every problem (nothing is written)."""
    problems: list[str] = []
    checked: list[CheckedQuestion] = []
    keys: dict[str, str] = {}
    for item in items:
        if not item.data.key:
            problems.append(describe(item, "key", "缺少编号 key"))
        elif item.data.key in keys:
            problems.append(describe(item, "key", f"编号 {item.data.key} 与 {keys[item.data.key]} 重复"))
        else:
            keys[item.data.key] = item.where
        result, item_problems = check_question(item.data)
        problems.extend(describe(item, name, reason) for name, reason in item_problems)
        if result is not None:
            checked.append(result)
    if problems:
        raise ValidationFailed(f"发现 {len(problems)} 处问题，未写入任何题目。", problems)
    return checked


def import_checked(checked: Iterable[CheckedQuestion], progress: Callable[[], None] | None = None) -> ImportReport:
    """Create or update questions by key (idempotent: unchanged ones are left alone)."""
    report = ImportReport()
    for item in checked:
        existing = db.session.scalar(select(Question).where(Question.key == item.data.key))
        _question, changed = apply_question(existing, item)
        if existing is None:
            report.created += 1
        elif changed:
            report.updated += 1
        else:
            report.unchanged += 1
        if progress:
            progress()
    return report


def check_question_sheet(content: bytes) -> list[CheckedQuestion]:
    """Read and check an uploaded xlsx template (the slow part; reads only), or raise ValidationFailed."""
    return check_all(read_xlsx(content), describe_xlsx)


def import_question_sheet(actor: Employee, checked: list[CheckedQuestion], now: datetime) -> ImportReport:
    """Import checked questions by key (all or nothing) and audit it (the caller commits)."""
    report = import_checked(checked)
    audit_action("questions.import", actor=actor, now=now, detail=report.__dict__)
    return report


def describe_yaml(item: Parsed, name: str, reason: str) -> str:
    return f"{item.where}，字段 {name}：{reason}"


def describe_xlsx(item: Parsed, name: str, reason: str) -> str:
    column = item.columns.get(name, "")
    return f"{item.where}{f'，{column} 列' if column else ''}（{FIELD_LABELS.get(name, name)}）：{reason}"


# --- the xlsx template -------------------------------------------------------------------------

XLSX_COLUMNS = [
    ("key", "编号"), ("type", "题型"), ("level", "级别"), ("topic", "主题"), ("difficulty", "难度"),
    ("positions", "适用岗位"), ("stem", "题干"), ("A", "选项A"), ("B", "选项B"), ("C", "选项C"),
    ("D", "选项D"), ("E", "选项E"), ("F", "选项F"), ("answer", "答案"), ("explanation", "解析"),
    ("source", "来源文档"), ("source_section", "条款/章节"),
]
OPTION_COLUMNS = "ABCDEF"


def template_workbook() -> bytes:
    """The xlsx template offered for download: headers, one example and instructions."""
    book = Workbook()
    sheet = book.active
    sheet.title = "题目"
    sheet.append([label for _name, label in XLSX_COLUMNS])
    sheet.append(["company-101", "单选", "公司级", "安全生产方针", 1, "", "安全生产工作坚持的方针是？",
                  "预防为主、防消结合", "安全第一、预防为主、综合治理", "效益优先", "生产第一", "", "", "B",
                  "依据《安全生产法》第三条。", "work-safety-law", "第三条"])
    notes = book.create_sheet("填写说明")
    for row in [
        ("编号", "唯一编号，重复导入时按编号更新，例如 company-101"),
        ("题型", "单选 / 多选 / 判断（或 single / multiple / truefalse）"),
        ("级别", "公司级 / 部门级 / 班组级"),
        ("难度", "1（易）– 3（难），可空，默认 1"),
        ("适用岗位", "岗位名称（如 冲压工）或岗位代码，多个用顿号或逗号分隔，可空"),
        ("选项A–F", "单选/多选 2–6 个选项，不写字母；判断题不填"),
        ("答案", "单选填一个字母如 B；多选填多个字母如 ACD；判断填 对 / 错"),
        ("来源文档", "知识库文档的编号（slug），例如 work-safety-law"),
    ]:
        notes.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


MAX_ROWS = 5000


def _check_template_header(cells: list[object]) -> None:
    expected = [label for _name, label in XLSX_COLUMNS]
    if [_cell(value) for value in cells][: len(expected)] != expected:
        raise ValidationFailed("表头与模板不一致，未写入任何题目。", [f"第 1 行：表头应为 {'、'.join(expected)}"])


def read_xlsx(content: bytes) -> list[Parsed]:
    """Rows of the template as question data; a file that is not the template fails whole.

    The header is checked first and reading stops past MAX_ROWS questions.
    """
    rows = read_sheet(content, title="无法读取文件，请使用网站提供的 .xlsx 模板。", max_rows=MAX_ROWS,
                      check_header=_check_template_header)
    letters = {name: chr(65 + i) for i, (name, _label) in enumerate(XLSX_COLUMNS)}
    columns = letters | {"options": f"{letters['A']}–{letters['F']}"}
    parsed = []
    for row in rows:
        cells = {name: _cell(row.cells[i] if i < len(row.cells) else None)
                 for i, (name, _label) in enumerate(XLSX_COLUMNS)}
        if not any(cells.values()):
            continue
        data = QuestionData(
            key=cells["key"], type=TYPE_WORDS.get(cells["type"], cells["type"]),
            level=LEVEL_WORDS.get(cells["level"], cells["level"]), topic=cells["topic"], stem=cells["stem"],
            options=[cells[c] for c in OPTION_COLUMNS if cells[c]], answer=cells["answer"],
            explanation=cells["explanation"], source=cells["source"], source_section=cells["source_section"],
            difficulty=cells["difficulty"] or 1,
            positions=[p for p in cells["positions"].replace("，", ",").split(",") if p.strip()])
        parsed.append(Parsed(f"第 {row.line} 行", data, columns))
    if not parsed:
        raise ValidationFailed("表格中没有题目。", ["第 2 行起没有任何题目"])
    return parsed
