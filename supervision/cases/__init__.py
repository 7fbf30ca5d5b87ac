from supervision.cases.views import bp

__all__ = ["bp"]
