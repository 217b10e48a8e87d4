"""Keeping the index in step: signal handlers write outbox rows inside the publishing transaction;
right after the commit (SQLAlchemy after_commit), the index catches up, so a publish is
searchable at once; a failure here never fails the publish (the next query catches up)."""

from __future__ import annotations

import logging

from flask import Flask, g, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from kb.search import engine, store

log = logging.getLogger(__name__)
CATCH_UP_WAIT = 2.0


def on_revision_published(sender, **_kwargs) -> None:
    engine.index(sender)


def on_document_archived(sender, **_kwargs) -> None:
    engine.remove(sender)


def _after_commit(session: Session) -> None:
    """Right after a commit that queued outbox rows, catch the index up (own session, own lock)."""
    if session.info.pop("search_pending", False) and has_app_context():
        g.search_pending = True
        run_pending()


def _after_rollback(session: Session) -> None:
    session.info.pop("search_pending", None)


def run_pending() -> None:
    """Catch up if this request or command committed something the index must reflect."""
    if not (has_app_context() and g.pop("search_pending", False)):
        return
    try:
        engine.catch_up(wait=CATCH_UP_WAIT)
    except store.IndexMissing:
        log.info("no search index yet: the next search builds it")
    except Exception:  # noqa: BLE001  (the index is derived; the next query repairs it)
        log.exception("search catch-up after commit failed")


def install(app: Flask) -> None:
    from kb.signals import document_archived, revision_published

    revision_published.connect(on_revision_published)
    document_archived.connect(on_document_archived)
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_rollback", _after_rollback)
