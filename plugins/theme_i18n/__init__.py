from .theme_i18n import register

__all__ = ["register"]
