"""Signals training sends so that higher packages can answer without training importing them."""

from blinker import Namespace

_signals = Namespace()

# "Does anything hold these people back from the post?" sender: a list of Employees; kwargs: today
# (date). Receivers return {employee id: [training.induction.services.clearance.Hold, …]} (people
# nothing holds back may be left out), in a constant number of queries for the whole list; safety
# answers for certificates (未持有效证件) and 三违 stand-downs (停岗待复岗).
clearance_holds = _signals.signal("clearance-holds")
