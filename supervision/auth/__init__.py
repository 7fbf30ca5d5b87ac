from supervision.auth.views import bp

__all__ = ["bp"]
