"""准许上岗 (clearance for the post): the one place that decides whether a person may work their post.

Cleared only when the latest induction has every level complete and no package above training
holds the person back (asked through ``training.signals.clearance_holds``: safety answers for
missing or expired certificates and 三违 stand-downs not yet signed off).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from org.models import Employee
from training.induction.services.history import paper_complete
from training.induction.services.progress import InductionProgress, induction_progress, inductions_of


@dataclass(frozen=True)
class Hold:
    """Something besides training that keeps a person off the post (safety answers the signal)."""

    label: str  # e.g. 未持有效证件
    detail: str = ""  # e.g. 缺少或已过期：电工作业/低压电工作业


@dataclass(frozen=True)
class Clearance:
    """准许上岗 status: ``cleared``, ``in_training``, ``no_record`` or ``held`` (training done, a hold stands)."""

    status: str
    progress: InductionProgress | None
    holds: tuple[Hold, ...] = ()

    @property
    def label(self) -> str:
        held = "；".join(dict.fromkeys(h.label for h in self.holds))
        if self.status == "held":
            return held
        base = str({"cleared": _l("准许上岗"), "in_training": _l("培训中，未准许上岗"),
                    "no_record": _l("无三级教育记录")}[self.status])
        return f"{base}；{held}" if held else base

    @property
    def cleared(self) -> bool:
        return self.status == "cleared"


def holds_for(employee: Employee) -> tuple[Hold, ...]:
    """Ask the packages above training whether anything holds ``employee`` back from the post."""
    from core.clock import today
    from training.signals import clearance_holds

    found: list[Hold] = []
    for _receiver, holds in clearance_holds.send(employee, today=today()):
        found.extend(holds or ())
    return tuple(found)


def clearance(employee: Employee) -> Clearance:
    """Cleared only when the latest induction has every level complete and nothing holds the person back
    (training asks the packages above it through ``clearance_holds``: certificates, 三违 stand-downs).
    A person hired before the system with no induction in it is cleared by a complete paper record."""
    holds = holds_for(employee)
    inductions = inductions_of(employee)
    if not inductions:
        if paper_complete(employee):
            return Clearance("held" if holds else "cleared", None, holds)
        return Clearance("no_record", None, holds)
    progress = induction_progress(inductions[-1])
    if not progress.complete:
        return Clearance("in_training", progress, holds)
    return Clearance("held" if holds else "cleared", progress, holds)
