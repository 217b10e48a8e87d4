"""Each kind's typed fields (Revision.fields): what they are, and how raw input is checked.

The same checks serve the web forms and the content importer: :func:`clean_fields` takes
raw values (from YAML or a form) and returns the normalised fields plus a list of problems,
each naming the key (and hazard row) so the caller can point at a form field or file line.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from core.input import day_problem
from kb.hazards import GB6441_TYPES, normalise_accident_type, scale_problem
from kb.models import DocumentKind

LEVELS = ("法律", "行政法规", "部门规章", "地方法规", "国家标准", "行业标准", "企业制度")
VALIDITIES = ("现行", "已修订", "已废止", "待核实")
UNVERIFIED = "待核实"
VIOLATION_TYPES = ("违章指挥", "违章作业", "违反劳动纪律")

LABELS = {
    "title": "标题", "owner": "归口部门", "tags": "标签", "change_note": "修订说明",
    "issuer": "发布机关", "doc_number": "文号/标准号", "level": "层级", "issued_date": "发布日期",
    "effective_date": "施行日期", "validity": "效力", "replaced_by": "被替代为",
    "positions": "适用岗位", "equipment": "设备/工具", "ppe": "劳动防护用品", "before_work": "作业前",
    "during_work": "作业中", "after_work": "作业后", "prohibitions": "禁止事项", "emergency": "应急措施",
    "references": "依据法规", "violation_type": "违章类型", "occurred_on": "发生日期", "department": "发生部门",
    "accident_type": "事故类型", "procedure": "违反的规程", "hazard_list": "涉及的危险源清单",
    "happened": "事件经过", "consequence": "后果", "causes": "原因分析", "lessons": "举一反三",
    "team": "班组", "area": "区域/工序", "rows": "危险源",
    "activity": "作业活动/设备设施", "hazard": "危险源及潜在事件", "L": "L", "E": "E", "C": "C",
    "measures": "控制措施", "responsible": "责任人",
    "verified_on": "最近核实日期", "verified_source": "核实来源", "validity_note": "效力说明",
    "occupational": "职业病危害因素", "factor": "职业病危害因素", "exposure": "接触情况",
    "limit": "职业接触限值及依据", "measured": "检测结果", "judgement": "判定", "disease": "可能导致的职业病",
    "health_check": "职业健康检查",
    "scenario": "适用情形", "hazard_rows": "对应的危险源", "alarm": "报警与报告",
    "response": "处置步骤",
    "evacuation": "疏散与撤离", "cautions": "注意事项", "contacts": "应急联系方式",
    "drill_months": "演练周期（月）",
}
EMERGENCY_LEVELS = ("综合应急预案", "专项应急预案", "现场处置方案")
ONSITE = "现场处置方案"
EMERGENCY_LISTS = ("alarm", "response", "evacuation", "cautions", "contacts", "equipment")
REQUIRED_EMERGENCY_LISTS = ("alarm", "response", "evacuation", "contacts", "equipment")
JUDGEMENTS = ("未超过限值", "超过限值", "待检测")
OCCUPATIONAL_KEYS = ("factor", "activity", "exposure", "limit", "measured", "judgement", "disease", "measures",
                     "health_check", "responsible")
REQUIRED_OCCUPATIONAL = ("factor", "activity", "exposure", "limit", "judgement", "measures", "responsible")
PROCEDURE_LISTS = ("equipment", "ppe", "before_work", "during_work", "after_work", "prohibitions", "emergency")
REQUIRED_PROCEDURE_LISTS = ("ppe", "before_work", "during_work", "after_work", "prohibitions", "emergency")
CASE_TEXTS = ("happened", "consequence", "causes", "lessons")
ROW_KEYS = ("activity", "hazard", "accident_type", "L", "E", "C", "measures", "responsible")
RowCleaner = Callable[[Any], tuple[Any, list]]  # raw row → (cleaned row, [(column, message)])

# The keys each kind's front matter may carry besides the common ones.
KIND_KEYS = {
    DocumentKind.REGULATION: ("issuer", "doc_number", "level", "issued_date", "effective_date", "validity",
                              "replaced_by", "validity_note", "verified_on", "verified_source"),
    DocumentKind.PROCEDURE: ("doc_number", "positions", *PROCEDURE_LISTS, "references"),
    DocumentKind.CASE: ("doc_number", "violation_type", "occurred_on", "department", "accident_type", "procedure",
                        "hazard_list", *CASE_TEXTS),
    DocumentKind.HAZARD_LIST: ("doc_number", "team", "area", "rows", "occupational"),
    DocumentKind.EMERGENCY_PLAN: ("doc_number", "level", "scenario", "positions", "hazard_rows", *EMERGENCY_LISTS,
                                  "drill_months", "references"),
}
COMMON_KEYS = ("title", "owner", "tags", "change_note")


@dataclass
class Known:
    """What references may point at: codes of org units and slugs (→ kind) of documents."""

    positions: set[str] = field(default_factory=set)
    departments: set[str] = field(default_factory=set)
    teams: set[str] = field(default_factory=set)
    slugs: dict[str, str] = field(default_factory=dict)
    # hazard-list slug → the activities of its rows (for emergency plans' "slug#activity" references)
    hazard_rows: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Problem:
    key: str
    message: str
    row: int | None = None  # index into rows (hazard lists) or into occupational
    row_key: str | None = None
    item: int | None = None  # index into a list-valued key (references, positions, hazard_rows)

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        what = "项职业病危害因素" if self.key == "occupational" else "行危险源"
        return f"第 {self.row + 1} {what}：{self.message}"


@dataclass
class Cleaned:
    fields: dict[str, Any]
    rows: list[dict[str, Any]]
    problems: list[Problem]


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _list(value: Any) -> list[str] | None:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [line.strip() for line in value.splitlines() if line.strip()]
    if isinstance(value, list):
        return [_text(item) for item in value if _text(item)]
    return None


def _date(value: Any) -> str | None:
    """An ISO date within the span the application works with (1900–2100), or None."""
    try:
        day = value if isinstance(value, date) else date.fromisoformat(_text(value))
    except ValueError:
        return None
    return None if day_problem(day) else day.isoformat()


class _Checker:
    def __init__(self, raw: Mapping[str, Any], known: Known) -> None:
        self.raw, self.known = raw, known
        self.fields: dict[str, Any] = {}
        self.problems: list[Problem] = []
        self.labels = LABELS

    def fail(self, key: str, message: str, item: int | None = None) -> None:
        self.problems.append(Problem(key, message, item=item))

    def text(self, key: str, required: bool = False, choices: tuple[str, ...] = ()) -> None:
        value = _text(self.raw.get(key))
        if not value and required:
            self.fail(key, f"缺少必填项“{self.labels[key]}”（{key}）")
        elif value and choices and value not in choices:
            self.fail(key, f"{self.labels[key]}“{value}”无效，只能是 {'/'.join(choices)}")
        self.fields[key] = value

    def day(self, key: str, required: bool = False) -> None:
        value = self.raw.get(key)
        if value in (None, ""):
            if required:
                self.fail(key, f"缺少必填项“{self.labels[key]}”（{key}）")
            self.fields[key] = ""
            return
        parsed = _date(value)
        if parsed is None:
            self.fail(key, f"{self.labels[key]}“{value}”不是有效日期（格式 YYYY-MM-DD）")
        self.fields[key] = parsed or ""

    def items(self, key: str, required: bool = False) -> list[str]:
        value = _list(self.raw.get(key))
        if value is None:
            self.fail(key, f"{self.labels[key]}应为列表，每项一条")
            value = []
        elif required and not value:
            self.fail(key, f"缺少必填项“{self.labels[key]}”（{key}），至少填写一条")
        self.fields[key] = value
        return value

    def code(self, key: str, pool: set[str], what: str, required: bool = True) -> None:
        value = _text(self.raw.get(key))
        if not value:
            if required:
                self.fail(key, f"缺少必填项“{self.labels[key]}”（{key}）")
        elif value not in pool:
            self.fail(key, f"未知的{what}代码“{value}”")
        self.fields[key] = value

    def slug(self, key: str, kind: DocumentKind, value: str | None = None, item: int | None = None) -> bool:
        value = _text(self.raw.get(key)) if value is None else value
        if value and self.known.slugs.get(value) is None:
            self.fail(key, f"{self.labels[key]}引用了不存在的文档“{value}”", item)
            return False
        if value and self.known.slugs[value] != kind:
            self.fail(key, f"{self.labels[key]}“{value}”不是{kind.label}", item)
            return False
        return True


def _regulation(c: _Checker) -> None:
    c.text("issuer", True)
    c.text("doc_number", True)
    c.text("level", True, LEVELS)
    c.day("issued_date")
    c.day("effective_date", True)
    c.text("validity", True, VALIDITIES)
    c.text("replaced_by")
    c.slug("replaced_by", DocumentKind.REGULATION)
    c.text("validity_note")
    if c.fields["validity"] == UNVERIFIED and not c.fields["validity_note"]:
        c.fail("validity", "效力为“待核实”时须填写效力说明（validity_note），写明待核实的原因")
    c.day("verified_on")
    c.text("verified_source")
    if c.fields["verified_on"] and not c.fields["verified_source"]:
        c.fail("verified_source", "填写了最近核实日期，也须写明核实来源（verified_source）")


def _procedure(c: _Checker) -> None:
    positions = c.items("positions", True)
    for index, code in enumerate(positions):
        if code not in c.known.positions:
            c.fail("positions", f"未知的岗位代码“{code}”", index)
    for key in PROCEDURE_LISTS:
        c.items(key, key in REQUIRED_PROCEDURE_LISTS)
    for index, slug in enumerate(c.items("references")):
        c.slug("references", DocumentKind.REGULATION, slug, index)


def _case(c: _Checker) -> None:
    c.text("violation_type", True, VIOLATION_TYPES)
    c.day("occurred_on", True)
    c.code("department", c.known.departments, "部门")
    accident = normalise_accident_type(_text(c.raw.get("accident_type")))
    if accident and accident not in GB6441_TYPES:
        c.fail("accident_type", f"事故类型“{accident}”不是 GB 6441-1986 的分类")
    c.fields["accident_type"] = accident
    c.text("procedure")
    c.slug("procedure", DocumentKind.PROCEDURE)
    c.text("hazard_list")
    c.slug("hazard_list", DocumentKind.HAZARD_LIST)
    for key in CASE_TEXTS:
        c.text(key, True)


def _clean_items(c: _Checker, key: str, raw_items: list, clean: RowCleaner, hint: str) -> list[Any]:
    """Each entry of a list field cleaned; a problem names the field, the entry and its column."""
    items = []
    for index, raw in enumerate(raw_items):
        if not isinstance(raw, Mapping):
            c.problems.append(Problem(key, hint, index))
            continue
        item, problems = clean(raw)
        c.problems.extend(Problem(key, message, index, column) for column, message in problems)
        items.append(item)
    return items


def _rows(c: _Checker) -> list[dict[str, Any]]:
    raw_rows = c.raw.get("rows")
    if not isinstance(raw_rows, list) or not raw_rows:
        c.fail("rows", "缺少危险源（rows），至少一行")
        return []
    return _clean_items(c, "rows", raw_rows, clean_row, "应为包含 activity/hazard/… 的条目")


def _occupational(c: _Checker) -> None:
    raw_items = c.raw.get("occupational")
    c.fields["occupational"] = []
    if raw_items in (None, "", []):
        return
    if not isinstance(raw_items, list):
        c.fail("occupational", "职业病危害因素（occupational）应为列表")
        return
    c.fields["occupational"] = _clean_items(c, "occupational", raw_items, clean_occupational,
                                            "应为包含 factor/activity/… 的条目")


def clean_occupational(raw: Mapping[str, Any]) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """One occupational-hazard item (assessed by exposure against GBZ 2.1/2.2 limits, not by LEC)."""
    item = {key: _text(raw.get(key)) for key in OCCUPATIONAL_KEYS}
    problems = [(key, f"缺少“{LABELS[key]}”（{key}）") for key in REQUIRED_OCCUPATIONAL if not item[key]]
    if item["judgement"] and item["judgement"] not in JUDGEMENTS:
        problems.append(("judgement", f"判定“{item['judgement']}”无效，只能是 {'/'.join(JUDGEMENTS)}"))
    unknown = sorted(str(k) for k in raw if k not in OCCUPATIONAL_KEYS)
    if unknown:
        problems.append((unknown[0], f"未知的键“{unknown[0]}”"))
    return item, problems


def _emergency(c: _Checker) -> None:
    c.labels = {**LABELS, "equipment": "应急物资与装备", "level": "预案层级"}
    c.text("level", True, EMERGENCY_LEVELS)
    c.text("scenario", True)
    positions = c.items("positions", c.fields["level"] == ONSITE)
    for index, code in enumerate(positions):
        if code not in c.known.positions:
            c.fail("positions", f"未知的岗位代码“{code}”", index)
    for key in EMERGENCY_LISTS:
        c.items(key, key in REQUIRED_EMERGENCY_LISTS)
    months = c.raw.get("drill_months")
    try:
        c.fields["drill_months"] = int(str(months).strip())
    except (TypeError, ValueError):
        c.fields["drill_months"] = 0
    if isinstance(months, bool) or not 1 <= c.fields["drill_months"] <= 36:
        shown = "" if months is None else months
        c.fail("drill_months", f"演练周期（drill_months）应为 1–36 的月数，实际“{shown}”")
    for index, slug in enumerate(c.items("references")):
        c.slug("references", DocumentKind.REGULATION, slug, index)
    for index, reference in enumerate(c.items("hazard_rows")):
        _hazard_reference(c, reference, index)


def _hazard_reference(c: _Checker, reference: str, index: int) -> None:
    slug, _sep, prefix = reference.partition("#")
    slug, prefix = slug.strip(), prefix.strip()
    if not slug or not prefix:
        c.fail("hazard_rows", f"对应的危险源“{reference}”应写成“清单标识#作业活动开头的文字”", index)
        return
    if not c.slug("hazard_rows", DocumentKind.HAZARD_LIST, slug, index):
        return
    activities = c.known.hazard_rows.get(slug)
    if activities is None:
        return
    matches = [a for a in activities if a.startswith(prefix)]
    if not matches:
        c.fail("hazard_rows", f"危险源清单“{slug}”中没有以“{prefix}”开头的作业活动", index)
    elif len(matches) > 1:
        c.fail("hazard_rows", f"危险源清单“{slug}”中有 {len(matches)} 行以“{prefix}”开头，请写得更完整", index)


def clean_row(raw: Mapping[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """One hazard row checked: required texts, GB 6441 type, allowed L/E/C values."""
    row: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    for key in ("activity", "hazard", "measures", "responsible"):
        row[key] = _text(raw.get(key))
        if not row[key]:
            problems.append((key, f"缺少“{LABELS[key]}”（{key}）"))
    row["accident_type"] = normalise_accident_type(_text(raw.get("accident_type")))
    if row["accident_type"] not in GB6441_TYPES:
        problems.append(("accident_type", f"事故类型“{row['accident_type']}”不是 GB 6441-1986 的分类"))
    for letter in ("L", "E", "C"):
        problem = scale_problem(letter, raw.get(letter))
        if problem:
            problems.append((letter, problem))
            row[letter] = 0.0
        else:
            row[letter] = float(raw[letter])
    return row, problems


def _company_number(c: _Checker) -> None:
    """A company document's own 文件编号 (e.g. AQ-CY-001): optional, one line, at most 60 characters."""
    c.labels = {**c.labels, "doc_number": "文件编号"}
    c.text("doc_number")
    if len(c.fields["doc_number"]) > 60 or "\n" in c.fields["doc_number"]:
        c.fail("doc_number", "文件编号最多 60 个字符，写在一行")
    c.labels = LABELS


