"""The HTML allowlist for release bodies; used by the Markdown reader and the checks."""

from .policy import DEFAULT_IFRAME_HOSTS, Sanitiser

__all__ = ["DEFAULT_IFRAME_HOSTS", "Sanitiser", "sanitiser_for"]


def sanitiser_for(settings) -> Sanitiser:
    return Sanitiser(settings.get("SANITISE_IFRAME_HOSTS", DEFAULT_IFRAME_HOSTS))
