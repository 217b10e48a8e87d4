"""Knowledge base: documents, revisions, publishing, content import and search."""


def init_app(app) -> None:
    """Register the knowledge base's blueprint, commands, navigation, home panel and search."""
    from kb import models  # noqa: F401  (tables known to create_all and migrations)
    from kb.cli import content_cli
    from kb.search import init_search
    from kb.ui import register

    app.cli.add_command(content_cli)
    register(app)
    init_search(app)
