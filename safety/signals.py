"""Signals safety sends (nothing below safety may listen for them; later rooms such as drills may)."""

from blinker import Namespace

_signals = Namespace()

# sender: the Violation; kwargs: now. Sent once the record and its photos are written.
violation_recorded = _signals.signal("violation-recorded")
# sender: the Violation; kwargs: now. The person is stood down and the retraining task is open.
stood_down = _signals.signal("stood-down")
# sender: the Violation; kwargs: now. The department officer signed 复岗.
returned_to_post = _signals.signal("returned-to-post")
