"""Signals the quiz engine sends, so other training rooms can add rules without a cycle."""

from blinker import Namespace

_signals = Namespace()

# sender: the Exam; kwargs: employee, now. Sent before a new attempt is created; a receiver
# that raises core.exceptions.DomainError stops the start (e.g. an induction level still locked).
attempt_starting = _signals.signal("attempt-starting")

# sender: the Employee; kwargs: now. Receivers return the ids of exams meant for this person
# (the exam of an unlocked induction level, the exam of an open task) so an unlisted exam
# still shows in their 我的考试.
personal_exams = _signals.signal("personal-exams")

# sender: the Exam; kwargs: employee. Receivers return the people (Employee objects) who answer
# for this person's sitting of the exam besides the safety department — e.g. the trainer of an
# induction level. They may grant 补考 and are named when the person runs out of attempts.
exam_trainers = _signals.signal("exam-trainers")

# sender: the Exam; kwargs: employee, now. Receivers return a reason (str) why this person may
# not start the exam yet (e.g. "须先完成公司级培训"), or None: shown before anyone presses start.
exam_locked = _signals.signal("exam-locked")
