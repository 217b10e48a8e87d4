"""CLI: ``flask content import [PATH]`` and ``flask content check [PATH]``."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from core.clock import now, today
from core.exceptions import ValidationFailed
from core.extensions import db
from kb.content_check import DEFAULT_MAX_AGE_DAYS, check_currency, superseded_from
from kb.content_import import import_content, validate
from kb.signals import content_check_requested

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
        report = import_content(root, now(), progress=_bar("导入"))
    except ValidationFailed as error:
        _fail(error)
        return
    db.session.commit()
    click.echo(f"新建 {len(report.created)} 篇，更新 {len(report.updated)} 篇，未变 {len(report.unchanged)} 篇"
               + (f"，已归档跳过 {len(report.skipped)} 篇" if report.skipped else "") + "。")


@content_cli.command("check")
@click.argument("path", required=False, type=click.Path(file_okay=False))
def check_command(path: str | None) -> None:
    """Check content files without writing anything; also that nothing cites a repealed standard as current."""
    root = _root(path)
    try:
        sources = validate(root, progress=_bar("校验"))
    except ValidationFailed as error:
        _fail(error)
        return
    superseded = superseded_from(sources)
    extra = [finding for _receiver, found in content_check_requested.send(current_app._get_current_object(),
                                                                          superseded=superseded)
             for finding in found or []]
    result = check_currency(root, sources, today(), int(current_app.config.get(
        "REGULATION_VERIFY_MAX_DAYS", DEFAULT_MAX_AGE_DAYS)), extra)
    for warning in result.warnings:
        click.echo(f"警告 {warning}")
    if result.errors:
        _fail(ValidationFailed(f"有 {len(result.errors)} 处把已废止或已被替代的标准当作现行引用。",
                               [str(e) for e in result.errors]))
        return
    click.echo(f"{len(sources)} 个文件全部通过校验" + (f"（{len(result.warnings)} 条警告）。" if result.warnings
                                                       else "。"))
