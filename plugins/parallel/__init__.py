from .parallel import register

__all__ = ["register"]
