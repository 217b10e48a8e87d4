"""Signals training sends so that higher packages can answer without training importing them."""

from blinker import Namespace

_signals = Namespace()

# "Does anything hold this person back from the post?" sender: the Employee; kwargs: today (date).
# Receivers return a list of training.induction.progress.Hold (empty when nothing does); safety
# answers for certificates (未持有效证件) and 三违 stand-downs (停岗待复岗).
clearance_holds = _signals.signal("clearance-holds")
