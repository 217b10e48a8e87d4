"""Search tables: the outbox the index catches up from, the synonym list and a small settings table."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from core.clock import now as clock_now
from core.extensions import db


class SearchOutbox(db.Model):
    """One change the index must apply; written in the same transaction as the publish/archive.

    Each node's indexer applies rows with a sequence above the last one it recorded. The row says
    which document changed; what to index is read from the database at catch-up time, so replaying
    a row is harmless.
    """

    __tablename__ = "search_outbox"

    sequence: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(index=True)
    op: Mapped[str] = mapped_column(String(10))  # "index" or "delete"
    created_at: Mapped[datetime] = mapped_column(default=clock_now)


class SearchSynonym(db.Model):
    """A group of words that mean the same thing to a searcher (有限空间 / 受限空间)."""

    __tablename__ = "search_synonyms"

    id: Mapped[int] = mapped_column(primary_key=True)
    terms: Mapped[str] = mapped_column(String(500))  # words separated by " / "
    position: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=clock_now, onupdate=clock_now)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id", ondelete="SET NULL"))

    @property
    def words(self) -> list[str]:
        return [w.strip() for w in self.terms.split("/") if w.strip()]


class SearchSetting(db.Model):
    """Key/value flags for search (e.g. that the default synonym list was loaded once)."""

    __tablename__ = "search_settings"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(String(200), default="")


class SearchEntry(db.Model):
    """One published document as the PostgreSQL engine searches it (kb.search.pg_engine).

    Written in the publishing transaction, so every app node finds a publish at once. ``vector``
    holds the analyzer's tokens (jieba words, CJK bigrams, pinyin keys) weighted by field
    (A title and number, B facts and tags, D body); the migration adds its GIN index on
    PostgreSQL. On SQLite the table exists but stays empty (Whoosh is the engine there).
    """

    __tablename__ = "search_entries"

    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    department: Mapped[str] = mapped_column(String(20))
    validity: Mapped[str] = mapped_column(String(12), default="")
    positions: Mapped[str] = mapped_column(String(500), default="")  # ",code,code," for LIKE filters
    demoted: Mapped[bool] = mapped_column(default=False)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")  # plain text, for snippets and quoted phrases
    vector: Mapped[str] = mapped_column(Text().with_variant(TSVECTOR(), "postgresql"))
    # The title and number lexemes alone (no pinyin keys): small enough to rank every match roughly.
    title_vector: Mapped[str] = mapped_column(Text().with_variant(TSVECTOR(), "postgresql"), default="",
                                              server_default="")
    updated_at: Mapped[datetime] = mapped_column(default=clock_now, onupdate=clock_now)
