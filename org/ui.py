"""Org's navigation entries, home-page panel and audit labels."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from core.audit import readable_value, register_action_labels, register_target_namer
from core.ui import HomePanel, NavItem, add_home_panel, add_nav_item
from org.models import EmployeeStatus, Role
from org.permissions import is_admin, is_manager
from org.services import organisation_counts, recent_audit


def _admin_panel(user) -> dict | None:
    return {"counts": organisation_counts(), **recent_audit()} if is_admin(user) else None


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


FIELD_LABELS = {
    "name": "姓名", "department": "部门", "team": "班组", "position": "岗位", "hire_date": "入职日期", "gender": "性别",
    "status": "状态", "roles": "角色",
}


def _roles_text(codes) -> str:
    if isinstance(codes, str):
        codes = [code for code in codes.split(",") if code]
    labels = {role.value: role.label for role in Role}
    return "、".join(labels.get(code, code) for code in codes) or "（无）"


def _field_value(field: str, value) -> str:
    if field == "roles":
        return _roles_text(value or [])
    if field == "status" and value in {s.value for s in EmployeeStatus}:
        return EmployeeStatus(value).label
    return readable_value(value)


def _changes_sentence(detail: dict) -> str:
    parts = []
    for field, pair in (detail.get("changes") or {}).items():
        old, new = (list(pair) + [None, None])[:2] if isinstance(pair, list | tuple) else (None, pair)
        parts.append(f"{FIELD_LABELS.get(field, '其他信息')} {_field_value(field, old)} → {_field_value(field, new)}")
    return "；".join(parts)


SENTENCES = {
    "employee.update": _changes_sentence,
    "employee.roles": lambda d: f"{_roles_text(d.get('from', []))} → {_roles_text(d.get('to', []))}",
    "roster.import": lambda d: (f"新建 {d.get('created', 0)} 人，更新 {d.get('updated', 0)} 人，"
                                f"未变 {d.get('unchanged', 0)} 人"),
    "org.change": lambda d: d.get("name", ""),
    "access.denied": lambda d: f"请求方式 {d.get('method', '')}",
}
UNIT_MODELS = {"departments": "Department", "teams": "Team", "positions": "Position"}


def employee_name(emp_no: str) -> str | None:
    from sqlalchemy import select

    from core.extensions import db
    from org.models import Employee

    employee = db.session.scalar(select(Employee).where(Employee.emp_no == emp_no))
    return f"{employee.emp_no} {employee.name}" if employee else None


def unit_namer(model_name: str):
    def name(code: str) -> str | None:
        from sqlalchemy import select

        from core.extensions import db
        from org import models

        model = getattr(models, model_name)
        unit = db.session.scalar(select(model).where(model.code == code))
        return unit.name if unit else None
    return name


def register_ui(app: Flask) -> None:
    """Add org's menu entries, panels and audit labels."""
    register_action_labels(AUDIT_LABELS, sentences=SENTENCES, fields=FIELD_LABELS)
    register_target_namer("", employee_name)
    for prefix, model_name in UNIT_MODELS.items():
        register_target_namer(prefix, unit_namer(model_name))
    add_nav_item(app, NavItem(_l("首页"), "org.show_home", lambda user: True, 0))
    add_nav_item(app, NavItem(_l("人员"), "org.list_employees", is_manager, 80))
    add_nav_item(app, NavItem(_l("组织架构"), "org.show_structure", is_admin, 90))
    add_nav_item(app, NavItem(_l("花名册导入"), "org.upload_roster", is_admin, 91))
    add_nav_item(app, NavItem(_l("审计日志"), "org.show_audit_log", is_admin, 99))
    add_home_panel(app, HomePanel("org/_panel_admin.html", _admin_panel, 1))  # an admin starts here
