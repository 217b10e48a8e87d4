"""Signals other packages subscribe to (training opens inductions on these)."""

from blinker import Namespace

_signals = Namespace()

# sender: the Employee; kwargs: now (datetime)
employee_created = _signals.signal("employee-created")
# sender: the Employee; kwargs: now, changes ({field: (old, new)})
employee_changed = _signals.signal("employee-changed")
