"""Org's one blueprint, ``org``: every org page's endpoint reads ``org.<verb>_<noun>``."""

from flask import Blueprint

bp = Blueprint("org", __name__)
