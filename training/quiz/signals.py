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
