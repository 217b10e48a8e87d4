"""CLI: ``flask questions import [PATH]`` and ``flask exams close-overdue``."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from core.clock import now
from core.exceptions import ValidationFailed
from core.extensions import db
from training.quiz.services.attempts import close_overdue_attempts
from training.quiz.services.bank_import import check_all, describe_yaml, import_checked, read_yaml

questions_cli = AppGroup("questions", help="题库。")
exams_cli = AppGroup("exams", help="考试。")


@questions_cli.command("import")
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
def import_questions(path: Path | None) -> None:
    """Import content/questions/*.yaml (or PATH) by key; any bad item stops it and nothing is written."""
    path = path or Path(current_app.config["CONTENT_DIR"]) / "questions"
    try:
        checked = check_all(read_yaml(path), describe_yaml)
    except ValidationFailed as failure:
        db.session.rollback()
        for problem in failure.problems:
            click.echo(problem, err=True)
        raise click.ClickException(failure.message) from failure
    with click.progressbar(length=len(checked), label="导入题目") as bar:
        report = import_checked(checked, progress=lambda: bar.update(1))
    db.session.commit()
    click.echo(f"题库：新增 {report.created} 题，更新 {report.updated} 题，未变 {report.unchanged} 题。")


@exams_cli.command("close-overdue")
def close_overdue() -> None:
    """Close attempts whose time (deadline + grace) is up, scoring the answers saved so far."""
    closed = close_overdue_attempts(now())
    db.session.commit()
    click.echo(f"已自动交卷 {closed} 份超时答卷。")


def register_cli(app: Flask) -> None:
    """``flask questions …`` and ``flask exams …``."""
    app.cli.add_command(questions_cli)
    app.cli.add_command(exams_cli)
