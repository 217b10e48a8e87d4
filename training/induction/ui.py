"""Induction's menu entries (三级教育, 培训方案) and audit labels."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from core.audit import register_action_labels
from core.ui import NavItem, add_nav_item
from training.induction.permissions import may_set_programmes

AUDIT_LABELS = {
    "training.sign_off": "三级教育签字确认",
    "training.classroom": "登记培训课时",
    "training.programme": "保存培训方案",
    "training.absence": "登记离岗/返岗",
}


def register_ui(app: Flask) -> None:
    """Menu entries and audit labels of induction."""
    register_action_labels(AUDIT_LABELS)
    add_nav_item(app, NavItem(_l("三级教育"), "induction.show_my_induction", lambda user: True, 11))
    add_nav_item(app, NavItem(_l("培训方案"), "induction.list_programmes", may_set_programmes, 42))
