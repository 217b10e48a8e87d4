"""Operational endpoints: /healthz."""

from flask import Blueprint, jsonify
from sqlalchemy import text

from core.extensions import db

bp = Blueprint("core", __name__)


@bp.get("/healthz")
def healthz():
    """JSON health report: 200 when the database answers, 503 otherwise."""
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except Exception:  # any driver error means "down" to a load balancer
        db.session.rollback()
        database = "unavailable"
    status = 200 if database == "ok" else 503
    return jsonify(status="ok" if status == 200 else "degraded", database=database), status
