"""Chinese full-text search over published documents (Whoosh + jieba), derived from the database.

The interface is kb.search.engine (index, remove, query, rebuild, status); views never touch Whoosh.
"""

from pathlib import Path


def init_search(app) -> None:
    """Register the search blueprint, the ``search`` CLI group, signal handlers and the nav item."""
    from flask_babel import lazy_gettext as _l

    from core.ui import NavItem, add_nav_item
    from kb.search import hooks, models  # noqa: F401  (tables known to create_all and migrations)
    from kb.search.cli import search_cli
    from kb.search.views import bp, document_url

    # jieba's dictionary loads on first use; gunicorn.conf.py loads it before workers fork.
    app.config.setdefault("JIEBA_CACHE_DIR", str(Path(app.instance_path) / "jieba"))
    app.register_blueprint(bp)
    app.cli.add_command(search_cli)
    app.add_template_global(document_url, "search_document_url")
    hooks.install(app)
    add_nav_item(app, NavItem(_l("搜索"), "search.search", lambda user: True, order=25))
