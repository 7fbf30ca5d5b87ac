"""Evaluations: a supervisee evaluated against a rubric over a period (with their
self-evaluation), signed by both; and the supervisee's short evaluation of a supervisor.

Views live in ``views`` and are registered by ``create_app``; ``hooks`` registers the
redaction hook, the export parts and the reminder source.
"""
