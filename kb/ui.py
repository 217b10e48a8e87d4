"""The knowledge base's blueprint registration, menu entries, home panel and template filter."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from core.audit import register_action_labels
from core.ui import HomePanel, NavItem, add_home_panel, add_nav_item
from kb.permissions import is_publisher
from kb.render import trusted


def _pending_panel(user) -> dict | None:
    """待阅读确认: procedures / hazard lists of my position and team not confirmed in their current version."""
    from kb.services.reading import pending_acknowledgements

    pending = pending_acknowledgements(user)
    return {"pending": pending} if pending else None


AUDIT_LABELS = {
    "kb.publish": "发布文档",
    "kb.submit": "提交审核",
    "kb.archive": "归档文档",
}


def register(app: Flask) -> None:
    """Register the kb blueprint (with its view modules), navigation and the home panel."""
    register_action_labels(AUDIT_LABELS)
    from kb.views import editing, mine, reading  # noqa: F401  (routes attach to the blueprint)
    from kb.views.common import bp

    app.register_blueprint(bp)
    app.add_template_filter(trusted, "sanitised")
    add_nav_item(app, NavItem(_l("知识库"), "kb.index", lambda user: True, 20))
    add_nav_item(app, NavItem(_l("我的岗位"), "kb.my_position", lambda user: True, 21))
    add_nav_item(app, NavItem(_l("审核"), "kb.review_queue", is_publisher, 22))
    add_home_panel(app, HomePanel("kb/_panel_pending.html", _pending_panel, 20))
