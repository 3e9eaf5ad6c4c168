from .releases import register

__all__ = ["register"]