def clean_fields(kind: DocumentKind | str, raw: Mapping[str, Any], known: Known) -> Cleaned:
    """Check and normalise a kind's fields; ``problems`` is empty when everything is valid."""
    kind = DocumentKind(kind)
    checker = _Checker(raw, known)
    rows: list[dict[str, Any]] = []
    if kind is not DocumentKind.REGULATION:
        _company_number(checker)
    if kind is DocumentKind.REGULATION:
        _regulation(checker)
    elif kind is DocumentKind.PROCEDURE:
        _procedure(checker)
    elif kind is DocumentKind.CASE:
        _case(checker)
    elif kind is DocumentKind.EMERGENCY_PLAN:
        _emergency(checker)
    else:
        checker.code("team", known.teams, "班组")
        checker.text("area")
        rows = _rows(checker)
        _occupational(checker)
    return Cleaned(checker.fields, rows, checker.problems)


def _parse_piped_lines(text: str, keys: tuple[str, ...], clean: RowCleaner) -> tuple[list[Any], list[str]]:
    """Rows typed one per line with ``keys`` separated by ``|``, each cleaned; errors name the line."""
    rows, errors = [], []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) != len(keys):
            errors.append(f"第 {number} 行：应有 {len(keys)} 栏（用 | 分隔），实际 {len(parts)} 栏")
            continue
        row, problems = clean(dict(zip(keys, parts, strict=True)))
        errors.extend(f"第 {number} 行：{message}" for _key, message in problems)
        rows.append(row)
    return rows, errors


