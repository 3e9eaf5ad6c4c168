"""Put the Content-Security-Policy in every page and ``_headers`` in the output."""

from __future__ import annotations

from pelican import signals
from pelican.generators import Generator

from plugins.sanitise import DEFAULT_IFRAME_HOSTS
from pressroom.output import owns, write_bytes

from .policy import content_security_policy, render_headers_file


class HeadersGenerator(Generator):
    def generate_context(self) -> None:
        hosts = self.settings.get("SANITISE_IFRAME_HOSTS", DEFAULT_IFRAME_HOSTS)
        self.context["CSP_META"] = content_security_policy(hosts, meta=True)
        self._headers = render_headers_file(hosts)

    def generate_output(self, writer) -> None:
        if owns(writer, "_headers"):
            write_bytes(writer, "_headers", self._headers)


def get_generators(pelican):
    return HeadersGenerator


def register() -> None:
    """Security headers: a meta tag in pages (where headers are impossible) and _headers."""
    signals.get_generators.connect(get_generators)
