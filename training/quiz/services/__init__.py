"""The quiz engine's operations: question bank, exams, attempts and scoring, results.

What other training rooms use (induction, assignments, records):

- :mod:`.results`: ``best_result`` / ``exam_outcome`` (one employee's best submitted attempt,
  optionally judged against another pass mark), ``results_for`` (every submitted attempt),
  ``exam_title`` and ``exam_choices`` for pages and selects.
- :mod:`.my_exams`: ``exams_open_to`` (published exams in their window and audience).
- Endpoints: ``quiz.show_exam`` (exam_id) starts or continues; ``quiz.show_result`` (attempt_id).
"""
