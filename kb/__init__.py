"""Knowledge base: documents, revisions, publishing, content import and search."""


def init_app(app) -> None:
    """Register the knowledge base's blueprint, commands, navigation and home panel."""
    from kb import models  # noqa: F401  (tables known to create_all and migrations)
    from kb.cli import content_cli
    from kb.ui import register

    app.cli.add_command(content_cli)
    register(app)
    from kb.search import init_search; init_search(app)  # noqa: E702, I001  (search: blueprint, CLI, indexing)
