"""Currency rules of ``flask content check``: nothing is taught from a standard that is no longer in force.

Errors (the check fails, naming file and line):

- a procedure's or emergency plan's ``references`` or a question's ``source`` points at a
  regulation whose validity is 已废止 or 已修订 (repealed or replaced);
- any line of a document, case, hazard list, emergency plan or question presents the number of
  such a document as current: "现行 GB 2894-2008", "现行标准为《…》GB 2894-2008",
  "GB 2894-2008（现行）", "GB 2894-2008 现行有效". Mentioning the old number for history
  ("2026年3月1日起代替 GB 2894-2008") is fine;
- a training programme (培训方案) lists such a document as study material (asked of the
  training package through the ``content_check_requested`` signal).

Warnings (reported, the check still passes): a regulation or standard (every level except
企业制度) with no 最近核实日期, one verified longer ago than ``REGULATION_VERIFY_MAX_DAYS``
(default 180 days), and every document whose validity is 待核实, with its reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from kb.models import DocumentKind

NOT_CURRENT = ("已废止", "已修订")
DEFAULT_MAX_AGE_DAYS = 180
UNVERIFIED = "待核实"
# "GB 2894-2008", "GB/T 6441-1986", "AQ/T 9006-2010", "GBZ 2.2-2007": the part after the letters is
# matched with or without "/T" and spaces, so "GB 6441-1986" also finds "GB/T 6441-1986".
STANDARD = re.compile(r"^([A-Z]{2,4})(?:/[A-Z])?\s*([\d.]+-\d{4})$")
TITLE = r"(?:《[^》\n]{0,60}》\s*)?"
NEGATION = ("非", "不", "原", "旧")


@dataclass
class Finding:
    where: str  # "path:line" or a programme's name
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class Currency:
    errors: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)


@dataclass(frozen=True)
class Superseded:
    slug: str
    title: str
    doc_number: str
    validity: str
    replaced_by: str

    @property
    def label(self) -> str:
        return f"《{self.title}》（{self.doc_number}，{self.validity}）"


def _number_pattern(doc_number: str) -> str:
    match = STANDARD.match(doc_number.strip())
    if match:
        return rf"(?<![A-Z]){match.group(1)}(?:\s*/\s*[A-Z])?\s*{re.escape(match.group(2))}(?![\d.])"
    return re.escape(doc_number.strip())


def current_claims(superseded: Iterable[Superseded]) -> list[tuple[Superseded, re.Pattern[str]]]:
    """One pattern per not-current document, matching its number presented as current."""
    claims = []
    for doc in superseded:
        if not doc.doc_number.strip():
            continue
        number = _number_pattern(doc.doc_number)
        before = (rf"现行(?:有效)?(?:的)?(?:国家标准|行业标准|标准|规范|规定|法规|规章|文件|版本)?"
                  rf"(?:为|是|：|:)?\s*{TITLE}{number}")
        after = rf"{number}\s*{TITLE}(?:[（(]\s*现行(?:有效)?\s*[)）]|(?:为|是|仍为|仍是)?\s*现行(?:有效)?)"
        claims.append((doc, re.compile(f"(?:{before})|(?:{after})")))
    return claims


def _claim_in(line: str, pattern: re.Pattern[str]) -> bool:
    for match in pattern.finditer(line):
        lead = line[max(0, match.start() - 3):match.start()]
        if not any(word in lead for word in NEGATION):
            return True
    return False


def scan_text(shown: str, text: str, claims: list[tuple[Superseded, re.Pattern[str]]],
              first_line: int = 1) -> list[Finding]:
    """Every line of ``text`` that presents a not-current document's number as current."""
    found = []
    for offset, line in enumerate(text.splitlines()):
        for doc, pattern in claims:
            if _claim_in(line, pattern):
                found.append(Finding(f"{shown}:{first_line + offset}",
                                     f"把{doc.label}当作现行标准引用" + _replacement(doc)))
    return found


def _replacement(doc: Superseded) -> str:
    return f"，应改为引用替代它的文档（{doc.replaced_by}）" if doc.replaced_by else "，应改为引用现行文件"


