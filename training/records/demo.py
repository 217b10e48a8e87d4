"""Demo training data: programmes, new hires mid-induction, cleared hires and overdue tasks (idempotent)."""

from __future__ import annotations

from datetime import datetime


def load_demo_training(now: datetime) -> str:
    return "尚未实现"
