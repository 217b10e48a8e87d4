"""Training: question bank, exams, attempts, induction, assignments and records.

Four rooms, each wired by its own ``init_app``; imports run records → assignments → induction → quiz.
"""

from flask import Flask


def init_app(app: Flask) -> None:
    """Wire each training room: blueprints, commands, signal receivers, menus, panels, audit labels."""
    from training import assignments, induction, quiz, records, settings  # noqa: F401  (settings: its table)

    quiz.init_app(app)
    induction.init_app(app)
    assignments.init_app(app)
    records.init_app(app)
