"""The ``safety`` blueprint; its routes live in certificates.py, violations.py, cards.py, settings.py."""

from flask import Blueprint

bp = Blueprint("safety", __name__, url_prefix="/safety")


def register_routes() -> Blueprint:
    """Import the route modules (they attach to ``bp``) and return the blueprint."""
    from safety.views import cards, certificates, settings, violations  # noqa: F401

    return bp
