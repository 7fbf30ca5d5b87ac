from supervision.rubrics.views import bp

__all__ = ["bp"]
