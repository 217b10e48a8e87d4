"""准许上岗 (clearance for the post): the one place that decides whether a person may work their post.

Cleared only when the latest induction has every level complete and no package above training
holds the person back (asked through ``training.signals.clearance_holds``: safety answers for
missing or expired certificates and 三违 stand-downs not yet signed off).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from org.models import Employee
from training.induction.services.history import paper_complete_many
from training.induction.services.progress import InductionProgress, inductions_of_many, progress_many


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


def holds_for_many(employees: list[Employee]) -> dict[int, tuple[Hold, ...]]:
    """Ask the packages above training what holds each of ``employees`` back from the post.

    One signal for the whole group: each receiver answers {employee id: [Hold, …]} in a constant
    number of queries.
    """
    from core.clock import today
    from training.signals import clearance_holds

    found: dict[int, list[Hold]] = {employee.id: [] for employee in employees}
    if not employees:
        return {}
    for _receiver, answer in clearance_holds.send(employees, today=today()):
        for employee_id, holds in (answer or {}).items():
            found[employee_id].extend(holds)
    return {employee_id: tuple(holds) for employee_id, holds in found.items()}


def holds_for(employee: Employee) -> tuple[Hold, ...]:
    """Ask the packages above training whether anything holds ``employee`` back from the post."""
    return holds_for_many([employee])[employee.id]


def clearances(employees: list[Employee]) -> dict[int, Clearance]:
    """准许上岗 for each of ``employees`` (by id), in a constant number of queries for the whole group.

    Cleared only when the latest induction has every level complete and nothing holds the person
    back (training asks the packages above it through ``clearance_holds``: certificates, 三违
    stand-downs). A person hired before the system with no induction in it is cleared by a
    complete paper record.
    """
    people = list(employees)
    holds = holds_for_many(people)
    inductions = inductions_of_many([e.id for e in people])
    progress = progress_many([found[-1] for found in inductions.values() if found])
    paper = paper_complete_many([e.id for e in people if not inductions[e.id]])
    result = {}
    for employee in people:
        held = holds[employee.id]
        if not inductions[employee.id]:
            status = ("held" if held else "cleared") if paper.get(employee.id) else "no_record"
            result[employee.id] = Clearance(status, None, held)
            continue
        latest = progress[inductions[employee.id][-1].id]
        status = "in_training" if not latest.complete else ("held" if held else "cleared")
        result[employee.id] = Clearance(status, latest, held)
    return result


def clearance(employee: Employee) -> Clearance:
    """Where one person stands for the post (see ``clearances``)."""
    return clearances([employee])[employee.id]
