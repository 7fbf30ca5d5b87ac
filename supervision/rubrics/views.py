"""Rubrics: a group's rubric, versions, drafts, publishing, import and export."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("rubrics", __name__)
