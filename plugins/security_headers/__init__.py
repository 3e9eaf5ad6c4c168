from .security_headers import register

__all__ = ["register"]
