"""The quiz blueprint, CLI group, nav item 考试 and home panel 我的考试."""

from __future__ import annotations

from flask import Flask


def register_ui(app: Flask) -> None:
    """Register everything the quiz package shows or offers."""
