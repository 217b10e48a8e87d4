"""Knowledge base: documents, revisions, publishing, content import and search."""


def init_app(app) -> None:
    """Register the knowledge base's blueprint, commands and navigation."""
    from kb import models  # noqa: F401  (tables known to create_all and migrations)
