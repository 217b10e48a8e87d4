"""Signals the quiz engine sends, so other training rooms can add rules without a cycle."""

from blinker import Namespace

_signals = Namespace()

# sender: the Exam; kwargs: employee, now. Sent before a new attempt is created; a receiver
# that raises core.exceptions.DomainError stops the start (e.g. an induction level still locked).
attempt_starting = _signals.signal("attempt-starting")

# sender: the Employee; kwargs: now, finished. Receivers return the ids of exams meant for this
# person (the exam of an unlocked induction level, the exam of an open task) so an unlisted exam
# still shows in their 我的考试 and they alone may start it. With finished=True they also return
# the exams of levels and tasks already done (whose review the person may still read).
personal_exams = _signals.signal("personal-exams")


def named_exam_ids(employee, now, *, finished: bool = False) -> set[int]:
    """The ids of the exams an induction level or a task names for ``employee``."""
    replies = personal_exams.send(employee, now=now, finished=finished)
    return {exam_id for _receiver, ids in replies for exam_id in ids or ()}

# sender: the Exam; kwargs: employee. Receivers return the people (Employee objects) who answer
# for this person's sitting of the exam besides the safety department — e.g. the trainer of an
# induction level. They may grant 补考 and are named when the person runs out of attempts.
exam_trainers = _signals.signal("exam-trainers")

# sender: the Exam; kwargs: employee, now. Receivers return a reason (str) why this person may
# not start the exam yet (e.g. "须先完成公司级培训"), or None: shown before anyone presses start.
exam_locked = _signals.signal("exam-locked")
