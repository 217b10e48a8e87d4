"""Knowledge base: documents, revisions, publishing, content import and search."""


def init_app(app) -> None:
    """Wire the knowledge base: tables, blueprint, commands, template filter, navigation and search."""
    from kb import models  # noqa: F401  (tables known to create_all and migrations)
    from kb.cli import content_cli
    from kb.render import trusted
    from kb.search import init_search
    from kb.ui import register_ui
    from kb.views import bp

    app.register_blueprint(bp)
    app.add_template_filter(trusted, "sanitised")
    app.cli.add_command(content_cli)
    register_ui(app)
    init_search(app)
