"""Uploads from a safety form, checked by content."""

from __future__ import annotations

from core.attachments import PreparedFile, prepare_upload


def prepared_files(storages, *, allow_pdf: bool) -> list[PreparedFile]:
    """Validate each uploaded file by content (raises DomainError naming the file)."""
    files = [s for s in (storages or []) if s and getattr(s, "filename", "")]
    return [prepare_upload(s.filename, s.read(), allow_pdf=allow_pdf) for s in files]
