"""Content import: content/{regulations,procedures,cases,hazards,emergency}/*.md → published revisions.

Everything is checked before anything is written: one bad file stops the whole import and
every problem is reported as ``path:line: reason``. The import is idempotent: each revision
remembers the SHA-256 of the file it came from, so an unchanged file is a no-op and a
changed file becomes a new revision, published by the system (no author, no approver).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, select

from core.exceptions import ValidationFailed
from core.extensions import db
from kb.fields import COMMON_KEYS, KIND_KEYS, Cleaned, Known, clean_fields
from kb.models import SLUG, Document, DocumentKind, Revision, RevisionStatus
from kb.render import body_problems
from kb.services.publishing import DocumentInput, known_references, make_published, write_content
from org.models import Department

FOLDERS = {
    "regulations": DocumentKind.REGULATION,
    "procedures": DocumentKind.PROCEDURE,
    "hazards": DocumentKind.HAZARD_LIST,
    "cases": DocumentKind.CASE,
    "emergency": DocumentKind.EMERGENCY_PLAN,
}


class _Loader(yaml.SafeLoader):
    """SafeLoader without implicit timestamps: dates stay text and are checked by the kb."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class SourceFile:
    path: Path
    shown: str  # path as reported to the user
    kind: DocumentKind
    slug: str
    digest: str
    meta: dict[str, Any] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1  # file line of the body's first line
    lines: dict[Any, int] = field(default_factory=dict)  # key / (row, key) / row → file line
    cleaned: Cleaned | None = None


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def discover(root: Path) -> list[tuple[Path, DocumentKind]]:
    """Every Markdown file under the four kind folders, in a stable order."""
    found = []
    for folder, kind in FOLDERS.items():
        directory = root / folder
        if directory.is_dir():
            found.extend((path, kind) for path in sorted(directory.glob("*.md")))
    return found


def _line_map(node: yaml.Node, offset: int) -> dict[Any, int]:
    lines: dict[Any, int] = {}
    if not isinstance(node, yaml.MappingNode):
        return lines
    for key_node, value_node in node.value:
        key = key_node.value
        lines[key] = key_node.start_mark.line + offset
        if key == "rows" and isinstance(value_node, yaml.SequenceNode):
            for index, item in enumerate(value_node.value):
                lines[index] = item.start_mark.line + offset
                if isinstance(item, yaml.MappingNode):
                    for row_key, row_value in item.value:
                        lines[(index, row_key.value)] = row_value.start_mark.line + offset
        elif isinstance(value_node, yaml.SequenceNode):  # occupational items, list entries
            for index, item in enumerate(value_node.value):
                lines[(key, index)] = item.start_mark.line + offset
                if isinstance(item, yaml.MappingNode):
                    for item_key, item_value in item.value:
                        lines[(key, index, item_key.value)] = item_value.start_mark.line + offset
    return lines


