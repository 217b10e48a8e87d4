"""Declarative base with a constraint naming convention, UTC timestamps and SQLite tuning."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import g, has_app_context
from sqlalchemy import Column, DateTime, Engine, ForeignKey, Integer, MetaData, Table, TypeDecorator, event
from sqlalchemy.orm import DeclarativeBase, registry

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored as naive UTC and always read back as aware UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime},
    )


def mark_read_only() -> None:
    """Let SQLite begin this request's transaction as a plain (deferred) reader."""
    g.db_read_only = True


def _wants_immediate() -> bool:
    return not (has_app_context() and g.get("db_read_only", False))


def tune_sqlite(engine: Engine) -> None:
    """WAL, a 5 s busy timeout, foreign keys, and BEGIN IMMEDIATE for writing requests.

    Starting write transactions as IMMEDIATE makes concurrent writers queue on the
    busy timeout instead of failing with "database is locked" when a reader upgrades.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _wants_immediate() else "BEGIN")


def render_migration_item(type_: str, obj, autogen_context):
    """Write our UTC timestamp type into migrations as a plain DateTime."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False


def link_table(name: str, left: str, right: str) -> Table:
    """A many-to-many table joining two tables by id, e.g. ``link_table("document_positions", "documents",
    "positions")`` with columns ``document_id`` and ``position_id`` (rows go when either side goes)."""

    def column(table: str) -> Column:
        return Column(f"{table.removesuffix('s')}_id", Integer, ForeignKey(f"{table}.id", ondelete="CASCADE"),
                      primary_key=True)

    return Table(name, Base.metadata, column(left), column(right))
