"""Annotations: the JSON endpoint the case page's script uses, and plain forms for the rest."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("annotations", __name__)
