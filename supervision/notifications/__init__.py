"""In-app and email notifications.

Views live in ``views`` and are registered by ``create_app``; importing the package stays
cheap and free of cycles (services import each other, views import services).
"""
