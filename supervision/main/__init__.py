from supervision.main.views import bp

__all__ = ["bp"]
