"""Short write transactions: slow work first, as a plain reader, then a brief write.

On SQLite a writing request begins ``BEGIN IMMEDIATE`` at its first query and holds the one
write lock to its end (core.db). A request with slow work (hashing passwords, parsing a
sheet, rendering Markdown, grading) calls ``read_first()`` before it, so that work runs in a
deferred transaction that blocks nobody, and then ``write_briefly(work)``: a fresh
transaction that queues on the busy timeout behind other short writers, reads current
data, commits, and is retried when the database stayed locked. On PostgreSQL both are
plain transactions.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from flask import g
from sqlalchemy.exc import OperationalError

from core.extensions import db

T = TypeVar("T")
ATTEMPTS = 5
PAUSE_SECONDS = 0.2


def read_first() -> None:
    """End this request's transaction (it has written nothing) and go on as a plain reader."""
    db.session.commit()
    g.db_read_only = True


def is_locked(error: BaseException) -> bool:
    """True for SQLite's "database is locked" / "database is busy"."""
    text = str(getattr(error, "orig", error)).lower()
    return "database is locked" in text or "database is busy" in text


def write_briefly(work: Callable[[], T]) -> T:
    """Run ``work`` in its own short write transaction and commit; retried while the database is locked.

    ``work`` must re-check what it relies on (it sees the data as it is now, not as the
    reading phase saw it); anything it raises rolls the transaction back and propagates.
    The rest of the request goes on as a reader: write everything inside ``work``.
    """
    for attempt in range(1, ATTEMPTS + 1):
        db.session.commit()  # end the reading phase
        g.db_read_only = False
        try:
            result = work()
            db.session.commit()
            g.db_read_only = True  # what follows (rendering the answer) only reads
            return result
        except OperationalError as error:
            db.session.rollback()
            if attempt == ATTEMPTS or not is_locked(error):
                raise
            time.sleep(PAUSE_SECONDS * attempt)
        except BaseException:
            db.session.rollback()
            g.db_read_only = True
            raise
    raise AssertionError("unreachable")
