"""Safety's navigation entries, home panels, 一人一档 sections and audit labels."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask_babel import lazy_gettext as _l

from core.audit import register_action_labels
from core.clock import now, today
from core.ui import HomePanel, NavItem, PageSection, add_home_panel, add_nav_item, add_page_section
from safety.permissions import is_any_manager, may_edit_settings, may_record_violations, may_see_expiring
from safety.settings import SETTINGS

AUDIT_LABELS = {
    "safety.certificate": "登记/修改证件",
    "safety.requirements": "修改岗位持证要求",
    "safety.review_assigned": "布置证件复审培训",
    "safety.violation": "登记三违",
    "safety.return": "三违复岗签字",
}


def _safety_panel(user) -> dict | None:
    """Managers: certificates lapsing within the window and people stood down, in their scope."""
    if not (may_see_expiring(user) or may_record_violations(user)):
        return None
    from sqlalchemy import select

    from core.extensions import db
    from safety.models import Violation
    from safety.permissions import violation_scope
    from safety.services.certificates import expiring_certificates
    from safety.services.violation_reports import repeat_offenders

    expiring = expiring_certificates(user, today()) if may_see_expiring(user) else {}
    rows = [row for items in expiring.values() for row in items]
    stood_down = db.session.scalars(select(Violation).where(
        violation_scope(user), Violation.stand_down.is_(True), Violation.returned_at.is_(None))
        .order_by(Violation.occurred_at)).all()
    recent = db.session.scalars(select(Violation).where(
        violation_scope(user), Violation.occurred_at >= now() - timedelta(days=30))).all()
    return {"lapsed": sum(r.days_left < 0 for r in rows), "due": sum(r.days_left >= 0 for r in rows),
            "expiring_shown": may_see_expiring(user), "stood_down": stood_down, "recent": len(recent),
            "repeat": len(repeat_offenders(user, now()))}


def _record_section(user, employee) -> dict | None:
    """一人一档: certificates (where required or held) and 三违 records of the person."""
    from org.permissions import can_view_employee
    from safety.permissions import may_edit_certificates
    from safety.services.certificates import certificates_of, required_kinds
    from safety.services.violation_reports import violations_for

    if not can_view_employee(user, employee):
        return None
    return {"employee": employee, "certificates": certificates_of(employee), "today": today(),
            "required": required_kinds(employee.position_id),
            "violations": violations_for(user, employee_id=employee.id),
            "may_edit": may_edit_certificates(user, employee), "may_record": may_record_violations(user)}


def register_ui(app: Flask) -> None:
    """Add safety's menu entries, home panel, 一人一档 section and audit labels."""
    register_action_labels(AUDIT_LABELS, fields={key: setting.label for key, setting in SETTINGS.items()})
    add_nav_item(app, NavItem(_l("三违登记"), "safety.list_violations", may_record_violations, 40))
    add_nav_item(app, NavItem(_l("证件到期"), "safety.list_expiring", may_see_expiring, 41))
    add_nav_item(app, NavItem(_l("岗位告知卡"), "safety.list_cards", is_any_manager, 42))
    add_nav_item(app, NavItem(_l("持证要求"), "safety.list_requirements", may_edit_settings, 43))
    add_nav_item(app, NavItem(_l("安全设置"), "safety.edit_settings", may_edit_settings, 95))
    add_home_panel(app, HomePanel("safety/_panel_safety.html", _safety_panel, 15))
    add_page_section(app, PageSection("records.employee", "safety/_record_section.html", _record_section))
