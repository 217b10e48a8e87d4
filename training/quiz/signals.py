"""Signals the quiz engine sends, so other training rooms can add rules without a cycle."""

from dataclasses import dataclass
from datetime import datetime

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


@dataclass(frozen=True)
class ExamRound:
    """The current round of one person's sitting of one exam: attempts started at or after ``since``
    count toward the attempt limit and toward 已通过; earlier ones stay in the history only.
    ``earlier`` names, for the person, what the earlier attempts belonged to (e.g. "原班组：冲压一班")."""

    since: datetime
    earlier: str = ""


# sender: the Exam; kwargs: employee. Receivers return an ExamRound (or None) when this exam belongs to
# something the person is doing now that began at a known instant — the level of their current
# induction (since it opened), a task (since it was assigned). The latest round wins.
exam_round = _signals.signal("exam-round")


def current_round(employee, exam) -> ExamRound | None:
    """The round of ``exam`` that counts for ``employee`` now (None: every attempt counts)."""
    rounds = [reply for _receiver, reply in exam_round.send(exam, employee=employee) if reply is not None]
    return max(rounds, key=lambda r: r.since, default=None)


def round_start(employee, exam) -> datetime | None:
    """Attempts started before this instant do not count for ``employee`` at ``exam`` (None: all count)."""
    found = current_round(employee, exam)
    return found.since if found else None
