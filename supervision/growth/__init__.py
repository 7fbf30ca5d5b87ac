"""A supervisee's growth: their released levels per criterion over time, and their choice of
which supervisors may read that page.

Views live in ``views`` and are registered by ``create_app``.
"""
