"""The index on disk: generations, the single-indexer lock, catch-up from the outbox, rebuild and swap.

Layout under ``SEARCH_INDEX_DIR``::

    CURRENT          name of the live generation (replaced atomically with os.replace)
    gen-<ns>/        a Whoosh index plus state.json {"sequence": last outbox row applied}

and ``<SEARCH_INDEX_DIR>.lock`` beside it: whoever holds its flock is the one indexer of this node.
The lock sits outside the index directory so deleting the directory cannot split it in two.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import json
import logging
import os
import shutil
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, g, has_app_context
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from whoosh import index as whoosh_index

from core.extensions import db
from kb.search.documents import index_fields, load_searchable, searchable_ids
from kb.search.models import SearchOutbox
from kb.search.schema import SCHEMA_VERSION, build_schema

log = logging.getLogger(__name__)
WRITER_TIMEOUT = 30.0
BATCH = 200
GAP_GRACE_SECONDS = 10.0
KEEP_GENERATIONS = 2
PARALLEL_FROM = 1000  # documents; below that, starting sub-processes costs more than it saves
MAX_PROCS = 4


class IndexMissing(Exception):
    """No usable index directory: build one."""


class IndexCorrupt(Exception):
    """The index exists but cannot be read: rebuild it."""


@dataclass
class State:
    sequence: int = 0
    gap_since: float | None = None


def index_root() -> Path:
    return Path(current_app.config["SEARCH_INDEX_DIR"])


def _lock_path(root: Path) -> Path:
    return root.with_name(root.name + ".lock")


@contextlib.contextmanager
def indexer_lock(root: Path, wait: float = 0.0) -> Iterator[bool]:
    """Hold this node's indexer lock (non-blocking flock, retried for up to ``wait`` seconds)."""
    path = _lock_path(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + wait
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    yield False
                    return
                time.sleep(0.02)
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def current_generation(root: Path) -> Path | None:
    try:
        name = (root / "CURRENT").read_text().strip()
    except OSError:
        return None
    path = root / name
    return path if name.startswith("gen-") and path.is_dir() else None


def _open_dir(generation: Path) -> whoosh_index.Index:
    """Open a Whoosh index or raise IndexCorrupt.

    Whoosh raises many kinds of error on a damaged TOC or segment and leaves the file it was
    reading open; the error is dropped (and that file closed) before IndexCorrupt is raised.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            return whoosh_index.open_dir(str(generation))
        except Exception as error:
            problem = f"{generation}: {error!r}"
        gc.collect()
    raise IndexCorrupt(problem)


def open_generation(root: Path) -> tuple[Path, whoosh_index.Index]:
    """Open the live generation; IndexMissing or IndexCorrupt if that is impossible."""
    generation = current_generation(root)
    if generation is None:
        raise IndexMissing(str(root))
    return generation, _open_dir(generation)


def read_state(generation: Path) -> State:
    try:
        data = json.loads((generation / "state.json").read_text())
        state = State(int(data["sequence"]), data.get("gap_since"))
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise IndexCorrupt(f"{generation}/state.json: {error!r}") from error
    if data.get("schema", 1) != SCHEMA_VERSION:
        raise IndexCorrupt(f"{generation}: built with schema {data.get('schema', 1)}, not {SCHEMA_VERSION}")
    return state


def write_state(generation: Path, state: State) -> None:
    tmp = generation / "state.json.tmp"
    tmp.write_text(json.dumps({"sequence": state.sequence, "gap_since": state.gap_since,
                               "schema": SCHEMA_VERSION}))
    os.replace(tmp, generation / "state.json")


@contextlib.contextmanager
def _reading() -> Iterator[Session]:
    """A session of the indexer's own, reading as a plain reader (no BEGIN IMMEDIATE on SQLite).

    Its own session: it may run right after the caller's commit, and must never expunge or
    expire the caller's objects.
    """
    before = g.get("db_read_only", False) if has_app_context() else None
    if has_app_context():
        g.db_read_only = True
    try:
        with Session(db.engine) as session:
            yield session
    finally:
        if has_app_context():
            g.db_read_only = before


def _advance(state: State, sequences: list[int], now: float) -> State:
    """The new watermark: contiguous sequences only, unless a gap outlived the grace period.

    On PostgreSQL a lower sequence can commit after a higher one; a gap may also be a rollback.
    Rows past a fresh gap are applied now and replayed later (harmless).
    """
    last = state.sequence
    for sequence in sequences:
        if sequence != last + 1:
            if state.gap_since is None:
                return State(last, now)
            if now - state.gap_since < GAP_GRACE_SECONDS:
                return State(last, state.gap_since)
            return State(sequences[-1], None)
        last = sequence
    return State(last, None)


def _apply(ix, document_ids: list[int], session: Session) -> None:
    documents = load_searchable(document_ids, session)
    writer = ix.writer(timeout=WRITER_TIMEOUT, delay=0.02)
    try:
        for document_id in document_ids:
            if document_id in documents:
                writer.update_document(**index_fields(documents[document_id]))
            else:
                writer.delete_by_term("id", str(document_id))
    except BaseException:
        writer.cancel()
        raise
    writer.commit()


def catch_up_locked(root: Path, session: Session) -> int:
    """Apply outbox rows past the recorded sequence, in batches. Caller holds the indexer lock."""
    generation, ix = open_generation(root)
    applied = 0
    try:
        state = read_state(generation)
        while True:
            rows = session.execute(
                select(SearchOutbox.sequence, SearchOutbox.document_id)
                .where(SearchOutbox.sequence > state.sequence)
                .order_by(SearchOutbox.sequence).limit(BATCH)).all()
            if not rows:
                break
            _apply(ix, list(dict.fromkeys(row.document_id for row in rows)), session)
            new_state = _advance(state, [row.sequence for row in rows], time.time())
            write_state(generation, new_state)
            applied += len(rows)
            if len(rows) < BATCH or new_state.sequence == state.sequence:
                break
            state = new_state
    finally:
        ix.close()
    return applied


def _is_current(root: Path, session: Session) -> bool:
    """Whether the live generation has applied every outbox row (a file read and one small query:
    every search asks, and opening the index to find out cost more than the search itself)."""
    generation = current_generation(root)
    if generation is None:
        return False
    state = read_state(generation)
    latest = session.scalar(select(func.coalesce(func.max(SearchOutbox.sequence), 0)))
    return (latest or 0) <= state.sequence


def catch_up(wait: float = 0.0) -> int | None:
    """Bring the index up to date with the outbox; None if another indexer holds the lock."""
    root = index_root()
    with _reading() as session:
        if _is_current(root, session):
            return 0
        with indexer_lock(root, wait) as acquired:
            if not acquired:
                return None
            return catch_up_locked(root, session)


def _bulk_writer(ix, count: int):
    """A writer for a full build: on several cores, sub-processes analyse and write a segment each
    (jieba and Whoosh's posting writer are pure Python, so one process uses one core)."""
    procs = min(MAX_PROCS, os.cpu_count() or 1)
    if count < PARALLEL_FROM or procs < 2:
        return ix.writer(timeout=WRITER_TIMEOUT, limitmb=256)
    from whoosh.multiproc import MpWriter

    return MpWriter(ix, procs=procs, batchsize=BATCH, limitmb=128, multisegment=True)


def rebuild_locked(root: Path, session: Session, progress: Callable[[int, int], None] | None = None) -> int:
    """Build a fresh generation from the database and swap it in. Caller holds the indexer lock."""
    root.mkdir(parents=True, exist_ok=True)
    start = session.scalar(select(func.coalesce(func.max(SearchOutbox.sequence), 0)))
    ids = searchable_ids(session)
    generation = root / f"gen-{time.time_ns()}-{os.getpid()}"
    generation.mkdir()
    ix = whoosh_index.create_in(str(generation), build_schema())
    writer = _bulk_writer(ix, len(ids))
    try:
        for offset in range(0, len(ids), BATCH):
            chunk = ids[offset:offset + BATCH]
            documents = load_searchable(chunk, session)
            for document_id in chunk:
                if document_id in documents:
                    writer.add_document(**index_fields(documents[document_id]))
            session.expunge_all()
            if progress:
                progress(min(offset + BATCH, len(ids)), len(ids))
    except BaseException:
        writer.cancel()
        shutil.rmtree(generation, ignore_errors=True)
        raise
    writer.commit()
    ix.close()
    write_state(generation, State(int(start or 0)))
    tmp = root / "CURRENT.tmp"
    tmp.write_text(generation.name)
    os.replace(tmp, root / "CURRENT")
    _remove_old_generations(root, keep=generation.name)
    return len(ids)


def _remove_old_generations(root: Path, keep: str) -> None:
    """Drop all but the newest generations (a reader elsewhere may still be on the previous one)."""
    generations = sorted((p for p in root.glob("gen-*") if p.is_dir()), key=lambda p: p.stat().st_mtime)
    old = [p for p in generations if p.name != keep][: max(0, len(generations) - KEEP_GENERATIONS)]
    for path in old:
        shutil.rmtree(path, ignore_errors=True)


def rebuild(progress: Callable[[int, int], None] | None = None, wait: float = 600.0) -> int | None:
    """Rebuild into a new directory, swap atomically, then apply what was published meanwhile."""
    root = index_root()
    with _reading() as session, indexer_lock(root, wait) as acquired:
        if not acquired:
            return None
        count = rebuild_locked(root, session, progress)
        catch_up_locked(root, session)
        return count


def repair(wait: float = 10.0) -> None:
    """Rebuild a missing or corrupt index, unless another process did so while we waited."""
    root = index_root()
    with _reading() as session, indexer_lock(root, wait) as acquired:
        if not acquired:
            raise IndexMissing("another process is still rebuilding the index")
        try:
            generation, ix = open_generation(root)
            ix.close()
            read_state(generation)
            with ix.searcher() as searcher:
                searcher.doc_count()
            return
        except (IndexMissing, IndexCorrupt) as error:
            log.warning("search index unusable, rebuilding: %s", error)
        except Exception as error:  # noqa: BLE001  (a damaged segment fails in many ways)
            log.warning("search index unreadable, rebuilding: %r", error)
        rebuild_locked(root, session)
        catch_up_locked(root, session)


_local = threading.local()


def searcher():
    """This thread's searcher on the live generation, refreshed to the latest commit."""
    root = index_root()
    generation = current_generation(root)
    if generation is None:
        raise IndexMissing(str(root))
    cache = getattr(_local, "searchers", None)
    if cache is None:
        cache = _local.searchers = {}
    cached = cache.get(str(root))
    if cached is not None and cached[0] == generation:
        fresh = cached[1].refresh()
        cache[str(root)] = (generation, fresh)
        return fresh
    if cached is not None:
        with contextlib.suppress(Exception):
            cached[1].close()
    fresh = _open_dir(generation).searcher()
    cache[str(root)] = (generation, fresh)
    return fresh


def forget_searcher() -> None:
    """Drop this thread's cached searcher (after an error reading it)."""
    cache = getattr(_local, "searchers", {})
    cached = cache.pop(str(index_root()), None)
    if cached is not None:
        with contextlib.suppress(Exception):
            cached[1].close()
