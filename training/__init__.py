"""Training: question bank, exams, attempts, induction, assignments and records."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register training's blueprints, commands, navigation and home panels."""
    __import__("training.quiz", fromlist=["init_quiz"]).init_quiz(app)  # quiz: question bank, exams
    __import__("training.induction", fromlist=["init_app"]).init_app(app)  # induction, tasks, records
