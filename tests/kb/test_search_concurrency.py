"""Two OS processes publishing (and so indexing) at the same moment: nothing is lost, no LockError."""

from __future__ import annotations

import logging
import multiprocessing
from pathlib import Path

import pytest

from core.extensions import db
from kb.search import engine, store

PER_PROCESS = 4


def _publish_in_child(config: dict, department_id: int, prefix: str, barrier, results) -> None:
    """Child process: publish PER_PROCESS documents, each commit catching the index up itself."""
    from datetime import UTC, datetime

    from core.app import create_app
    from kb.models import Document, Revision, RevisionStatus
    from kb.services.publishing import make_published

    problems: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.WARNING:
                problems.append(record.getMessage() + (repr(record.exc_info[1]) if record.exc_info else ""))

    logging.getLogger("kb.search").addHandler(Collect())
    app = create_app(config)
    try:
        with app.app_context():
            barrier.wait(timeout=60)
            for n in range(PER_PROCESS):
                document = Document(kind="procedure", slug=f"{prefix}-{n}", title=f"{prefix} 叉车安全操作规程 {n}",
                                    owner_department_id=department_id)
                revision = Revision(document=document, number=1, title=document.title, status=RevisionStatus.DRAFT,
                                    body_md="叉车行驶中严禁载人。")
                db.session.add_all([document, revision])
                db.session.flush()
                make_published(revision, None, datetime.now(UTC))
                db.session.commit()  # after_commit: this process indexes, contending with the other one
            db.session.remove()
            db.engine.dispose()
    except Exception as error:  # noqa: BLE001  (report anything to the parent)
        problems.append(repr(error))
    results.put((prefix, problems))


@pytest.mark.slow
@pytest.mark.config(SEARCH_ENGINE="whoosh")  # each node's own index files (PostgreSQL has none)
def test_two_processes_indexing_at_once_lose_nothing(app, make_department):
    engine.rebuild()
    department_id = make_department().id
    db.session.commit()  # reading the id began a (write) transaction on SQLite: end it before the children write
    config = {key: app.config[key] for key in ("SECRET_KEY", "SEARCH_INDEX_DIR", "SEARCH_ENGINE")} | {
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "INSTANCE_PATH": app.instance_path, "TESTING": True}
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(2), context.Queue()
    children = [context.Process(target=_publish_in_child, args=(config, department_id, prefix, barrier, results))
                for prefix in ("alpha", "beta")]
    for child in children:
        child.start()
    reports = dict(results.get(timeout=120) for _ in children)
    for child in children:
        child.join(timeout=30)
        assert child.exitcode == 0
    assert reports == {"alpha": [], "beta": []}
    # Read the index as it stands (no catch-up): every document is already in it.
    _generation, ix = store.open_generation(Path(app.config["SEARCH_INDEX_DIR"]))
    with ix.searcher() as searcher:
        indexed = sorted(fields["slug"] for fields in searcher.all_stored_fields())
    ix.close()
    assert indexed == sorted(f"{p}-{n}" for p in ("alpha", "beta") for n in range(PER_PROCESS))
    assert len(engine.query("叉车", per_page=20).hits) == 2 * PER_PROCESS
    db.session.remove()
