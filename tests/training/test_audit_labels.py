"""Every audit action training writes has a Chinese label for the audit log page."""

import re
from pathlib import Path

from core.audit import ACTION_LABELS

TRAINING = Path(__file__).resolve().parents[2] / "training"


def test_every_training_audit_action_has_a_label(app):
    written = {match for path in TRAINING.rglob("*.py")
               for match in re.findall(r"record_action\(\s*\"([a-z_.]+)\"", path.read_text(encoding="utf-8"))}
    assert {"training.sign_off", "training.assign", "questions.import"} <= written
    assert sorted(action for action in written if action not in ACTION_LABELS) == []
