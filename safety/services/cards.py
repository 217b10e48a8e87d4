"""岗位安全风险告知卡: what the card at the workstation shows, its QR code, and the post page's
one-minute check (三题自查, recorded as practice)."""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select

from core.extensions import db
from kb.hazards import grade_for, thresholds
from kb.models import Document, DocumentKind, HazardRow
from org.models import Employee, EmployeeStatus, Position
from safety.catalogue import kind_label
from safety.models import PostCheck
from safety.services.certificates import required_kinds
from safety.settings import emergency_phones

CHECK_QUESTIONS = 3


@dataclass
class CardHazard:
    row: HazardRow
    grade_key: str
    grade_label: str
    team_name: str


@dataclass
class Card:
    """Everything printed on one position's card (or one equipment row's card). Emergency measures come
    from the kb's 岗位应急处置卡 where a 现场处置方案 names the position, else from its procedures."""

    position: Position
    procedures: list[Document]
    hazards: list[CardHazard]
    ppe: list[str]
    prohibitions: list[str]
    emergency: list[str]
    phones: list[str]
    certificates: list[str]
    equipment: CardHazard | None = None
    emergency_card: object | None = field(default=None)  # kb.services.emergency.EmergencyCard


def _published(query):
    return query.where(Document.published_revision_id.is_not(None), Document.archived.is_(False))


def position_procedures(position: Position) -> list[Document]:
    from kb.services.reading import procedures_for_position

    return procedures_for_position(position.id)


def _hazard_lists(position: Position, procedures: list[Document]) -> list[Document]:
    """The hazard lists of the teams where this position works (else of its procedures' departments)."""
    team_ids = set(db.session.scalars(select(Employee.team_id).where(
        Employee.position_id == position.id, Employee.status == EmployeeStatus.IN_POST,
        Employee.team_id.is_not(None))))
    query = _published(select(Document).where(Document.kind == DocumentKind.HAZARD_LIST))
    if team_ids:
        return list(db.session.scalars(query.where(Document.team_id.in_(team_ids)).order_by(Document.title)))
    owners = {d.owner_department_id for d in procedures}
    if not owners:
        return []
    return list(db.session.scalars(query.where(Document.owner_department_id.in_(owners)).order_by(Document.title)))


def severe_hazards(position: Position, procedures: list[Document]) -> list[CardHazard]:
    """Red and orange (重大/较大) rows that apply to the position, highest D first."""
    limits = thresholds()
    found = []
    for document in _hazard_lists(position, procedures):
        for row in document.published_revision.hazard_rows:
            grade = grade_for(row.danger, limits)
            if grade.rank <= 1:
                found.append(CardHazard(row, grade.key, grade.label, document.team.name if document.team else ""))
    return sorted(found, key=lambda h: (-h.row.danger, h.team_name, h.row.position))


def _union(procedures: list[Document], key: str, limit: int) -> list[str]:
    items: list[str] = []
    for document in procedures:
        items += [i for i in document.published_revision.fields.get(key) or [] if i not in items]
    return items[:limit]


def _emergency_card(position: Position):
    """The knowledge base's 岗位应急处置卡 (its published 现场处置方案), or None."""
    from kb.services.emergency import emergency_card_for

    return emergency_card_for(position)


def position_card(position: Position, equipment_row_id: int | None = None) -> Card:
    """The card's content for ``position`` (focused on one hazard row's equipment when given)."""
    procedures = position_procedures(position)
    hazards = severe_hazards(position, procedures)
    card = Card(position=position, procedures=procedures, hazards=hazards, ppe=_union(procedures, "ppe", 10),
                prohibitions=_union(procedures, "prohibitions", 6), emergency=_union(procedures, "emergency", 6),
                phones=emergency_phones(), certificates=[kind_label(c) for c in required_kinds(position.id)],
                emergency_card=_emergency_card(position))
    if equipment_row_id is not None:
        card.equipment = next((h for h in hazards if h.row.id == equipment_row_id), None)
    return card


def positions_of_department(department_id: int) -> list[Position]:
    """Positions held by in-post people of a department (the department's cards, printed together)."""
    ids = set(db.session.scalars(select(Employee.position_id).where(
        Employee.department_id == department_id, Employee.status == EmployeeStatus.IN_POST,
        Employee.position_id.is_not(None))))
    if not ids:
        return []
    return list(db.session.scalars(select(Position).where(Position.id.in_(ids), Position.active)
                                   .order_by(Position.code)))


def qr_svg(url: str) -> Markup:
    """An inline SVG QR code for ``url`` (generated here, no network; safe to embed)."""
    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", xmldecl=False, svgns=True, scale=4, border=2,
                                    svgclass="qr", lineclass="qr-line", title=_("岗位页面二维码"))
    return Markup(buffer.getvalue().decode("utf-8"))


def check_questions(position: Position, rng: random.Random | None = None) -> list:
    """Three questions for the one-minute check: the position's, else those citing its procedures."""
    from training.quiz.models import Question, question_positions

    live = Question.retired.is_(False)
    pool = list(db.session.scalars(select(Question).join(question_positions).where(
        live, question_positions.c.position_id == position.id).order_by(Question.id)))
    if len(pool) < CHECK_QUESTIONS:
        ids = [d.id for d in position_procedures(position)]
        pool += [q for q in db.session.scalars(select(Question).where(
            live, Question.source_document_id.in_(ids)).order_by(Question.id)) if q not in pool] if ids else []
    return (rng or random.SystemRandom()).sample(pool, min(CHECK_QUESTIONS, len(pool)))


@dataclass
class CheckResult:
    check: PostCheck
    answers: list[tuple[object, list[int], bool]]  # (question, chosen, right)


def record_post_check(employee: Employee, position: Position, answers: dict[int, list[int]],
                      now: datetime) -> CheckResult:
    """Mark the answers and keep the result as practice (it never counts as an exam)."""
    from training.quiz.models import Question

    questions = [q for q in (db.session.get(Question, qid) for qid in list(answers)[:CHECK_QUESTIONS]) if q]
    marked = [(q, sorted(answers[q.id]), sorted(answers[q.id]) == sorted(q.answer)) for q in questions]
    check = PostCheck(employee_id=employee.id, position_id=position.id, question_ids=[q.id for q in questions],
                      correct=sum(ok for _q, _a, ok in marked), total=len(marked), answered_at=now)
    db.session.add(check)
    db.session.flush()
    return CheckResult(check, marked)
