"""Signals other packages subscribe to (training opens inductions on these)."""

from blinker import Namespace

_signals = Namespace()

# sender: the Employee; kwargs: now (datetime)
employee_created = _signals.signal("employee-created")
# sender: the Employee; kwargs: now, changes ({field: (old, new)})
employee_changed = _signals.signal("employee-changed")

# Roster columns other packages add (safety: certificate columns). sender: the row's values
# ({field: text}); kwargs: line. Receivers return a list of problems in Chinese, each naming the
# row and column; any problem refuses the whole import.
roster_row_checking = _signals.signal("roster-row-checking")
# sender: the Employee just created, updated or unchanged; kwargs: values, line, now.
roster_row_imported = _signals.signal("roster-row-imported")
