"""Induction's menu entries (三级教育, 培训方案) and audit labels."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from core.audit import register_action_labels, register_target_labels
from core.clock import now
from core.ui import HomePanel, NavItem, add_home_panel, add_nav_item
from org.models import Role
from training.induction.models import Level
from training.induction.permissions import may_set_programmes
from training.induction.services.next_step import next_step, stepper
from training.induction.services.progress import current_induction, induction_progress
from training.settings import SETTINGS


def _sign_off_panel(user) -> dict | None:
    """待签字 for department safety officers and team leaders, after their own figures."""
    if not user.has_role(Role.SAFETY_OFFICER, Role.TEAM_LEADER):
        return None
    from training.induction.services.sign_offs import pending_sign_offs

    pending = pending_sign_offs(user)
    return {"pending": pending} if pending else None


AUDIT_LABELS = {
    "training.sign_off": "三级教育签字确认",
    "training.classroom": "登记培训课时",
    "training.programme": "保存培训方案",
    "training.absence": "登记离岗/返岗",
    "training.paper_record": "补录历史三级教育记录",
}


def _level_name(value: str) -> str:
    return Level(value).label if value in {level.value for level in Level} else ""


AUDIT_SENTENCES = {
    "training.sign_off": lambda d: _level_name(d.get("level", "")),
    "training.classroom": lambda d: f"{d['attendees']} 人参加" if "attendees" in d else "",
}
AUDIT_FIELDS = {key: setting.label for key, setting in SETTINGS.items()} | {"attendees": "参加人数"}


def _next_step_panel(user) -> dict | None:
    """The new hire's 下一步 card and three-level stepper, while an induction is open."""
    induction = current_induction(user)
    if induction is None:
        return None
    progress = induction_progress(induction)
    if progress.complete:
        return None
    return {"progress": progress, "next": next_step(user, progress, now()), "steps": stepper(user, progress)}


def register_ui(app: Flask) -> None:
    """Menu entries, the 下一步 home panel and audit labels of induction (and of the training settings page)."""
    register_action_labels(AUDIT_LABELS, sentences=AUDIT_SENTENCES, fields=AUDIT_FIELDS)
    register_target_labels({"training": "培训设置"})
    add_home_panel(app, HomePanel("training/induction/_panel_next_step.html", _next_step_panel, 5))
    add_nav_item(app, NavItem(_l("三级教育"), "induction.show_my_induction", lambda user: True, 11))
    add_nav_item(app, NavItem(_l("培训方案"), "induction.list_programmes", may_set_programmes, 42))
    add_home_panel(app, HomePanel("training/induction/_panel_sign_offs.html", _sign_off_panel, 7))  # then 待签字
