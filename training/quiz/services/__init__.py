"""The quiz engine's operations: question bank, exams, attempts and scoring, results.

What other training rooms use (induction, assignments, records):

- :mod:`.results`: ``best_result`` / ``exam_outcome`` (one employee's best submitted attempt,
  optionally judged against another pass mark), ``results_for`` (every submitted attempt),
  ``exam_title`` and ``exam_choices`` for pages and selects.
- :mod:`.my_exams`: ``exams_open_to`` (published exams in their window and audience).
- :mod:`.attempts`: ``attempts_left`` and the start limit count the person's current round only: the
  ``exam_round`` signal (training.quiz.signals) lets induction and assignments say since when an exam
  of a level or a task counts; earlier attempts stay in the history.
- Endpoints: ``quiz.show_exam`` (exam_id) starts or continues; ``quiz.show_result`` (attempt_id).
"""
