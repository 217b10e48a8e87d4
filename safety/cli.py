"""``flask demo safety``: demo certificates and 三违 records (idempotent)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from core.clock import now
from core.extensions import db


@click.command("safety")
@with_appcontext
def demo_safety() -> None:
    """Load demo certificate requirements, certificates and 三违 records (idempotent)."""
    from safety.demo import load_demo_safety

    summary = load_demo_safety(now())
    db.session.commit()
    click.echo(f"演示安全数据：{summary}")
