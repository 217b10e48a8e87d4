"""Drafting, review and publishing of documents: draft → in review → published → superseded/archived.

Every function takes the acting user and ``now``, checks the rule, writes, flushes, and
raises DomainError with a Chinese message; the caller commits once.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select

from core.audit import record_event
from core.clock import today
from core.exceptions import DomainError, NotAllowed, ValidationFailed
from core.extensions import db
from kb.fields import CASE_TEXTS, Cleaned, Known, clean_fields
from kb.models import SLUG, Document, DocumentKind, HazardRow, Revision, RevisionStatus
from kb.permissions import (
    can_edit,
    creatable_kinds,
    is_publisher,
    may_approve,
    may_draft_for,
    may_edit_revision,
    may_file_under_team,
)
from kb.render import render_markdown
from kb.signals import document_archived, revision_published
from org.models import Department, Employee, Position, Team
from org.permissions import led_team_ids

SYSTEM_LABEL = "系统（内容导入）"


class InputInvalid(ValidationFailed):
    """Input problems, also grouped by form field (``by_field``) so a form can show each at its field."""

    def __init__(self, problems: list[str], by_field: dict[str, list[str]]) -> None:
        super().__init__("；".join(problems), problems)
        self.by_field = by_field


@dataclass
class DocumentInput:
    """What an author typed (or a content file holds) for one revision."""

    title: str
    body_md: str = ""
    change_note: str = ""
    tags: list[str] = field(default_factory=list)
    raw_fields: Mapping[str, Any] = field(default_factory=dict)
    effective_date: date | None = None


def known_references() -> Known:
    """Codes of every position, department and team, and every document slug with its kind."""
    return Known(
        positions=set(db.session.scalars(select(Position.code))),
        departments=set(db.session.scalars(select(Department.code))),
        teams=set(db.session.scalars(select(Team.code))),
        slugs=dict(db.session.execute(select(Document.slug, Document.kind)).all()),
        hazard_rows=_published_activities(),
    )


def _published_activities() -> dict[str, list[str]]:
    """Each published hazard list's row activities, in order (for emergency plans' row references)."""
    out: dict[str, list[str]] = {}
    for slug, activity in db.session.execute(
            select(Document.slug, HazardRow.activity).join(HazardRow, HazardRow.revision_id
                                                           == Document.published_revision_id)
            .where(Document.kind == DocumentKind.HAZARD_LIST).order_by(Document.slug, HazardRow.position)):
        out.setdefault(slug, []).append(activity)
    return out


def check_input(kind: DocumentKind | str, data: DocumentInput, known: Known | None = None) -> Cleaned:
    """Validate an input; raise ValidationFailed listing every problem."""
    cleaned = clean_fields(kind, data.raw_fields, known or known_references())
    by_field: dict[str, list[str]] = {}
    for problem in cleaned.problems:
        by_field.setdefault(problem.key, []).append(str(problem))
    if not data.title.strip():
        by_field.setdefault("title", []).append("标题不能为空")
    elif len(data.title) > 200:
        by_field.setdefault("title", []).append("标题不能超过 200 字")
    if len(data.change_note) > 500:
        by_field.setdefault("change_note", []).append("修订说明不能超过 500 字")
    if by_field:
        raise InputInvalid([m for messages in by_field.values() for m in messages], by_field)
    return cleaned


def _audit(action: str, actor: Employee | None, document: Document, now: datetime, **detail: Any) -> None:
    record_event(action, actor_id=actor.id if actor else None,
                 actor_label=f"{actor.emp_no} {actor.name}" if actor else SYSTEM_LABEL,
                 target=f"{document.kind}:{document.slug}", detail=detail, now=now)


def write_content(revision: Revision, data: DocumentInput, cleaned: Cleaned) -> None:
    """Put title, Markdown (rendered and sanitised now), fields, tags and hazard rows on a revision."""
    fields = dict(cleaned.fields)
    # Tags belong to the revision like every other field: readers see them when it is published.
    fields["tags"] = [t.strip() for t in data.tags if t.strip()]
    if revision.document.kind == DocumentKind.CASE:
        fields["_html"] = {key: render_markdown(fields.get(key, "")) for key in CASE_TEXTS}
    revision.title = data.title.strip()
    revision.body_md = data.body_md
    revision.body_html = render_markdown(data.body_md)
    revision.fields = fields
    revision.change_note = data.change_note.strip()
    revision.effective_date = data.effective_date
    revision.hazard_rows = [
        HazardRow(position=index, activity=row["activity"], hazard=row["hazard"],
                  accident_type=row["accident_type"], likelihood=row["L"], exposure=row["E"],
                  consequence=row["C"], measures=row["measures"], responsible=row["responsible"])
        for index, row in enumerate(cleaned.rows, start=1)
    ]


def _check_owner(actor: Employee, kind: DocumentKind, owner: Department, team: Team | None) -> None:
    if kind not in creatable_kinds(actor):
        raise NotAllowed(f"您无权新建{kind.label}。")
    if not may_draft_for(actor, kind, owner, team):
        raise NotAllowed("只能为本部门起草文档。", "owner")


def create_document(actor: Employee, kind: DocumentKind | str, owner: Department, data: DocumentInput,
                    now: datetime, slug: str = "") -> Revision:
    """A new document with revision 1 as a draft written by ``actor``."""
    kind = DocumentKind(kind)
    cleaned = check_input(kind, data)
    team = _team(cleaned)
    if kind is DocumentKind.HAZARD_LIST and team is not None and not is_publisher(actor):
        owner = team.department if team.id in led_team_ids(actor) else owner
    _check_owner(actor, kind, owner, team)
    slug = (slug or "").strip().lower() or f"{kind.value.replace('_', '-')}-{uuid.uuid4().hex[:8]}"
    if not SLUG.match(slug) or len(slug) > 120:
        raise DomainError("标识只能由小写字母、数字和连字符组成。", "slug")
    if db.session.scalar(select(Document.id).where(Document.slug == slug)):
        raise DomainError(f"标识“{slug}”已被使用。", "slug")
    document = Document(kind=kind, slug=slug, title=data.title.strip(), owner_department=owner, team=team)
    revision = Revision(document=document, number=1, status=RevisionStatus.DRAFT, title=document.title,
                        author=actor, created_at=now)
    db.session.add_all([document, revision])
    write_content(revision, data, cleaned)
    db.session.flush()
    return revision


def _team(cleaned: Cleaned) -> Team | None:
    code = cleaned.fields.get("team")
    return db.session.scalar(select(Team).where(Team.code == code)) if code else None


def open_revision(document: Document) -> Revision | None:
    """The draft or in-review revision of a document, if one is open."""
    return next((r for r in reversed(document.revisions) if r.is_open), None)


def start_revision(actor: Employee, document: Document, now: datetime) -> Revision:
    """The open draft of ``document`` (a new one copied from the published revision if none is open)."""
    if not can_edit(actor, document):
        raise NotAllowed("您无权修订此文档。")
    if document.archived:
        raise DomainError("文档已归档，不能修订。")
    existing = open_revision(document)
    if existing is not None:
        return existing
    base = document.published_revision or (document.revisions[-1] if document.revisions else None)
    number = (db.session.scalar(select(func.max(Revision.number)).where(Revision.document_id == document.id))
              or 0) + 1
    rows = list(base.hazard_rows) if base is not None else []
    revision = Revision(document=document, number=number, status=RevisionStatus.DRAFT, author=actor,
                        created_at=now, title=base.title if base else document.title,
                        body_md=base.body_md if base else "", body_html=base.body_html if base else "",
                        fields=dict(base.fields) if base else {})
    db.session.add(revision)
    revision.hazard_rows = [
        HazardRow(position=r.position, activity=r.activity, hazard=r.hazard, accident_type=r.accident_type,
                  likelihood=r.likelihood, exposure=r.exposure, consequence=r.consequence,
                  measures=r.measures, responsible=r.responsible) for r in rows]
    db.session.flush()
    return revision


def update_draft(actor: Employee, revision: Revision, data: DocumentInput, now: datetime) -> Revision:
    """Save an author's changes to a draft (the safety department may also edit one in review)."""
    document = revision.document
    if not can_edit(actor, document):
        raise NotAllowed("您无权修改此文档。")
    if not may_edit_revision(actor, revision.status):
        raise DomainError("只有草稿可以修改。")
    cleaned = check_input(document.kind, data)
    team = _team(cleaned)
    if not may_file_under_team(actor, document, team):
        raise NotAllowed("只能填写本部门或本班组的班组。", "team")
    write_content(revision, data, cleaned)
    if revision.author_id is None:
        revision.author = actor
    if not document.is_published:
        document.title = revision.title
        document.team = team if document.kind == DocumentKind.HAZARD_LIST else document.team
    db.session.flush()
    return revision


