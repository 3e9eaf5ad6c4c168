"""Tell search engines what the site holds: ``/sitemap.xml`` (an index of the pages' sitemap and one per year),
``/sitemap-news.xml``, ``/robots.txt``."""

from __future__ import annotations

from pelican import signals

from .generator import SitemapsGenerator


def get_generators(pelican):
    return SitemapsGenerator


def register() -> None:
    """Add the sitemaps generator (it reads the listings' site index: load this plugin after listings)."""
    signals.get_generators.connect(get_generators)
