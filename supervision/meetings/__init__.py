"""Supervision meetings: the log of meetings and hours, their sign-off and corrections, the
totals, the board-shaped CSV and the printable signed summary.

Views live in ``views`` and are registered by ``create_app``; ``hooks.register_hooks`` adds the
redaction hook, the reminder source, the portfolio section and the group report.
"""
