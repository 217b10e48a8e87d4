"""Training: question bank, exams, attempts, induction, assignments and records."""

from flask import Flask

from core.ui import HomePanel, add_home_panel


def _my_tasks_panel(user) -> dict:
    return {"tasks": []}


def init_app(app: Flask) -> None:
    """Register training's blueprint, commands, navigation and the 我的任务 panel."""
    add_home_panel(app, HomePanel("training/_panel_my_tasks.html", _my_tasks_panel, 10))
    __import__("training.quiz", fromlist=["init_quiz"]).init_quiz(app)  # quiz: question bank, exams
