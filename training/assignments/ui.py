"""The 我的任务 home panel, the menu entries 我的任务 and 布置学习, and audit labels."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from core.audit import register_action_labels
from core.clock import now
from core.ui import HomePanel, NavItem, add_home_panel, add_nav_item
from training.assignments.permissions import may_assign
from training.assignments.services import task_progress, tasks_for
from training.induction.services.clearance import clearance

AUDIT_LABELS = {
    "training.assign": "布置学习任务",
}


def my_tasks_panel(user) -> dict:
    """Open tasks (overdue first) and where the user stands in their induction."""
    progress = [tp for tp in task_progress(tasks_for(user), now()) if not tp.complete]
    progress.sort(key=lambda tp: (not tp.overdue, tp.task.assignment.due_on))
    return {"tasks": progress[:8], "more": max(0, len(progress) - 8), "clearance": clearance(user)}


def register_ui(app: Flask) -> None:
    """Menu entries, the 我的任务 panel and audit labels of assignments."""
    register_action_labels(AUDIT_LABELS, sentences={
        "training.assign": lambda d: f"{d['tasks']} 人" if "tasks" in d else ""})
    add_nav_item(app, NavItem(_l("我的任务"), "assignments.list_my_tasks", lambda user: True, 10))
    add_nav_item(app, NavItem(_l("布置学习"), "assignments.list_assignments", may_assign, 40))
    add_home_panel(app, HomePanel("training/_panel_my_tasks.html", my_tasks_panel, 10))
