"""Write ``/sitemap.xml``, ``/sitemap-news.xml`` and ``/robots.txt`` into the output root."""

from __future__ import annotations

from pelican.generators import Generator

from plugins.feeds.settings import feed_settings
from pressroom.clock import build_now
from pressroom.output import owns, write_bytes

from .entries import news_entries, sitemap_entries
from .formats import absolute, render_news_sitemap, render_robots, render_sitemap

SITEMAP_SAVE_AS = "sitemap.xml"
NEWS_SITEMAP_SAVE_AS = "sitemap-news.xml"
ROBOTS_SAVE_AS = "robots.txt"


class SitemapsGenerator(Generator):
    def generate_context(self) -> None:
        # Search engines need absolute URLs, as feed readers do: the same base serves both.
        self.base_url = feed_settings(self.settings).base_url

    def generate_output(self, writer) -> None:
        if not owns(writer, SITEMAP_SAVE_AS):  # the three files are written together
            return
        site = self.context["site"]
        pages = [*self.context["pages"], *self.context.get("page_translations", [])]
        entries = sitemap_entries(site, pages)
        self._write(writer, SITEMAP_SAVE_AS, render_sitemap(entries, self.base_url, self.settings["DEFAULT_LANG"]))
        news = news_entries(site, build_now())
        self._write(writer, NEWS_SITEMAP_SAVE_AS, render_news_sitemap(news, self.base_url, self.settings["SITE_NAMES"]))
        sitemaps = [absolute(self.base_url, name) for name in (SITEMAP_SAVE_AS, NEWS_SITEMAP_SAVE_AS)]
        self._write(writer, ROBOTS_SAVE_AS, render_robots(sitemaps))

    def _write(self, writer, path: str, data: bytes) -> None:
        write_bytes(writer, path, data)
