"""The PostgreSQL engine: a publish is searchable in the same transaction that publishes it, a
rolled-back publish never is, and no index files are written. Skipped without PostgreSQL."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from core.extensions import db
from kb.models import Revision
from kb.search import engine
from kb.services.publishing import archive_document, make_published
from org.models import Role
from tests.conftest import NOW

pytestmark = pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
                                reason="needs TEST_DATABASE_URL on PostgreSQL")


def _publish(make_document, commit=True, **kwargs):
    document = make_document(published=False, **kwargs)
    make_published(db.session.get(Revision, document.revisions[0].id), None, NOW)
    if commit:
        db.session.commit()
    return document


def _entries_seen_elsewhere(app) -> int:
    other = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    with other.connect() as connection:
        count = connection.execute(text("SELECT count(*) FROM search_entries")).scalar()
    other.dispose()
    return count


def test_the_entry_commits_with_the_publish(app, make_document):
    assert engine.engine_name() == "postgres"
    document = _publish(make_document, commit=False, slug="forklift", title="叉车司机安全操作规程", body="倒车鸣笛")
    assert _entries_seen_elsewhere(app) == 0  # not before the publish commits
    db.session.commit()
    assert _entries_seen_elsewhere(app) == 1
    assert [h.document.slug for h in engine.query("倒车 鸣笛").hits] == [document.slug]
    assert not Path(app.config["SEARCH_INDEX_DIR"]).exists()  # no index files on any node


def test_a_rolled_back_publish_is_never_found(app, make_document):
    _publish(make_document, commit=False, slug="forklift", title="叉车司机安全操作规程", body="倒车鸣笛")
    db.session.rollback()
    assert engine.query("叉车").hits == []


def test_archiving_removes_the_entry(app, make_document, make_employee):
    document = _publish(make_document, slug="forklift", title="叉车司机安全操作规程", body="倒车鸣笛")
    archive_document(make_employee(roles={Role.SAFETY_DEPT}), document, NOW)
    db.session.commit()
    assert engine.query("叉车").hits == []
    assert engine.status()["indexed_documents"] == 0


def test_reindex_rewrites_every_entry(app, make_document, runner):
    _publish(make_document, slug="forklift", title="叉车司机安全操作规程", body="倒车鸣笛")
    db.session.execute(text("DELETE FROM search_entries"))
    db.session.commit()
    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code == 0 and "已索引 1 篇" in result.output
    assert [h.document.slug for h in engine.query("叉车").hits] == ["forklift"]
