"""Company settings as typed key/value rows: each package declares its keys, defaults, labels and ranges.

A package keeps its own table (one row per changed key) and a :class:`SettingsTable` over it;
reading a key gives the stored value in its default's type, or the default. Saving checks every
posted value first and writes nothing when any is refused, naming each refused field.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, NamedTuple

from core.audit import audit_action
from core.exceptions import DomainError
from core.extensions import db
from core.input import number_problem, text_problem

TRUE_WORDS = {"1", "true", "yes", "on", "是", "y"}


class Setting(NamedTuple):
    """One setting: its default (whose type is the setting's), its label, and bounds for numbers and text."""

    default: Any
    label: str
    low: float = 0
    high: float = 3650

    @property
    def is_flag(self) -> bool:
        return isinstance(self.default, bool)

    @property
    def is_number(self) -> bool:
        return isinstance(self.default, int | float) and not self.is_flag


class SettingsInvalid(DomainError):
    """Some settings were refused; ``errors`` maps each key to the reason (nothing is saved)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("设置有误，未保存。")
        self.errors = errors


def _number(setting: Setting, text: str) -> int | float:
    whole = isinstance(setting.default, int)
    problem = number_problem(text, setting.low, setting.high, whole=whole)
    if problem:
        raise DomainError(f"“{setting.label}”{problem}")
    return int(text) if whole else float(text)


def _text(setting: Setting, text: str) -> str:
    problem = text_problem(text, limit=int(setting.high), blank_ok=True)
    if problem:
        raise DomainError(f"“{setting.label}”{problem}")
    return text


def coerce(setting: Setting, raw: Any) -> Any:
    """``raw`` (a stored or posted value) in the setting's type; DomainError names the setting."""
    text = str(raw).strip()
    if setting.is_flag:
        return text.lower() in TRUE_WORDS
    if setting.is_number:
        return _number(setting, text)
    return _text(setting, text)


class SettingsTable:
    """The settings of one package, stored in ``model`` (columns ``key`` and ``value``)."""

    def __init__(self, model: type, settings: Mapping[str, Setting], audit_target: str) -> None:
        self.model = model
        self.settings = dict(settings)
        self.audit_target = audit_target

    def get(self, key: str) -> Any:
        """The stored value of ``key`` in its default's type, or the default."""
        setting = self.settings[key]
        row = db.session.get(self.model, key)
        if row is None:
            return setting.default
        try:
            return coerce(setting, row.value)
        except DomainError:
            return setting.default

    def values(self) -> dict[str, Any]:
        return {key: self.get(key) for key in self.settings}

    def set(self, key: str, raw: Any) -> bool:
        """Check and store one setting; True when it changed (the caller commits)."""
        if key not in self.settings:
            raise DomainError(f"未知设置项 {key}。", field=key)
        try:
            value = coerce(self.settings[key], raw)
        except DomainError as error:
            raise DomainError(error.message, field=key) from error
        if self.get(key) == value:
            return False
        row = db.session.get(self.model, key) or self.model(key=key)
        row.value = str(value)
        db.session.add(row)
        db.session.flush()
        return True

    def posted(self, form: Mapping[str, str]) -> dict[str, str]:
        """The settings form as posted: an unticked box is "false"."""
        return {key: ("true" if form.get(key) else "false") if setting.is_flag else form.get(key, "")
                for key, setting in self.settings.items()}

    def save(self, actor: Any, raw: Mapping[str, str], now: datetime,
             check: Any = None) -> list[str]:
        """Store every posted setting and audit the change; the keys that changed.

        ``check(key, value)`` may refuse a value with a DomainError. Any refusal raises
        SettingsInvalid naming each field; the caller then rolls back, so nothing is stored.
        """
        errors: dict[str, str] = {}
        changed = []
        for key in self.settings:
            try:
                if check is not None:
                    check(key, coerce(self.settings[key], raw.get(key, "")))
                if self.set(key, raw.get(key, "")):
                    changed.append(key)
            except DomainError as error:
                errors[key] = error.message
        if errors:
            raise SettingsInvalid(errors)
        if changed:
            audit_action("settings.change", actor=actor, now=now, target=self.audit_target,
                         detail={key: str(raw.get(key, "")) for key in changed})
        return changed
