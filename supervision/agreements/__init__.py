"""Supervision agreements (a group's template; each supervisor-supervisee pair's signed
versions) and practitioners' credentials on their profile.

Routes live in ``views`` (agreements) and ``profile_views`` (credentials), both on the
blueprint of ``blueprint``; ``hooks.register_hooks`` is called by ``create_app``.
"""