def parse_hazard_lines(text: str) -> tuple[list[dict[str, Any]], list[str]]:
    """Rows typed one per line as ``作业活动 | 危险源 | 事故类型 | L | E | C | 控制措施 | 责任人``."""
    rows, errors = _parse_piped_lines(text, ROW_KEYS, clean_row)
    if not rows and not errors:
        errors.append("至少填写一行危险源")
    return rows, errors


def format_hazard_lines(rows: list[Any]) -> str:
    """HazardRow objects (or row dicts) back into the one-line-per-row editing format."""
    def get(row: Any, key: str) -> Any:
        attr = {"L": "likelihood", "E": "exposure", "C": "consequence"}.get(key, key)
        return row[key] if isinstance(row, Mapping) else getattr(row, attr)

    def show(value: Any) -> str:
        return f"{value:g}" if isinstance(value, float) else str(value)

    return "\n".join(" | ".join(show(get(row, key)).replace("|", "｜") for key in ROW_KEYS) for row in rows)


def parse_occupational_lines(text: str) -> tuple[list[dict[str, str]], list[str]]:
    """Occupational items typed one per line, the ten columns of OCCUPATIONAL_KEYS separated by ``|``."""
    return _parse_piped_lines(text, OCCUPATIONAL_KEYS, clean_occupational)


def format_occupational_lines(items: list[Mapping[str, Any]]) -> str:
    """Occupational items back into the one-line-per-item editing format."""
    return "\n".join(" | ".join(_text(item.get(key)).replace("|", "｜") for key in OCCUPATIONAL_KEYS)
                     for item in items)
