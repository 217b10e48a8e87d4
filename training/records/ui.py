"""Records' menu entry 培训档案 and the managers' home panel: how their teams stand today."""

from __future__ import annotations

from flask import Flask, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.audit import register_target_labels, register_target_namer
from core.clock import now
from core.extensions import db
from core.ui import HomePanel, NavItem, add_home_panel, add_nav_item
from org.models import Department, Role, Team
from org.permissions import department_scope, led_team_ids
from training.records.permissions import may_see_records
from training.records.services import company_stats, department_stats, team_stats


def _team_panel(user) -> dict | None:
    """Team leaders see their teams; department safety officers see their department."""
    at = now()
    if user.has_role(Role.SAFETY_OFFICER):
        department = db.session.scalar(select(Department).where(department_scope(user)))
        if department is not None:
            overall, _teams = department_stats(user, department, at)
            return {"groups": [(overall, url_for("records.show_department", department_id=department.id))]}
    team_ids = led_team_ids(user)
    if not team_ids:
        return None
    teams = db.session.scalars(select(Team).where(Team.id.in_(team_ids)).order_by(Team.code))
    return {"groups": [(team_stats(user, team, at), url_for("records.show_team", team_id=team.id))
                       for team in teams]}


def _company_panel(user) -> dict | None:
    """The safety department sees the company: 准许上岗率, inductions under way, overdue by department."""
    if not user.has_role(Role.SAFETY_DEPT):
        return None
    whole, departments = company_stats(user, now())
    return {"whole": whole, "departments": departments}


def register_ui(app: Flask) -> None:
    """The 培训档案 menu entry and the team panel (records write no audit rows but ``export``, core's)."""
    from org.ui import employee_name, unit_namer

    register_target_namer("records.employee", lambda emp_no: f"{employee_name(emp_no) or emp_no} 的培训档案")
    register_target_namer("records.team", unit_namer("Team"))
    register_target_namer("records.department", unit_namer("Department"))
    register_target_labels({"records.show_item_analysis": "错题分析"})
    add_nav_item(app, NavItem(_l("培训档案"), "records.show_overview", may_see_records, 41))
    add_home_panel(app, HomePanel("training/records/_panel_team.html", _team_panel, 6))  # own figures first
    add_home_panel(app, HomePanel("training/records/_panel_company.html", _company_panel, 8))
