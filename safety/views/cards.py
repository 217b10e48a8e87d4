"""岗位安全风险告知卡 (A4/A5, printable, QR code) and the post page the QR code opens."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from core.clock import now
from core.extensions import db
from core.input import optional_id
from core.permissions import get_visible_or_404
from org.models import Department, Position
from org.permissions import can_view_department, department_scope
from safety.forms import ActionForm
from safety.services.cards import check_questions, position_card, positions_of_department, qr_svg, record_post_check
from safety.views import bp


def _size() -> str:
    return "a5" if request.args.get("size") == "a5" else "a4"


def _post_url(position: Position) -> str:
    return url_for("safety.show_post", position_id=position.id, _external=True)


@bp.get("/cards")
@login_required
def list_cards():
    """Every position's card, and each department's print-all link (departments in scope)."""
    positions = db.session.scalars(select(Position).where(Position.active).order_by(Position.code)).all()
    departments = db.session.scalars(select(Department).where(department_scope(current_user))
                                     .order_by(Department.code)).all()
    return render_template("safety/cards.html", positions=positions, departments=departments)


@bp.get("/cards/<int:position_id>")
@login_required
def show_card(position_id: int):
    """One position's card, ready to print on A4 (or A5 with ?size=a5)."""
    position = db.get_or_404(Position, position_id)
    return render_template("safety/card_print.html", cards=[(position_card(position), qr_svg(_post_url(position)))],
                           size=_size(), title=position.name)


@bp.get("/cards/<int:position_id>/rows/<int:row_id>")
@login_required
def show_equipment_card(position_id: int, row_id: int):
    """The card for one hazard row's equipment at this position (red/orange rows only)."""
    position = db.get_or_404(Position, position_id)
    card = position_card(position, equipment_row_id=row_id)
    if card.equipment is None:
        abort(404)
    return render_template("safety/card_print.html", cards=[(card, qr_svg(_post_url(position)))], size=_size(),
                           title=card.equipment.row.activity)


@bp.get("/departments/<int:department_id>/cards")
@login_required
def print_department_cards(department_id: int):
    """All the cards of a department's positions in one printable page."""
    department = get_visible_or_404(Department, department_id, can_view_department)
    cards = [(position_card(p), qr_svg(_post_url(p))) for p in positions_of_department(department.id)]
    return render_template("safety/card_print.html", cards=cards, size=_size(), title=department.name)


@bp.get("/post/<int:position_id>")
@login_required
def show_post(position_id: int):
    """The post page (after login): procedure, hazards, emergency measures and a one-minute check."""
    position = db.get_or_404(Position, position_id)
    questions = check_questions(position)
    return render_template("safety/post.html", card=position_card(position), questions=questions,
                           form=ActionForm(), result=None)


@bp.post("/post/<int:position_id>/check")
@login_required
def check_post(position_id: int):
    """Mark the one-minute check and keep it as practice (it is not an exam)."""
    position = db.get_or_404(Position, position_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    answers: dict[int, list[int]] = {}
    for key in request.form:
        if key.startswith("q-") and optional_id(key[2:]) is not None:
            answers[int(key[2:])] = [i for i in map(optional_id, request.form.getlist(key)) if i is not None][:10]
    if not answers:
        flash(_("请先作答再提交。"), "danger")
        return redirect(url_for("safety.show_post", position_id=position.id))
    result = record_post_check(current_user, position, answers, now())
    db.session.commit()
    return render_template("safety/post.html", card=position_card(position), questions=[], form=ActionForm(),
                           result=result)
