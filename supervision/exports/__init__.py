"""Exports: a supervisee's portfolio archive and a facilitator's group reports.

Each feature contributes its own part through ``sections`` (registered when its blueprint
loads), built from the same permission and redaction rules as its pages; this package only
assembles them.
"""
