"""Two app nodes (separate processes, separate instance folders) on one PostgreSQL database: a
document published through one is found through the other — within 2 s with Whoosh (each node
keeps its own index files and catches up from the database), at the first search with the
PostgreSQL engine. Skipped without PostgreSQL."""

from __future__ import annotations

import multiprocessing
import os
import time

import pytest

PG = os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql")
pytestmark = [pytest.mark.slow, pytest.mark.skipif(not PG, reason="needs TEST_DATABASE_URL on PostgreSQL")]
TIMEOUT = 60


def _node(config: dict):
    from core.app import create_app

    return create_app(config)


def _searching_node(config: dict, ready, published, results) -> None:
    """Node B: build its own index, then search until the document published on node A shows up."""
    from kb.search import engine

    app = _node(config)
    with app.app_context():
        engine.rebuild()
        assert engine.query("叉车 倒车").hits == []
        ready.set()
        committed_at = published.get(timeout=TIMEOUT)
        searches = 0
        while time.time() - committed_at < 10:
            searches += 1
            if [h.document.slug for h in engine.query("叉车 倒车").hits] == ["node-a-forklift"]:
                results.put((time.time() - committed_at, searches))
                return
            time.sleep(0.05)
        results.put((None, searches))


def _publishing_node(config: dict, department_id: int, ready, published) -> None:
    """Node A: publish a procedure through the publishing service, then say when it committed."""
    from core.extensions import db
    from kb.models import Document, Revision, RevisionStatus
    from kb.services.publishing import make_published

    app = _node(config)
    with app.app_context():
        ready.wait(timeout=TIMEOUT)
        document = Document(kind="procedure", slug="node-a-forklift", title="叉车司机安全操作规程",
                            owner_department_id=department_id)
        revision = Revision(document=document, number=1, title=document.title, status=RevisionStatus.DRAFT,
                            body_md="倒车前鸣笛，确认后方无人。", body_html="", fields={})
        db.session.add_all([document, revision])
        db.session.flush()
        from datetime import UTC, datetime

        make_published(revision, None, datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
        db.session.commit()
        published.put(time.time())


@pytest.mark.parametrize(("engine_name", "limit"), [("whoosh", 2.0), ("postgres", None)])
def test_a_publish_on_one_node_is_found_on_the_other(app, make_department, tmp_path, engine_name, limit):
    from core.extensions import db

    department_id = make_department().id
    db.session.commit()
    base = {"DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": "test", "TESTING": True,
            "SEARCH_ENGINE": engine_name}
    node_a = base | {"INSTANCE_PATH": str(tmp_path / "a"), "SEARCH_INDEX_DIR": str(tmp_path / "a" / "index")}
    node_b = base | {"INSTANCE_PATH": str(tmp_path / "b"), "SEARCH_INDEX_DIR": str(tmp_path / "b" / "index")}
    context = multiprocessing.get_context("spawn")
    ready, published, results = context.Event(), context.Queue(), context.Queue()
    searcher = context.Process(target=_searching_node, args=(node_b, ready, published, results))
    publisher = context.Process(target=_publishing_node, args=(node_a, department_id, ready, published))
    searcher.start()
    publisher.start()
    try:
        elapsed, searches = results.get(timeout=TIMEOUT)
    finally:
        for process in (publisher, searcher):
            process.join(timeout=TIMEOUT)
    assert elapsed is not None, f"node B never found the document ({searches} searches)"
    if limit is None:
        assert searches == 1  # the PostgreSQL engine: found by the first search after the commit
    else:
        assert elapsed <= limit
    if engine_name == "postgres":  # no node keeps index files
        assert not (tmp_path / "a" / "index").exists() and not (tmp_path / "b" / "index").exists()
