"""The agreements blueprint, shared by ``views`` (agreements) and ``profile_views``
(credentials)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("agreements", __name__)
