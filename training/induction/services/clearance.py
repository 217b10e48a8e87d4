"""准许上岗 (clearance for the post): the one place that decides whether a person may work their post.

Today it is the three-level induction: cleared only when the latest induction has every level
complete. Any other rule that holds a person back from the post belongs in this module too.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from org.models import Employee
from training.induction.services.progress import InductionProgress, induction_progress, inductions_of


@dataclass(frozen=True)
class Clearance:
    """准许上岗 status: ``cleared``, ``in_training`` or ``no_record``."""

    status: str
    progress: InductionProgress | None

    @property
    def label(self) -> str:
        return str({"cleared": _l("准许上岗"), "in_training": _l("培训中，未准许上岗"),
                    "no_record": _l("无三级教育记录")}[self.status])

    @property
    def cleared(self) -> bool:
        return self.status == "cleared"


def clearance(employee: Employee) -> Clearance:
    """Cleared only when the latest induction has every level complete."""
    inductions = inductions_of(employee)
    if not inductions:
        return Clearance("no_record", None)
    progress = induction_progress(inductions[-1])
    return Clearance("cleared" if progress.complete else "in_training", progress)