def parse_file(path: Path, kind: DocumentKind, root: Path) -> tuple[SourceFile, list[str]]:
    """Read one file's front matter and body; problems come back as ``path:line: reason``."""
    try:
        shown = str(path.relative_to(root.parent))
    except ValueError:
        shown = str(path)
    raw = path.read_bytes()
    source = SourceFile(path, shown, kind, path.stem, hashlib.sha256(raw).hexdigest())
    problems: list[str] = []
    if not SLUG.match(source.slug):
        problems.append(f"{shown}:1: 文件名“{path.name}”不合规：标识只能由小写字母、数字和连字符组成")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return source, problems + [f"{shown}:1: 文件不是 UTF-8 编码"]
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return source, problems + [f"{shown}:1: 缺少 YAML 前置信息（文件须以 --- 开头）"]
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        return source, problems + [f"{shown}:1: YAML 前置信息没有结束行 ---"]
    front = "\n".join(lines[1:end])
    try:
        meta = yaml.load(front, Loader=_Loader)  # noqa: S506  (a SafeLoader subclass)
        node = yaml.compose(front, Loader=_Loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = mark.line + 2 if mark else 1
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        return source, problems + [f"{shown}:{line}: YAML 语法错误：{reason}"]
    if not isinstance(meta, dict):
        return source, problems + [f"{shown}:2: YAML 前置信息应为“键: 值”的映射"]
    body = "\n".join(lines[end + 1:])
    source.meta, source.body = meta, body.strip() + "\n"
    source.body_line = end + 2 + body[:len(body) - len(body.lstrip())].count("\n")
    source.lines = _line_map(node, 2) if node is not None else {}
    return source, problems


def _where(source: SourceFile, key: str, row: int | None = None, row_key: str | None = None) -> int:
    if key == "occupational" and row is not None:
        return source.lines.get((key, row, row_key), source.lines.get((key, row), source.lines.get(key, 1)))
    if row is not None:
        return source.lines.get((row, row_key), source.lines.get(row, source.lines.get("rows", 1)))
    return source.lines.get(key, 1)


def check_file(source: SourceFile, known: Known) -> list[str]:
    """Common keys, unknown keys, then the kind's own fields."""
    meta, shown = source.meta, source.shown
    problems = []
    for key in ("title", "owner"):
        if not str(meta.get(key) or "").strip():
            problems.append(f"{shown}:1: 缺少必填项“{key}”")
    owner = str(meta.get("owner") or "").strip()
    if owner and owner not in known.departments:
        problems.append(f"{shown}:{_where(source, 'owner')}: 未知的部门代码“{owner}”")
    allowed = set(COMMON_KEYS) | set(KIND_KEYS[source.kind])
    for key in meta:
        if key not in allowed:
            problems.append(f"{shown}:{_where(source, str(key))}: 未知的键“{key}”（{source.kind.label}不使用此项）")
    if meta.get("tags") is not None and not isinstance(meta.get("tags"), list):
        problems.append(f"{shown}:{_where(source, 'tags')}: tags 应为列表")
    source.cleaned = clean_fields(source.kind, meta, known)
    for problem in source.cleaned.problems:
        line = _where(source, problem.key, problem.row, problem.row_key)
        if problem.item is not None:
            line = source.lines.get((problem.key, problem.item), line)
        if problem.row is None and problem.key not in meta:
            line = 1
        problems.append(f"{shown}:{line}: {problem}")
    problems += [f"{shown}:{source.body_line + line - 1}: {reason}" for line, reason in body_problems(source.body)]
    return problems


def validate(root: Path, progress: Callable[[Iterable], Iterable] = iter) -> list[SourceFile]:
    """Parse and check every file; raise ValidationFailed listing every problem (nothing written)."""
    problems: list[str] = []
    sources: list[SourceFile] = []
    for path, kind in progress(discover(root)):
        source, file_problems = parse_file(path, kind, root)
        problems.extend(file_problems)
        if not file_problems:
            sources.append(source)
    known = known_references()
    seen: dict[str, SourceFile] = {}
    for source in sources:
        if source.slug in seen:
            problems.append(f"{source.shown}:1: 标识“{source.slug}”与 {seen[source.slug].shown} 重复")
        elif known.slugs.get(source.slug, source.kind) != source.kind:
            problems.append(f"{source.shown}:1: 标识“{source.slug}”已被另一类文档使用")
        seen[source.slug] = source
    known.slugs.update({s.slug: s.kind.value for s in sources})
    known.hazard_rows.update({s.slug: _activities(s.meta) for s in sources if s.kind is DocumentKind.HAZARD_LIST})
    for source in sources:
        problems.extend(check_file(source, known))
    if problems:
        raise ValidationFailed(f"内容校验未通过，共 {len(problems)} 处问题，未写入任何数据。", problems)
    return sources


def _activities(meta: dict[str, Any]) -> list[str]:
    rows = meta.get("rows") if isinstance(meta.get("rows"), list) else []
    return [str(row.get("activity") or "").strip() for row in rows if isinstance(row, dict)]


def _write(source: SourceFile, now: datetime, report: ImportReport) -> None:
    document = db.session.scalar(select(Document).where(Document.slug == source.slug))
    if document is not None:
        imported = db.session.scalar(select(Revision.id).where(
            Revision.document_id == document.id, Revision.content_hash == source.digest))
        if imported is not None:
            report.unchanged.append(source.slug)
            return
        if document.archived:
            report.skipped.append(source.slug)
            return
    meta = source.meta
    is_new = document is None
    if is_new:
        owner = db.session.scalar(select(Department).where(Department.code == str(meta["owner"]).strip()))
        document = Document(kind=source.kind, slug=source.slug, title=str(meta["title"]).strip(),
                            owner_department=owner)
        db.session.add(document)
        db.session.flush()
    number = (db.session.scalar(select(func.max(Revision.number)).where(Revision.document_id == document.id))
              or 0) + 1
    revision = Revision(document=document, number=number, status=RevisionStatus.DRAFT, title=document.title,
                        content_hash=source.digest, created_at=now)
    db.session.add(revision)
    note = str(meta.get("change_note") or "").strip() or ("初始发布" if is_new else "内容更新")
    effective = source.cleaned.fields.get("effective_date") if source.cleaned else None
    data = DocumentInput(title=str(meta["title"]).strip(), body_md=source.body, change_note=note,
                         tags=[str(t) for t in meta.get("tags") or []],
                         effective_date=date.fromisoformat(effective) if effective else None)
    write_content(revision, data, source.cleaned)
    make_published(revision, None, now)
    (report.created if is_new else report.updated).append(source.slug)


def import_content(root: Path, now: datetime, progress: Callable[[Iterable], Iterable] = iter) -> ImportReport:
    """Validate every file under ``root`` and then publish what is new or changed (caller commits)."""
    if not root.is_dir():
        raise ValidationFailed(f"内容目录不存在：{root}", [f"{root}: 目录不存在"])
    sources = validate(root)
    report = ImportReport()
    for source in progress(sources):
        _write(source, now, report)
    db.session.flush()
    return report
