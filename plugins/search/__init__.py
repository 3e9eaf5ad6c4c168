from .search import register

__all__ = ["register"]
