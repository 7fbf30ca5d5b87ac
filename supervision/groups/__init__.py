from supervision.groups.views import bp

__all__ = ["bp"]
