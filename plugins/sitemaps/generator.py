"""Write ``/sitemap.xml``, ``/sitemap-news.xml`` and ``/robots.txt`` into the output root."""

from __future__ import annotations

from datetime import datetime

from pelican.generators import Generator

from plugins.feeds.settings import feed_settings
from plugins.incremental.keys import build_key, digest
from pressroom.clock import build_now
from pressroom.output import owns, reuse, write_bytes

from .entries import NewsEntry, SitemapEntry, news_entries, sitemap_entries
from .formats import absolute, render_news_sitemap, render_robots, render_sitemap

SITEMAP_SAVE_AS = "sitemap.xml"
NEWS_SITEMAP_SAVE_AS = "sitemap-news.xml"
ROBOTS_SAVE_AS = "robots.txt"


def _when(moment: datetime | None) -> str | None:
    return None if moment is None else str(moment)  # microseconds and offset included


def shown(entries: list[SitemapEntry], news: list[NewsEntry]) -> tuple[list[tuple], list[tuple]]:
    """What the three files show, as plain tuples and dates as text: pickled for the key, 23,000
    dataclasses holding Pelican's dates took 0.11 s on every build, these tuples 0.03."""
    return (
        [(e.url, e.lang, _when(e.lastmod), e.alternates) for e in entries],
        [(e.url, e.lang, e.title, _when(e.published)) for e in news],
    )


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
        news = news_entries(site, build_now())
        # What the three files show: rendering 23,000 entries again is most of their cost.
        key = digest(build_key(self.settings), self.base_url, *shown(entries, news))
        names = (SITEMAP_SAVE_AS, NEWS_SITEMAP_SAVE_AS, ROBOTS_SAVE_AS)
        if all([reuse(writer, name, key) for name in names]):
            return
        write_bytes(writer, SITEMAP_SAVE_AS, render_sitemap(entries, self.base_url, self.settings["DEFAULT_LANG"]), key)
        write_bytes(
            writer, NEWS_SITEMAP_SAVE_AS, render_news_sitemap(news, self.base_url, self.settings["SITE_NAMES"]), key
        )
        sitemaps = [absolute(self.base_url, name) for name in (SITEMAP_SAVE_AS, NEWS_SITEMAP_SAVE_AS)]
        write_bytes(writer, ROBOTS_SAVE_AS, render_robots(sitemaps), key)
