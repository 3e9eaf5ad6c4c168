from .intrasite_links import may_link, register

__all__ = ["may_link", "register"]
