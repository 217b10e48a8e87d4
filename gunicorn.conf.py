"""gunicorn settings read by `make serve` and by deployments (gunicorn wsgi:app)."""

preload_app = True


def when_ready(server) -> None:
    """Load jieba's dictionary in the master before the workers fork, so they share its ~100 MB."""
    from kb.search.analysis import init_jieba
    from wsgi import app

    with app.app_context():
        init_jieba()
