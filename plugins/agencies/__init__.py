from .agencies import register

__all__ = ["register"]
