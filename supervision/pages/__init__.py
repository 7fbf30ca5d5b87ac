"""Pages that show several features at once, assembled from each feature's panel.

This package stands above the features it composes: it imports them, and none of them imports
it. ``views`` holds the routes (registered by ``create_app``), ``case_page`` the assembly.
"""
