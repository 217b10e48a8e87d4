"""Knowledge base: documents, revisions, publishing, content import and search."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the knowledge base's blueprint, commands and navigation."""
