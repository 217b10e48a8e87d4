"""Blueprint ``search``: the search page and the synonym list (安全管理部门)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.routing import BuildError

from core.audit import audit
from core.clock import now
from core.exceptions import DomainError
from core.extensions import db
from core.input import db_id, page_arg
from core.permissions import roles_required
from kb.models import KIND_LABELS, Document
from kb.search import engine
from kb.search.forms import SynonymsForm
from kb.search.synonyms import groups_as_text, replace_groups, synonym_groups
from org.models import Department, Position, Role

bp = Blueprint("search", __name__)
VALIDITIES = ("现行", "已修订", "已废止")
SUGGESTED = ("动火作业", "有限空间", "上锁挂牌", "叉车", "安全带", "危险化学品", "三违", "GB 30871-2022")


def _filters() -> dict[str, str | None]:
    """Filter arguments, each dropped unless it names something that exists."""
    args = request.args
    kind = args.get("kind") if args.get("kind") in {str(k) for k in KIND_LABELS} else None
    validity = args.get("validity") if args.get("validity") in VALIDITIES else None
    position = args.get("position") or None
    if position and db.session.scalar(select(Position.id).where(Position.code == position)) is None:
        position = None
    department = args.get("department", type=db_id)
    return {"kind": kind, "position": position, "validity": validity,
            "department": str(department) if department else None}


@bp.get("/kb/search")
@login_required
def search():
    """Full-text search over published documents; says so plainly when the index is unavailable."""
    q = request.args.get("q", "").strip()[:200]
    filters = _filters()
    result, unavailable = None, False
    if q:
        try:
            result = engine.query(q, **filters, page=page_arg())
        except engine.SearchUnavailable:
            unavailable = True
    related = [g for g in synonym_groups() if any(w in q for w in g)] if q and result and not result.hits else []
    return render_template(
        "kb/search.html", q=q, filters=filters, result=result, unavailable=unavailable, related=related,
        suggested=SUGGESTED, kinds=KIND_LABELS, validities=VALIDITIES,
        positions=db.session.scalars(select(Position).where(Position.active.is_(True)).order_by(Position.code)),
        departments=db.session.scalars(select(Department).order_by(Department.code)))


@bp.route("/kb/search/synonyms", methods=["GET", "POST"])
@roles_required(Role.SAFETY_DEPT)
def synonyms():
    """The synonym list the search expands queries with; one group per line."""
    form = SynonymsForm()
    if form.validate_on_submit():
        try:
            count = replace_groups(form.text.data or "", current_user, now())
        except DomainError as error:
            form.text.errors.append(error.message)
        else:
            audit("settings.change", target="search.synonyms", detail={"groups": count})
            db.session.commit()
            flash(_("同义词已保存，共 %(n)s 组。", n=count), "success")
            return redirect(url_for("search.synonyms"))
    elif request.method == "GET":
        form.text.data = groups_as_text()
    return render_template("kb/search_synonyms.html", form=form)


def document_url(document: Document) -> str:
    """Link to a document's page (the knowledge-base blueprint owns it)."""
    for endpoint in ("kb.show_document", "kb.document"):
        try:
            return url_for(endpoint, slug=document.slug)
        except BuildError:
            continue
    return f"/kb/{document.slug}"
