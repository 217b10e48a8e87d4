"""Org's navigation entries, home-page panel and audit labels."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from core.audit import register_action_labels
from core.ui import HomePanel, NavItem, add_home_panel, add_nav_item
from org.permissions import is_admin, is_manager
from org.services import organisation_counts


def _admin_panel(user) -> dict | None:
    return {"counts": organisation_counts()} if is_admin(user) else None


AUDIT_LABELS = {
    "login.success": "登录成功",
    "login.failure": "登录失败",
    "login.rate_limited": "登录被限流",
    "logout": "退出登录",
    "password.change": "修改密码",
    "password.reset": "重置密码",
    "roster.import": "花名册导入",
    "employee.create": "新建员工",
    "employee.update": "修改员工",
    "employee.deactivate": "停用员工",
    "employee.roles": "角色变更",
    "org.change": "组织架构变更",
    "settings.change": "修改设置",
}


def register_ui(app: Flask) -> None:
    """Add org's menu entries, panels and audit labels."""
    register_action_labels(AUDIT_LABELS)
    add_nav_item(app, NavItem(_l("首页"), "org.show_home", lambda user: True, 0))
    add_nav_item(app, NavItem(_l("人员"), "org.list_employees", is_manager, 80))
    add_nav_item(app, NavItem(_l("组织架构"), "org.show_structure", is_admin, 90))
    add_nav_item(app, NavItem(_l("花名册导入"), "org.upload_roster", is_admin, 91))
    add_nav_item(app, NavItem(_l("审计日志"), "org.show_audit_log", is_admin, 99))
    add_home_panel(app, HomePanel("org/_panel_admin.html", _admin_panel, 90))
