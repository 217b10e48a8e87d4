"""The managers' home panel: how their teams stand today."""

from __future__ import annotations

from flask import Flask, url_for
from sqlalchemy import select

from core.extensions import db
from core.ui import HomePanel, add_home_panel
from org.models import Department, Team
from org.roles import Role
from org.scope import department_scope, led_team_ids
from training.records.services import department_stats, team_stats
from training.settings import current_now


def _team_panel(user) -> dict | None:
    """Team leaders see their teams; department safety officers see their department."""
    now = current_now()
    if user.has_role(Role.SAFETY_OFFICER):
        department = db.session.scalar(select(Department).where(department_scope(user)))
        if department is not None:
            overall, _teams = department_stats(user, department, now)
            return {"groups": [(overall, url_for("records.department", department_id=department.id))]}
    team_ids = led_team_ids(user)
    if not team_ids:
        return None
    teams = db.session.scalars(select(Team).where(Team.id.in_(team_ids)).order_by(Team.code))
    return {"groups": [(team_stats(user, team, now), url_for("records.team", team_id=team.id)) for team in teams]}


def register_records_ui(app: Flask) -> None:
    add_home_panel(app, HomePanel("training/records/_panel_team.html", _team_panel, 20))