def submit_revision(actor: Employee, revision: Revision, now: datetime) -> None:
    """Send a draft to the safety department for review (提交审核)."""
    if not can_edit(actor, revision.document):
        raise NotAllowed("您无权提交此文档。")
    if revision.status != RevisionStatus.DRAFT:
        raise DomainError("只有草稿可以提交审核。")
    revision.status = RevisionStatus.IN_REVIEW
    revision.submitted_at = now
    revision.review_note = ""
    _audit("kb.submit", actor, revision.document, now, revision=revision.number)
    db.session.flush()


def reject_revision(actor: Employee, revision: Revision, note: str, now: datetime) -> None:
    """Send a revision in review back to its author as a draft, with the reason (退回)."""
    if not is_publisher(actor):
        raise NotAllowed("只有安全管理部门可以审核。")
    if revision.status != RevisionStatus.IN_REVIEW:
        raise DomainError("只有待审核的修订可以退回。")
    if not note.strip():
        raise DomainError("请填写退回意见。", "note")
    revision.status = RevisionStatus.DRAFT
    revision.review_note = note.strip()[:500]
    _audit("kb.reject", actor, revision.document, now, revision=revision.number, note=revision.review_note)
    db.session.flush()


def publish_revision(actor: Employee, revision: Revision, now: datetime,
                     effective_date: date | None = None) -> Revision | None:
    """Approve and publish (审核发布); the previous published revision becomes superseded.

    Returns the superseded revision. Audited as ``kb.publish``; sends ``revision_published``.
    """
    if not is_publisher(actor):
        raise NotAllowed("只有安全管理部门可以发布文档。")
    if revision.status not in (RevisionStatus.DRAFT, RevisionStatus.IN_REVIEW):
        raise DomainError("该修订已发布或已被替代，不能再次发布。")
    if revision.document.archived:
        raise DomainError("文档已归档，不能发布。")
    if not may_approve(actor, revision):
        raise DomainError("编制人不能批准自己编制的文件：请由安全管理部门的另一位同事审核批准。")
    check_input(revision.document.kind, _input_of(revision))
    return make_published(revision, actor, now, effective_date)


