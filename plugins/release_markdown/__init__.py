from .release_markdown import register

__all__ = ["register"]
