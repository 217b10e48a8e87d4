"""CLI: ``flask content import [PATH]`` and ``flask content check [PATH]``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from core.exceptions import ValidationFailed
from core.extensions import db
from kb.importer import import_content, validate

content_cli = AppGroup("content", help="知识库内容文件（法规、规程、案例、危险源清单）。")


def _root(path: str | None) -> Path:
    return Path(path or current_app.config["CONTENT_DIR"]).resolve()


def _bar(label: str):
    def progress(items: Iterable) -> Iterable:
        items = list(items)
        with click.progressbar(items, label=label, show_pos=True) as bar:
            yield from bar
    return progress


def _fail(error: ValidationFailed) -> None:
    db.session.rollback()
    for problem in error.problems:
        click.echo(problem, err=True)
    click.echo(error.message, err=True)
    raise SystemExit(1)


@content_cli.command("import")
@click.argument("path", required=False, type=click.Path(file_okay=False))
def import_command(path: str | None) -> None:
    """Import content files: all checked first; unchanged files are skipped; changes become new revisions."""
    root = _root(path)
    try:
        report = import_content(root, datetime.now(UTC), progress=_bar("导入"))
    except ValidationFailed as error:
        _fail(error)
        return
    db.session.commit()
    click.echo(f"新建 {len(report.created)} 篇，更新 {len(report.updated)} 篇，未变 {len(report.unchanged)} 篇"
               + (f"，已归档跳过 {len(report.skipped)} 篇" if report.skipped else "") + "。")


@content_cli.command("check")
@click.argument("path", required=False, type=click.Path(file_okay=False))
def check_command(path: str | None) -> None:
    """Check content files without writing anything."""
    try:
        sources = validate(_root(path), progress=_bar("校验"))
    except ValidationFailed as error:
        _fail(error)
        return
    click.echo(f"{len(sources)} 个文件全部通过校验。")
