"""The quiz blueprint (``quiz``): taking exams, results and 错题本, and the bank/exam management pages."""

from training.quiz.views import manage, taking  # noqa: F401  (routes attach to the blueprint)
from training.quiz.views.common import bp

__all__ = ["bp"]
