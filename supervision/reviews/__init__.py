from supervision.reviews.views import bp

__all__ = ["bp"]
