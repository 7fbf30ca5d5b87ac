"""Self-assessment: the author scores their own case revision on its rubric, before reading the
reviewers' scores of it, and afterwards sees both side by side.

Views live in ``views`` and are registered by ``create_app``.
"""
