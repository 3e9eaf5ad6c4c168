"""The HTML allowlist for release bodies; used by the Markdown reader and the checks."""

from collections.abc import Callable, Mapping
from typing import Any

from .policy import DEFAULT_IFRAME_HOSTS, Sanitiser

__all__ = ["DEFAULT_IFRAME_HOSTS", "Sanitiser", "sanitiser_for"]


def sanitiser_for(settings: Mapping[str, Any], rewrite_url: Callable[[str, str, str], str] | None = None) -> Sanitiser:
    return Sanitiser(settings.get("SANITISE_IFRAME_HOSTS", DEFAULT_IFRAME_HOSTS), rewrite_url)