def superseded_from(sources: Iterable[Any]) -> dict[str, Superseded]:
    """Regulations in the content files whose validity is 已废止 or 已修订, by slug."""
    out = {}
    for source in sources:
        if source.kind is not DocumentKind.REGULATION or source.cleaned is None:
            continue
        fields = source.cleaned.fields
        if fields.get("validity") in NOT_CURRENT:
            out[source.slug] = Superseded(source.slug, str(source.meta.get("title") or "").strip(),
                                          fields.get("doc_number", ""), fields["validity"],
                                          fields.get("replaced_by", ""))
    return out


def _reference_errors(source: Any, superseded: Mapping[str, Superseded]) -> list[Finding]:
    if source.kind not in (DocumentKind.PROCEDURE, DocumentKind.EMERGENCY_PLAN) or source.cleaned is None:
        return []
    references = source.cleaned.fields.get("references") or []
    if not any(slug in superseded for slug in references):
        return []
    found = []
    for index, slug in enumerate(references):
        if slug in superseded:
            line = source.lines.get(("references", index), source.lines.get("references", 1))
            found.append(Finding(f"{source.shown}:{line}", f"依据法规引用了{superseded[slug].label}"
                                 + _replacement(superseded[slug])))
    return found


def _verification_warnings(source: Any, today: date, max_age: int) -> list[Finding]:
    if source.kind is not DocumentKind.REGULATION or source.cleaned is None:
        return []
    fields = source.cleaned.fields
    where = f"{source.shown}:{source.lines.get('validity', 1)}"
    if fields.get("validity") == UNVERIFIED:
        return [Finding(where, f"效力待核实：{fields.get('validity_note') or '未说明原因'}")]
    if fields.get("level") == "企业制度" or fields.get("validity") in NOT_CURRENT:
        return []
    verified = fields.get("verified_on")
    if not verified:
        return [Finding(f"{source.shown}:1", "未记录最近核实日期（verified_on）和核实来源")]
    age = (today - date.fromisoformat(verified)).days
    if age > max_age:
        return [Finding(f"{source.shown}:{source.lines.get('verified_on', 1)}",
                        f"最近核实于 {verified}，已超过 {max_age} 天，请重新核实效力")]
    return []


def _question_findings(path: Path, shown: str, superseded: Mapping[str, Superseded],
                       claims: list[tuple[Superseded, re.Pattern[str]]]) -> list[Finding]:
    text = path.read_text(encoding="utf-8-sig")
    found = scan_text(shown, text, claims)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return found  # the question importer reports syntax errors
    for item in getattr(node, "value", []) if isinstance(node, yaml.SequenceNode) else []:
        for key_node, value_node in getattr(item, "value", []):
            if key_node.value == "source" and str(value_node.value) in superseded:
                doc = superseded[str(value_node.value)]
                found.append(Finding(f"{shown}:{value_node.start_mark.line + 1}",
                                     f"题目来源是{doc.label}" + _replacement(doc)))
    return sorted(found, key=lambda f: int(f.where.rsplit(":", 1)[1]))


def check_currency(root: Path, sources: list[Any], today: date, max_age: int = DEFAULT_MAX_AGE_DAYS,
                   extra: Iterable[Finding] = ()) -> Currency:
    """Apply the rules above to parsed content files (see ``kb.content_import.validate``) and question files."""
    superseded = superseded_from(sources)
    claims = current_claims(superseded.values())
    result = Currency(errors=list(extra))
    for source in sources:
        result.errors.extend(_reference_errors(source, superseded))
        if source.slug not in superseded:
            result.errors.extend(scan_text(source.shown, source.path.read_text(encoding="utf-8-sig"), claims))
        result.warnings.extend(_verification_warnings(source, today, max_age))
    questions = root / "questions"
    if questions.is_dir():
        for path in sorted(questions.glob("*.yaml")):
            shown = str(path.relative_to(root.parent)) if path.is_relative_to(root.parent) else str(path)
            result.errors.extend(_question_findings(path, shown, superseded, claims))
    return result
