"""``flask search reindex`` and ``flask search status``."""

from __future__ import annotations

import click
from flask.cli import AppGroup

search_cli = AppGroup("search", help="全文检索索引。")


@search_cli.command("reindex")
def reindex_command() -> None:
    """Rebuild the index from the database into a new directory and swap it in atomically."""
    from kb.search import engine

    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = click.progressbar(length=total, label="重建索引")
            bar.__enter__()
        bar.update(done - bar.pos)

    count = engine.rebuild(progress)
    if bar is not None:
        bar.__exit__(None, None, None)
    if count is None:
        raise click.ClickException("另一个进程正在写索引，请稍后再试。")
    click.echo(f"已索引 {count} 篇已发布文档。")


@search_cli.command("status")
@click.option("--check", is_flag=True, help="Exit 1 when the index is missing, corrupt or behind the database.")
def status_command(check: bool) -> None:
    """Print where the index is, how many documents it holds and how far behind it is."""
    from kb.search import engine

    info = engine.status()
    for key, value in info.items():
        click.echo(f"{key}: {value}")
    current = "error" not in info and info.get("behind") == 0 and \
        info.get("indexed_documents") == info.get("published_documents")
    if check and not current:
        raise SystemExit(1)


@search_cli.command("load-synonyms")
def load_synonyms_command() -> None:
    """Add the shipped synonym groups (content/search/synonyms.txt) missing from the list; idempotent."""
    from core.clock import now
    from core.extensions import db
    from kb.search.synonyms import load_shipped

    added, removed = load_shipped(now())
    db.session.commit()
    click.echo(f"同义词：新增 {added} 组，移除 {removed} 组旧的默认组。")
