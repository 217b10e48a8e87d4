"""我的岗位: what one employee needs for their own job."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required

from kb.hazards import danger_text, grade_for, severe_first, thresholds
from kb.services.reading import (
    ack_states,
    hazard_lists_for_team,
    pending_acknowledgements,
    procedures_for_position,
    related_cases,
)
from kb.views.common import bp


@bp.get("/my-position")
@login_required
def show_my_position():
    """Procedures of my position, my team's hazard list (红/橙 first), related cases, what to confirm."""
    procedures = procedures_for_position(current_user.position_id)
    hazard_lists = hazard_lists_for_team(current_user.team_id)
    limits = thresholds()
    tables = [(doc, [(r, grade_for(r.danger, limits), danger_text(r.danger))
                     for r in severe_first(doc.published_revision.hazard_rows)]) for doc in hazard_lists]
    states = ack_states(current_user, procedures + hazard_lists)
    return render_template(
        "kb/my_position.html", procedures=[(d, states[d.id]) for d in procedures],
        tables=[(doc, rows, states[doc.id]) for doc, rows in tables],
        cases=related_cases(current_user, procedures, hazard_lists)[:12],
        pending=_not_listed(pending_acknowledgements(current_user), procedures + hazard_lists),
        to_confirm=sum(1 for d in procedures + hazard_lists if states[d.id] != "current"))


def _not_listed(pending, listed) -> list:
    """Pending confirmations other than the documents the page lists anyway (each shows once)."""
    ids = {document.id for document in listed}
    return [item for item in pending if item.document.id not in ids]
