from .article_store import register

__all__ = ["register"]
