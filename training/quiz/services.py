"""The quiz service API other packages build on (induction, assignments, records).

- ``best_result(employee_id, exam_id) -> AttemptResult | None``: score, total_points, passed,
  started_at, submitted_at and attempt_id of the best submitted attempt.
- ``results_for(employee_id) -> list[AttemptResult]``: all submitted attempts, newest first.
- ``exams_open_to(employee, now) -> list[Exam]``: published exams in their window and audience.
- ``attempts_left(employee, exam) -> int | None`` (None: unlimited);
  ``open_attempt(employee, exam) -> Attempt | None``.
- Endpoints: ``quiz.show_exam`` (exam_id) starts/continues; ``quiz.show_result`` (attempt_id).
"""

from training.quiz.attempts import attempts_left, open_attempt
from training.quiz.exams import exams_open_to
from training.quiz.results import AttemptResult, best_result, results_for

__all__ = ["AttemptResult", "attempts_left", "best_result", "exams_open_to", "open_attempt", "results_for"]