def _input_of(revision: Revision) -> DocumentInput:
    raw = dict(revision.fields)
    if revision.document.kind == DocumentKind.HAZARD_LIST:
        raw["rows"] = [{"activity": r.activity, "hazard": r.hazard, "accident_type": r.accident_type,
                        "L": r.likelihood, "E": r.exposure, "C": r.consequence, "measures": r.measures,
                        "responsible": r.responsible} for r in revision.hazard_rows]
    return DocumentInput(title=revision.title, body_md=revision.body_md, raw_fields=raw)


def make_published(revision: Revision, approver: Employee | None, now: datetime,
                   effective_date: date | None = None) -> Revision | None:
    """Mark ``revision`` published (no permission check: callers have done it)."""
    document = revision.document
    previous = document.published_revision
    if previous is not None and previous.id != revision.id:
        previous.status = RevisionStatus.SUPERSEDED
    revision.status = RevisionStatus.PUBLISHED
    revision.approver = approver
    revision.published_at = now
    revision.review_note = ""
    revision.effective_date = effective_date or revision.effective_date or _default_effective(revision, now)
    document.published_revision = revision
    _denormalise(document, revision)
    db.session.flush()
    _audit("kb.publish", approver, document, now, revision=revision.number, title=revision.title)
    revision_published.send(document, revision=revision, previous=previous, now=now)
    return previous


def _default_effective(revision: Revision, now: datetime) -> date:
    text = revision.fields.get("effective_date") if revision.document.kind == DocumentKind.REGULATION else None
    return date.fromisoformat(text) if text else today(now)


def _denormalise(document: Document, revision: Revision) -> None:
    fields = revision.fields
    document.title = revision.title
    document.doc_number = fields.get("doc_number") or None
    document.validity = fields.get("validity") or None
    document.violation_type = fields.get("violation_type") or None
    if "tags" in fields:  # revisions written before tags were kept per revision leave them as they are
        document.tags = list(fields["tags"])
    if document.kind in (DocumentKind.PROCEDURE, DocumentKind.EMERGENCY_PLAN):
        codes = fields.get("positions") or []
        document.positions = list(db.session.scalars(select(Position).where(Position.code.in_(codes))))
    if document.kind == DocumentKind.HAZARD_LIST and fields.get("team"):
        document.team = db.session.scalar(select(Team).where(Team.code == fields["team"]))


def archive_document(actor: Employee, document: Document, now: datetime) -> None:
    """Withdraw a document from lists and search (归档); its history stays readable to editors."""
    if not is_publisher(actor):
        raise NotAllowed("只有安全管理部门可以归档文档。")
    if document.archived:
        raise DomainError("文档已归档。")
    document.archived = True
    if document.published_revision is not None:
        document.published_revision.status = RevisionStatus.ARCHIVED
    _audit("kb.archive", actor, document, now)
    db.session.flush()
    document_archived.send(document, now=now)
