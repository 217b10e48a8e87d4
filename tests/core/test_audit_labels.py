"""Every audited action has a Chinese label in the audit log (each package registers its own).

Actions are found by reading the application's calls to the audit functions; the labels are
what the packages registered when the app was created. PENDING lists actions whose package is
being rearranged at the time of writing (the knowledge base): each goes when its package
registers the label, and the test fails if an entry is no longer needed.
"""

from __future__ import annotations

import re
from pathlib import Path

from core.audit import ACTION_LABELS

ROOT = Path(__file__).resolve().parents[2]
AUDIT_CALL = re.compile(r"\b(?:audit|audit_action|_audit|record_event)\(\s*\"([a-z_.]+)\"")
PENDING: set[str] = set()


def _audited_actions() -> set[str]:
    found = {"access.denied"}  # written by core.audit.audit_denial
    for package in ("core", "org", "kb", "training", "safety"):
        for path in (ROOT / package).rglob("*.py"):
            found |= set(AUDIT_CALL.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_audited_action_has_a_label(app):
    unlabelled = {action for action in _audited_actions() if action not in ACTION_LABELS}
    assert unlabelled - PENDING == set()
    assert PENDING - unlabelled == set(), "labelled now: remove from PENDING"


def test_the_audit_log_shows_labels_not_action_names(client, login, make_employee):
    from core.audit import record_event
    from core.extensions import db
    from org.models import Role

    admin = make_employee(roles={Role.ADMIN})
    record_event("employee.deactivate", target="E1")
    db.session.commit()
    login(admin)
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "停用员工" in page and "employee.deactivate" not in page
