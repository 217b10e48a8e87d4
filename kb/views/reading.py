"""Reading pages: index, listings with filters, a document, history, diff, readers, export, 已阅读确认."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, or_, select
from sqlalchemy.orm import contains_eager, selectinload

from core.audit import audit
from core.clock import now
from core.exceptions import DomainError
from core.exports import XLSX_MIMETYPE, download
from core.extensions import db
from core.input import db_id, page_arg
from core.permissions import deny
from core.redirects import safe_next
from kb.diff import diff_revisions
from kb.fields import EMERGENCY_LEVELS, LEVELS, VALIDITIES, VIOLATION_TYPES
from kb.hazards import danger_text, grade_for, hazard_xlsx, sorted_rows, thresholds
from kb.models import Document, DocumentKind, Revision, document_positions
from kb.permissions import can_edit, creatable_kinds, is_publisher, may_see_readers, readable_clause
from kb.services.emergency import (
    drill_text,
    emergency_card_for,
    linked_hazard_rows,
    plans_for_hazard_list,
    positions_with_cards,
)
from kb.services.publishing import open_revision
from kb.services.reading import AckState, ack_state, acknowledge, last_acknowledgement, readers_status
from kb.views.common import PATH_OF, bp, document_or_404, kind_from_path, revision_or_404, slug_documents
from org.models import Department, Position, Team
from org.permissions import employee_scope


@bp.get("/")
@login_required
def show_index():
    """The four kinds with how many documents each holds."""
    counts = dict(db.session.execute(select(Document.kind, func.count()).where(
        readable_clause(current_user)).group_by(Document.kind)).all())
    return render_template("kb/index.html", counts=counts, kinds=list(DocumentKind), path_of=PATH_OF,
                           creatable=creatable_kinds(current_user))


def _filters(kind: DocumentKind, query):
    args = request.args
    current = Revision.fields
    if kind is DocumentKind.REGULATION:
        if args.get("level") in LEVELS:
            query = query.where(current["level"].as_string() == args["level"])
        if args.get("validity") in VALIDITIES:
            query = query.where(Document.validity == args["validity"])
    if kind is DocumentKind.EMERGENCY_PLAN and args.get("level") in EMERGENCY_LEVELS:
        query = query.where(current["level"].as_string() == args["level"])
    position = args.get("position", type=db_id)
    if kind in (DocumentKind.PROCEDURE, DocumentKind.EMERGENCY_PLAN) and position:
        query = query.join(document_positions).where(document_positions.c.position_id == position)
    if kind is DocumentKind.CASE and args.get("violation_type") in VIOLATION_TYPES:
        query = query.where(Document.violation_type == args["violation_type"])
    if kind is DocumentKind.HAZARD_LIST and args.get("team", type=db_id):
        query = query.where(Document.team_id == args.get("team", type=db_id))
    if args.get("department", type=db_id):
        query = query.where(Document.owner_department_id == args.get("department", type=db_id))
    text = args.get("q", "").strip()
    if text:
        like = f"%{text}%"
        query = query.where(or_(Document.title.ilike(like), Document.doc_number.ilike(like)))
    return query


@bp.get("/<kind_path>")
@login_required
def list_documents(kind_path: str):
    """One kind's documents this user may read, filtered (employees see published ones only)."""
    kind = kind_from_path(kind_path)
    query = (select(Document).outerjoin(Document.published_revision)
             .options(contains_eager(Document.published_revision), selectinload(Document.positions))
             .where(Document.kind == kind, readable_clause(current_user)))
    query = _filters(kind, query).order_by(Document.archived, Document.doc_number if kind is DocumentKind.REGULATION
                                           else Document.title, Document.id)
    page = db.paginate(query, page=page_arg(), per_page=30, error_out=False)
    return render_template(
        "kb/list.html", kind=kind, kind_path=kind_path, page=page, args=request.args, levels=LEVELS,
        validities=VALIDITIES, violation_types=VIOLATION_TYPES, can_create=kind in creatable_kinds(current_user),
        emergency_levels=EMERGENCY_LEVELS, card_positions=_card_positions(kind),
        departments=db.session.scalars(select(Department).order_by(Department.code)).all(),
        positions=db.session.scalars(select(Position).where(Position.active).order_by(Position.code)).all(),
        teams=db.session.scalars(select(Team).where(Team.active).order_by(Team.code)).all())


def _card_positions(kind: DocumentKind) -> list[Position]:
    """Positions with a 岗位应急处置卡 (listed on the emergency-plan page)."""
    if kind is not DocumentKind.EMERGENCY_PLAN:
        return []
    ids = positions_with_cards()
    if not ids:
        return []
    return list(db.session.scalars(select(Position).where(Position.id.in_(ids)).order_by(Position.code)))


