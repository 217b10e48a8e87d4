"""``flask demo training``: a believable plant's induction, study and assignments (idempotent)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from core.extensions import db
from training.settings import current_now


@click.command("training")
@with_appcontext
def demo_training() -> None:
    """Load demo programmes, inductions mid-way, cleared hires and overdue tasks (idempotent)."""
    from training.records.demo import load_demo_training

    summary = load_demo_training(current_now())
    db.session.commit()
    click.echo(f"演示培训数据：{summary}")
