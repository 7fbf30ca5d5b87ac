"""Reviews: scoring a case against the group's rubric, release, reconciliation."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("reviews", __name__)