def _context(document: Document, revision: Revision) -> dict:
    fields = revision.fields
    links = [fields.get(k) for k in ("replaced_by", "procedure", "hazard_list") if fields.get(k)]
    context = {"linked": slug_documents(links + list(fields.get("references") or []))}
    if document.kind == DocumentKind.HAZARD_LIST:
        limits = thresholds()
        rows = sorted_rows(revision.hazard_rows, request.args.get("sort") == "d")
        context["rows"] = [(r, grade_for(r.danger, limits), danger_text(r.danger)) for r in rows]
        context["limits"] = limits
        context["plans"] = plans_for_hazard_list(document)
    if document.kind == DocumentKind.EMERGENCY_PLAN:
        context["hazard_links"] = linked_hazard_rows(revision)
        context["drill"] = drill_text(revision.fields.get("drill_months"))
    if document.kind in (DocumentKind.PROCEDURE, DocumentKind.HAZARD_LIST, DocumentKind.REGULATION):
        key = {"procedure": "procedure", "hazard_list": "hazard_list", "regulation": "references"}[document.kind]
        context["referring"] = _referring(document, key)
    return context


def _referring(document: Document, key: str) -> list[Document]:
    """Published documents that point at this one (cases citing a procedure, procedures citing a law)."""
    candidates = db.session.scalars(select(Document).join(Document.published_revision)
                                    .options(contains_eager(Document.published_revision))
                                    .where(Document.is_published, Document.id != document.id,
                                           Revision.fields[key].is_not(None))).all()
    out = []
    for other in candidates:
        value = other.published_revision.fields.get(key)
        if value == document.slug or (isinstance(value, list) and document.slug in value):
            out.append(other)
    return sorted(out, key=lambda d: d.title)


@bp.get("/d/<slug>")
@login_required
def show_document(slug: str):
    """A document laid out for its kind; drafts and reviews only for its editors (404 otherwise)."""
    document = document_or_404(slug)
    revision = revision_or_404(document, request.args.get("rev", type=db_id))
    is_current = revision.id == document.published_revision_id and document.is_published
    state = ack_state(current_user, document) if is_current else None
    last_ack = last_acknowledgement(current_user, document) if state is AckState.STALE else None
    return render_template(
        "kb/document.html", document=document, revision=revision, is_current=is_current, state=state,
        last_ack=last_ack, open_rev=open_revision(document), can_edit=can_edit(current_user, document),
        publisher=is_publisher(current_user), manager=may_see_readers(current_user), **_context(document, revision))


@bp.get("/positions/<code>/emergency-card")
@login_required
def show_emergency_card(code: str):
    """A position's printable 岗位应急处置卡 (A5 by default, ?size=a4), from its published 现场处置方案."""
    position = db.session.scalar(select(Position).where(Position.code == code, Position.active))
    card = emergency_card_for(position) if position is not None else None
    if card is None:
        deny(404)
    size = "a4" if request.args.get("size") == "a4" else "a5"
    return render_template("kb/emergency_card.html", card=card, size=size)


@bp.post("/d/<slug>/ack")
@login_required
def acknowledge_document(slug: str):
    """已阅读确认 of the published revision (repeating it changes nothing)."""
    document = document_or_404(slug)
    try:
        acknowledge(current_user, document, now())
    except DomainError as error:
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash(_("已确认阅读：%(title)s（第 %(n)s 版）", title=document.title,
                n=document.published_revision.number), "success")
    return redirect(safe_next(request.form.get("next"), url_for("kb.show_document", slug=slug)))


@bp.get("/d/<slug>/history")
@login_required
def show_history(slug: str):
    """Every revision the user may see, newest first, with status, note, author, approver and dates."""
    document = document_or_404(slug)
    editor = can_edit(current_user, document)
    revisions = [r for r in reversed(document.revisions) if editor or not r.is_open]
    return render_template("kb/history.html", document=document, revisions=revisions)


@bp.get("/d/<slug>/diff")
@login_required
def compare_revisions(slug: str):
    """Line diff between two revisions (?a=1&b=2); defaults to the two latest visible ones."""
    document = document_or_404(slug)
    editor = can_edit(current_user, document)
    visible = [r for r in document.revisions if editor or not r.is_open]
    if len(visible) < 2:
        flash(_("只有一个版本，没有可比较的内容。"), "info")
        return redirect(url_for("kb.show_history", slug=slug))
    old = revision_or_404(document, request.args.get("a", type=db_id) or visible[-2].number)
    new = revision_or_404(document, request.args.get("b", type=db_id) or visible[-1].number)
    return render_template("kb/diff.html", document=document, old=old, new=new, visible=visible,
                           lines=diff_revisions(old, new))


@bp.get("/d/<slug>/readers")
@login_required
def list_readers(slug: str):
    """Who must read this document and whether they confirmed the current revision (managers, in scope)."""
    document = document_or_404(slug)
    if not may_see_readers(current_user):
        deny()
    people = readers_status(document, employee_scope(current_user))
    return render_template("kb/readers.html", document=document, readers=people, AckState=AckState)


@bp.get("/d/<slug>/export.xlsx")
@login_required
def export_hazard_list(slug: str):
    """The hazard list as xlsx (formula-like cells neutralised); every export is audited."""
    document = document_or_404(slug)
    revision = revision_or_404(document, request.args.get("rev", type=db_id))
    if document.kind != DocumentKind.HAZARD_LIST:
        deny(404)
    rows = sorted_rows(revision.hazard_rows, request.args.get("sort") == "d")
    data = hazard_xlsx(f"{revision.title}（第 {revision.number} 版）", rows)
    audit("export", target=f"hazard_list:{slug}", detail={"revision": revision.number, "rows": len(rows)})
    db.session.commit()
    return download(data, XLSX_MIMETYPE, f"{slug}-v{revision.number}.xlsx")
