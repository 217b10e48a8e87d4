"""The quiz blueprint, CLI groups, nav item 考试 and home panel 我的考试."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask
from flask_babel import lazy_gettext as _l

from core.ui import HomePanel, NavItem, add_home_panel, add_nav_item
from org.roles import Role


def _my_exams_panel(user) -> dict | None:
    from training.quiz.results import my_exam_rows

    return {"rows": my_exam_rows(user, datetime.now(UTC))}


def register_ui(app: Flask) -> None:
    """Register everything the quiz package shows or offers."""
    from training.quiz.cli import exams_cli, questions_cli
    from training.quiz.views import blueprint

    app.register_blueprint(blueprint)
    app.cli.add_command(questions_cli)
    app.cli.add_command(exams_cli)
    app.config.setdefault("QUIZ_GRACE_SECONDS", 60)
    add_nav_item(app, NavItem(_l("考试"), "quiz.my_exams", lambda user: True, 30))
    add_nav_item(app, NavItem(_l("题库"), "quiz.list_questions", lambda user: user.has_role(Role.SAFETY_DEPT), 70))
    add_nav_item(app, NavItem(_l("考试管理"), "quiz.list_exams", lambda user: user.has_role(Role.SAFETY_DEPT), 71))
    add_home_panel(app, HomePanel("training/quiz/_panel_my_exams.html", _my_exams_panel, 20))
