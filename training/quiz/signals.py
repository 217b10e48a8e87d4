"""Signals the quiz engine sends, so other training rooms can add rules without a cycle."""

from blinker import Namespace

_signals = Namespace()

# sender: the Exam; kwargs: employee, now. Sent before a new attempt is created; a receiver
# that raises core.exceptions.DomainError stops the start (e.g. an induction level still locked).
attempt_starting = _signals.signal("attempt-starting")
