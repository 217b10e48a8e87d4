"""Quizzes: question bank (题库), exams, attempts with integrity, results and 错题本.

Other packages use :mod:`training.quiz.services` (best_result, exams_open_to, ...).
"""


def init_quiz(app) -> None:
    """Register the quiz blueprint, the ``questions`` CLI group, nav item 考试 and panel 我的考试."""
    from training.quiz import models  # noqa: F401  (tables known to create_all and migrations)
    from training.quiz.ui import register_ui

    register_ui(app)
