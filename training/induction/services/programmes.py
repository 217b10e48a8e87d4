"""The safety department's induction programmes (培训方案) per level, department and position."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from core.audit import audit_action
from core.exceptions import DomainError, NotAllowed, ValidationFailed
from core.extensions import db
from core.input import number_problem
from kb.models import Document
from org.models import Employee
from training.induction.models import Level, Programme, ProgrammeItem
from training.induction.permissions import may_set_programmes


@dataclass
class ProgrammeData:
    level: Level
    title: str
    department_id: int | None
    position_id: int | None
    exam_id: int | None
    pass_mark: int | None
    hours: float | None
    items_text: str
    active: bool = True


def parse_items(text: str) -> list[tuple[Document, int]]:
    """Lines of "slug minutes" → documents; every bad line is named, nothing is saved."""
    problems, found, seen = [], [], set()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        slug, _sep, minutes = line.rpartition(" ")
        if not slug:
            slug, minutes = minutes, "15"
        slug = slug.strip()
        document = db.session.scalar(select(Document).where(Document.slug == slug))
        if document is None:
            problems.append(f"第 {number} 行：找不到文档“{slug}”。")
        elif number_problem(minutes, 1, 600, whole=True):
            problems.append(f"第 {number} 行：预计分钟须为 1–600 的整数。")
        elif document.id in seen:
            problems.append(f"第 {number} 行：文档“{document.title}”重复。")
        else:
            seen.add(document.id)
            found.append((document, int(minutes)))
    if problems:
        raise ValidationFailed("学习资料有误：", problems)
    return found


def save_programme(actor: Employee, programme: Programme | None, data: ProgrammeData, now: datetime) -> Programme:
    """Create or update a programme (安全管理部门 only)."""
    if not may_set_programmes(actor):
        raise NotAllowed("只有安全管理部门可以制定培训方案。")
    if data.level is Level.COMPANY and (data.department_id or data.position_id):
        raise DomainError("公司级方案适用于全公司，不能限定部门或岗位。", field="department_id")
    items = parse_items(data.items_text)
    programme = programme or Programme()
    programme.level, programme.title = data.level, data.title.strip()
    programme.department_id, programme.position_id = data.department_id, data.position_id
    programme.exam_id, programme.pass_mark, programme.hours = data.exam_id, data.pass_mark, data.hours
    programme.active = data.active
    programme.items = [ProgrammeItem(document=d, expected_minutes=m, position=i) for i, (d, m) in enumerate(items)]
    db.session.add(programme)
    db.session.flush()
    audit_action("training.programme", actor=actor, now=now, target=programme.title)
    return programme


def items_text(programme: Programme) -> str:
    return "\n".join(f"{i.document.slug} {i.expected_minutes}" for i in programme.items)


def list_programmes() -> list[Programme]:
    return list(db.session.scalars(select(Programme).order_by(Programme.level, Programme.department_id,
                                                               Programme.position_id, Programme.id)))


def programmes_citing(_sender, superseded: Mapping[str, Any], **_kwargs) -> list[Any]:
    """``flask content check``: active programmes that still list a repealed or replaced document."""
    from kb.content_check import Finding

    if not superseded:
        return []
    rows = db.session.execute(
        select(Programme, ProgrammeItem.position, Document.slug)
        .join(ProgrammeItem, ProgrammeItem.programme_id == Programme.id)
        .join(Document, Document.id == ProgrammeItem.document_id)
        .where(Programme.active.is_(True), Document.slug.in_(list(superseded)))
        .order_by(Programme.title, ProgrammeItem.position)).all()
    return [Finding(f"培训方案“{programme.title}”（{programme.level_label}）",
                    f"第 {position + 1} 项学习资料是{superseded[slug].label}，应改为现行文件")
            for programme, position, slug in rows]
