"""The one clock (时钟): every "now", "today" and local date in the application comes from here.

Instants are stored and compared as aware UTC; "today", due dates, effective dates and calendar
years are the company's, in the time zone set by ``BABEL_DEFAULT_TIMEZONE`` (default
Asia/Shanghai). Tests fix the instant with the ``FROZEN_NOW`` setting.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_ZONE = "Asia/Shanghai"


def now() -> datetime:
    """The current instant, aware UTC; ``FROZEN_NOW`` (tests only) when the app sets it."""
    if has_app_context():
        frozen = current_app.config.get("FROZEN_NOW")
        if frozen is not None:
            return frozen
    return wall_now()


def wall_now() -> datetime:
    """The real current instant, ignoring ``FROZEN_NOW``.

    Only for timers that measure how long a person has really been away (the session idle
    timeout): a test that stands at a fixed business instant must not freeze them, nor log
    everyone out when it moves that instant forward by days.
    """
    return datetime.now(UTC)


def company_zone() -> ZoneInfo:
    """The company's time zone (a setting, default Asia/Shanghai)."""
    name = DEFAULT_ZONE
    if has_app_context():
        name = current_app.config.get("BABEL_DEFAULT_TIMEZONE") or DEFAULT_ZONE
    return ZoneInfo(name)


def local(instant: datetime) -> datetime:
    """An aware instant shown in the company's time zone."""
    return instant.astimezone(company_zone())


def local_date(instant: datetime) -> date:
    """The company's calendar date at ``instant``."""
    return local(instant).date()


def today(at: datetime | None = None) -> date:
    """The company's "today" (at ``at``, or now)."""
    return local_date(at or now())


def start_of_day(day: date) -> datetime:
    """The UTC instant at which the company's ``day`` begins."""
    return datetime.combine(day, time.min, tzinfo=company_zone()).astimezone(UTC)
