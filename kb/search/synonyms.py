"""Safety synonyms (有限空间/受限空间 …): the default list, editing as text, and query expansion."""

from __future__ import annotations

import re
import time
import weakref
from datetime import datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, select

from core.exceptions import DomainError
from core.extensions import db
from kb.search.models import SearchSetting, SearchSynonym

SHIPPED_FILE = Path("search") / "synonyms.txt"  # under CONTENT_DIR
# Groups an earlier release shipped that hurt ranking (违章指挥 found 违章作业 cases first).
RETIRED = {"三违 / 违章指挥 / 违章作业 / 违反劳动纪律", "动火作业 / 热工作业 / 动火作业票"}
SEEDED = "synonyms_seeded"
CACHE_SECONDS = 10.0  # another node's edit reaches this one's searches within this time
_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_SPLIT = re.compile(r"\s*[/／,，、;；|]\s*")
MAX_WORD = 40


def shipped_groups() -> list[list[str]]:
    """The synonym list that ships with the content (content/search/synonyms.txt)."""
    path = Path(current_app.config["CONTENT_DIR"]) / SHIPPED_FILE
    return parse_groups(path.read_text(encoding="utf-8")) if path.exists() else []


def ensure_defaults() -> None:
    """Load the shipped list the first time synonyms are used (never again, even if emptied)."""
    if db.session.get(SearchSetting, SEEDED) is not None:
        return
    for number, words in enumerate(shipped_groups()):
        db.session.add(SearchSynonym(terms=" / ".join(words), position=number))
    db.session.add(SearchSetting(key=SEEDED, value="1"))
    db.session.commit()


def load_shipped(now: datetime) -> tuple[int, int]:
    """Add the shipped groups not yet in the list and drop retired ones; (added, removed). Caller commits.

    Groups the safety department wrote or edited stay as they are (a shipped group counts as
    present when an existing group holds all its words).
    """
    ensure_defaults()
    forget_cached()
    rows = list(db.session.scalars(select(SearchSynonym).order_by(SearchSynonym.position)))
    removed = [row for row in rows if row.terms in RETIRED]
    for row in removed:
        db.session.delete(row)
    have = {frozenset(w.lower() for w in row.words) for row in rows if row not in removed}
    position = max((row.position for row in rows), default=-1) + 1
    added = 0
    for words in shipped_groups():
        if not any(frozenset(w.lower() for w in words) <= group for group in have):
            db.session.add(SearchSynonym(terms=" / ".join(words), position=position + added, updated_at=now))
            added += 1
    db.session.flush()
    return added, len(removed)


def synonym_groups() -> list[list[str]]:
    """The list, read again at most every CACHE_SECONDS per process (every search expands with it)."""
    key = current_app._get_current_object()  # noqa: SLF001  (one cache per app)
    cached = _cache.get(key)
    if cached is not None and time.monotonic() - cached[0] < CACHE_SECONDS:
        return cached[1]
    ensure_defaults()
    rows = db.session.scalars(select(SearchSynonym).order_by(SearchSynonym.position, SearchSynonym.id))
    groups = [row.words for row in rows if len(row.words) > 1]
    _cache[key] = (time.monotonic(), groups)
    return groups


def forget_cached() -> None:
    _cache.clear()


def groups_as_text() -> str:
    return "\n".join(" / ".join(group) for group in synonym_groups())


def parse_groups(text: str) -> list[list[str]]:
    """One group per line, words separated by / , 、 or ；. Raise DomainError naming the bad line."""
    groups = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        words = list(dict.fromkeys(w.strip() for w in _SPLIT.split(line.strip()) if w.strip()))
        if len(words) < 2:
            raise DomainError(f"第 {number} 行：一组同义词至少要有两个词，用“/”分隔。")
        too_long = next((w for w in words if len(w) > MAX_WORD), None)
        if too_long:
            raise DomainError(f"第 {number} 行：“{too_long[:10]}…”太长（每个词不超过 {MAX_WORD} 个字）。")
        groups.append(words)
    return groups


def replace_groups(text: str, actor, now: datetime) -> int:
    """Replace the whole synonym list with the groups in ``text``; flushes, caller commits."""
    groups = parse_groups(text)
    ensure_defaults()
    forget_cached()
    db.session.execute(delete(SearchSynonym))
    for number, words in enumerate(groups):
        db.session.add(SearchSynonym(terms=" / ".join(words), position=number, updated_at=now,
                                     updated_by_id=actor.id if actor else None))
    db.session.flush()
    return len(groups)


def expand(term: str, groups: list[list[str]]) -> list[str]:
    """The term and its variants: the longest group word found in it replaced by the group's other words."""
    variants = [term]
    folded = term.lower()
    for group in groups:
        found = max((w for w in group if w.lower() in folded), key=len, default=None)
        if found is None:
            continue
        for other in group:
            variant = re.sub(re.escape(found), other, term, flags=re.IGNORECASE)
            if variant not in variants:
                variants.append(variant)
    return variants[:12]
