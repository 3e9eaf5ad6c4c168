from .shared_partials import register

__all__ = ["register"]
