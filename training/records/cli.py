"""``flask demo training``: a believable plant's induction, study and assignments (idempotent)."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext

from core.clock import now
from core.extensions import db
from org.cli import demo_cli
from training.records.demo_data import load_demo_training


@click.command("training")
@with_appcontext
def demo_training() -> None:
    """Load demo programmes, inductions mid-way, cleared hires and overdue tasks (idempotent)."""
    summary = load_demo_training(now())
    db.session.commit()
    click.echo(f"演示培训数据：{summary}")


def register_cli(app: Flask) -> None:
    """Add ``training`` to org's ``flask demo`` group, after the demo organisation it builds on."""
    demo_cli.add_command(demo_training)
