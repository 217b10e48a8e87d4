"""Reading: 已阅读确认 (acknowledgements), what each employee still has to read, and who has not."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import joinedload

from core.exceptions import DomainError
from core.extensions import db
from kb.models import Acknowledgement, Document, DocumentKind, Revision, document_positions
from org.models import Employee, EmployeeStatus


class AckState(StrEnum):
    CURRENT = "current"  # 已确认 the published revision
    STALE = "stale"  # confirmed an older revision: 需重新阅读
    NONE = "none"  # never confirmed: 未确认

    @property
    def label(self) -> str:
        return str({"current": _l("已确认"), "stale": _l("需重新阅读"), "none": _l("未确认")}[self.value])


def acknowledge(employee: Employee, document: Document, now: datetime) -> Acknowledgement:
    """Record that ``employee`` read the published revision (idempotent: a repeat changes nothing)."""
    if not document.is_published or document.published_revision is None:
        raise DomainError("只能确认已发布的文档。")
    return acknowledge_revision(employee, document.published_revision, now)


def acknowledge_revision(employee: Employee, revision: Revision, now: datetime) -> Acknowledgement:
    """已阅读确认 of one revision by ``employee`` at ``now`` (idempotent: a repeat returns the first)."""
    existing = db.session.scalar(select(Acknowledgement).where(
        Acknowledgement.employee_id == employee.id, Acknowledgement.revision_id == revision.id))
    if existing is not None:
        return existing
    ack = Acknowledgement(employee_id=employee.id, document_id=revision.document_id,
                          revision_id=revision.id, acknowledged_at=now)
    db.session.add(ack)
    db.session.flush()
    return ack


def ack_state(employee: Employee, document: Document) -> AckState:
    """Whether ``employee`` confirmed the current revision, an older one, or none."""
    return ack_states(employee, [document])[document.id]


def ack_states(employee: Employee, documents: list[Document]) -> dict[int, AckState]:
    """:func:`ack_state` for many documents in one query (document id → state)."""
    acked: dict[int, set[int]] = {document.id: set() for document in documents}
    if documents:
        for document_id, revision_id in db.session.execute(select(
                Acknowledgement.document_id, Acknowledgement.revision_id).where(
                Acknowledgement.employee_id == employee.id, Acknowledgement.document_id.in_(list(acked)))):
            acked[document_id].add(revision_id)
    states = {}
    for document in documents:
        revisions = acked[document.id]
        current = document.published_revision_id in revisions
        states[document.id] = AckState.CURRENT if current else (AckState.STALE if revisions else AckState.NONE)
    return states


def last_acknowledgement(employee: Employee, document: Document) -> Acknowledgement | None:
    return db.session.scalar(select(Acknowledgement).where(
        Acknowledgement.employee_id == employee.id, Acknowledgement.document_id == document.id)
        .order_by(Acknowledgement.acknowledged_at.desc()).limit(1))


def procedures_for_position(position_id: int | None) -> list[Document]:
    """Published procedures that apply to a position (岗位安全操作规程), by title."""
    if position_id is None:
        return []
    return list(db.session.scalars(
        select(Document).join(document_positions).where(
            document_positions.c.position_id == position_id,
            Document.kind == DocumentKind.PROCEDURE, Document.is_published).order_by(Document.title)))


def hazard_lists_for_team(team_id: int | None) -> list[Document]:
    """Published hazard lists (危险源辨识清单) of a team, by title."""
    if team_id is None:
        return []
    return list(db.session.scalars(select(Document).where(
        Document.kind == DocumentKind.HAZARD_LIST, Document.team_id == team_id, Document.is_published)
        .order_by(Document.title)))


def required_reading(employee: Employee) -> list[Document]:
    """Documents the employee must confirm: their position's procedures and their team's hazard list."""
    return procedures_for_position(employee.position_id) + hazard_lists_for_team(employee.team_id)


@dataclass(frozen=True)
class Pending:
    document: Document
    state: AckState


def pending_acknowledgements(employee: Employee) -> list[Pending]:
    """Required documents whose current revision the employee has not confirmed (stale first)."""
    documents = required_reading(employee)
    if not documents:
        return []
    acked = set(db.session.execute(select(Acknowledgement.document_id, Acknowledgement.revision_id).where(
        Acknowledgement.employee_id == employee.id,
        Acknowledgement.document_id.in_([d.id for d in documents]))))
    pending = []
    for document in documents:
        if (document.id, document.published_revision_id) in acked:
            continue
        stale = any(doc_id == document.id for doc_id, _rev in acked)
        pending.append(Pending(document, AckState.STALE if stale else AckState.NONE))
    return sorted(pending, key=lambda p: (p.state != AckState.STALE, p.document.title))


def expected_readers(document: Document, scope: ColumnElement[bool] | None = None) -> list[Employee]:
    """In-post employees who must read ``document`` (its positions, or its team), within ``scope``."""
    if document.kind == DocumentKind.PROCEDURE:
        position_ids = [p.id for p in document.positions]
        if not position_ids:
            return []
        audience = Employee.position_id.in_(position_ids)
    elif document.kind == DocumentKind.HAZARD_LIST and document.team_id is not None:
        audience = Employee.team_id == document.team_id
    else:
        return []
    return list(db.session.scalars(select(Employee).where(
        audience, Employee.status == EmployeeStatus.IN_POST, scope if scope is not None else true())
        .order_by(Employee.department_id, Employee.emp_no)))


@dataclass(frozen=True)
class Reader:
    employee: Employee
    state: AckState
    acknowledged_at: datetime | None


def readers_status(document: Document, scope: ColumnElement[bool] | None = None) -> list[Reader]:
    """Every expected reader with their state for the current revision (not yet confirmed first)."""
    people = expected_readers(document, scope)
    if not people:
        return []
    rows = db.session.execute(select(Acknowledgement.employee_id, Acknowledgement.revision_id,
                                     Acknowledgement.acknowledged_at).where(
        Acknowledgement.document_id == document.id,
        Acknowledgement.employee_id.in_([p.id for p in people]))).all()
    current = {emp: at for emp, rev, at in rows if rev == document.published_revision_id}
    older = {emp for emp, rev, _at in rows if rev != document.published_revision_id}
    readers = []
    for person in people:
        if person.id in current:
            readers.append(Reader(person, AckState.CURRENT, current[person.id]))
        else:
            readers.append(Reader(person, AckState.STALE if person.id in older else AckState.NONE, None))
    order = {AckState.STALE: 0, AckState.NONE: 1, AckState.CURRENT: 2}
    return sorted(readers, key=lambda r: order[r.state])


def unacknowledged_employees(document: Document, scope: ColumnElement[bool] | None = None) -> list[Reader]:
    """Expected readers who have not confirmed the current revision (需重新阅读 or 未确认)."""
    return [r for r in readers_status(document, scope) if r.state != AckState.CURRENT]


def related_cases(employee: Employee, procedures: list[Document], hazard_lists: list[Document]) -> list[Document]:
    """Published 三违 cases linked to these procedures or hazard lists, or of the employee's department."""
    slugs = [d.slug for d in procedures + hazard_lists]
    cases = db.session.scalars(select(Document).options(joinedload(Document.published_revision)).where(
        Document.kind == DocumentKind.CASE, Document.is_published).order_by(Document.title)).all()
    department_code = employee.department.code if employee.department else None
    related = []
    for case in cases:
        fields = case.published_revision.fields if case.published_revision else {}
        if fields.get("procedure") in slugs or fields.get("hazard_list") in slugs \
                or (department_code and fields.get("department") == department_code):
            related.append(case)
    return sorted(related, key=lambda c: c.published_revision.fields.get("occurred_on", ""), reverse=True)


