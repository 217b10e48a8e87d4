"""The 我的任务 home panel and the menu entries for induction, tasks and records."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from core.ui import HomePanel, NavItem, add_home_panel, add_nav_item
from org.roles import Role
from org.scope import is_manager
from training.assignments.services import task_progress, tasks_for
from training.induction.progress import clearance
from training.settings import current_now


def my_tasks_panel(user) -> dict:
    """Open tasks (overdue first) and where the user stands in their induction."""
    progress = [tp for tp in task_progress(tasks_for(user), current_now()) if not tp.complete]
    progress.sort(key=lambda tp: (not tp.overdue, tp.task.assignment.due_on))
    status = clearance(user)
    return {"tasks": progress[:8], "more": max(0, len(progress) - 8), "clearance": status}


def register_ui(app: Flask) -> None:
    """Menu entries and the 我的任务 panel (moved here from training/__init__.py)."""
    def assigner(user) -> bool:
        return is_manager(user)

    def org_wide(user) -> bool:
        return user.has_role(Role.SAFETY_DEPT, Role.ADMIN)

    add_nav_item(app, NavItem(_l("我的任务"), "assignments.my_tasks", lambda user: True, 10))
    add_nav_item(app, NavItem(_l("三级教育"), "induction.my_induction", lambda user: True, 11))
    add_nav_item(app, NavItem(_l("布置学习"), "assignments.list_assignments", assigner, 40))
    add_nav_item(app, NavItem(_l("培训档案"), "records.overview", assigner, 41))
    add_nav_item(app, NavItem(_l("培训方案"), "induction.programmes", org_wide, 42))
    add_home_panel(app, HomePanel("training/_panel_my_tasks.html", my_tasks_panel, 10))
