"""Domain errors: raised by services with a message fit to show the user (in Chinese)."""

from __future__ import annotations


class DomainError(Exception):
    """A rule was broken; ``message`` says which, ``field`` names the form field if any."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class ValidationFailed(DomainError):
    """Input (a file, a spreadsheet) had problems; ``problems`` lists every one of them."""

    def __init__(self, message: str, problems: list[str]) -> None:
        super().__init__(message)
        self.problems = problems


class NotAllowed(DomainError):
    """The actor may not do this (a permission or scope rule); views answer 403 or 404."""
