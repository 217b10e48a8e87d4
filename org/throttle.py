"""Login throttle: failed logins per account (工号) and per IP address, counted in one place
that every worker and node shares.

By default that place is the database (table ``login_failures``): gunicorn's workers and a
restart all see the same count, with no extra service. When ``LOGIN_THROTTLE_STORAGE_URI``
(or else ``RATELIMIT_STORAGE_URI``) names a shared store such as ``redis://host:6379``, the
``limits`` library counts there instead (moving window). ``memory://`` is never used for
logins: it would count per worker.

Only failures are counted. An account is refused after ``LOGIN_LIMIT_PER_ACCOUNT`` failures
in the window whether or not the 工号 exists, so the lockout reveals nothing about accounts.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy import delete, func, select

from core.extensions import db
from org.models import LoginFailure

KEY_LENGTH = 64


def _limits() -> tuple[RateLimitItem, RateLimitItem]:
    config = current_app.config
    return parse(config["LOGIN_LIMIT_PER_ACCOUNT"]), parse(config["LOGIN_LIMIT_PER_IP"])


def _shared_store() -> MovingWindowRateLimiter | None:
    """The configured shared store (e.g. Redis), or None for the database."""
    config = current_app.config
    uri = config.get("LOGIN_THROTTLE_STORAGE_URI") or config.get("RATELIMIT_STORAGE_URI") or ""
    if not uri or uri == "database" or uri.startswith("memory://"):
        return None
    stores = current_app.extensions.setdefault("anzhi_login_throttle", {})
    if uri not in stores:
        stores[uri] = MovingWindowRateLimiter(storage_from_string(uri))
    return stores[uri]


def window_seconds() -> int:
    """How long a lockout lasts at most: the longer of the two windows."""
    return max(item.get_expiry() for item in _limits())


def _window_start(item: RateLimitItem, now: datetime) -> datetime:
    return now - timedelta(seconds=item.get_expiry())


def _failures(column, value: str, since: datetime) -> int:
    return db.session.scalar(select(func.count()).select_from(LoginFailure)
                             .where(column == value, LoginFailure.at > since)) or 0


def is_locked(account: str, ip: str, now: datetime) -> bool:
    """True when this 工号 or this address has used up its failed logins for the window."""
    account, ip = account[:KEY_LENGTH], ip[:KEY_LENGTH]
    per_account, per_ip = _limits()
    store = _shared_store()
    if store is not None:
        return not (store.test(per_account, "login-account", account) and store.test(per_ip, "login-ip", ip))
    return (_failures(LoginFailure.account, account, _window_start(per_account, now)) >= per_account.amount
            or _failures(LoginFailure.ip, ip, _window_start(per_ip, now)) >= per_ip.amount)


def record_failure(account: str, ip: str, now: datetime) -> None:
    """Count one failed login for the 工号 and the address; forget failures older than any window."""
    account, ip = account[:KEY_LENGTH], ip[:KEY_LENGTH]
    per_account, per_ip = _limits()
    store = _shared_store()
    if store is not None:
        store.hit(per_account, "login-account", account)
        store.hit(per_ip, "login-ip", ip)
        return
    oldest = min(_window_start(per_account, now), _window_start(per_ip, now))
    db.session.execute(delete(LoginFailure).where(LoginFailure.at < oldest))
    db.session.add(LoginFailure(at=now, account=account, ip=ip))
    db.session.flush()
