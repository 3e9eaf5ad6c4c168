"""Write ``/sitemap.xml`` (an index), its sitemaps, ``/sitemap-news.xml`` and ``/robots.txt`` into the output root."""

from __future__ import annotations

from pelican.generators import Generator

from plugins.feeds.settings import feed_settings
from plugins.incremental.keys import digest, unthemed_key, when
from pressroom.clock import build_now
from pressroom.output import owns, reuse, write_bytes

from .entries import PAGES, SitemapEntry, news_entries, sitemap_entries
from .formats import absolute, render_news_sitemap, render_robots, render_sitemap, render_sitemap_index

SITEMAP_SAVE_AS = "sitemap.xml"  # the index of the sitemaps below
NEWS_SITEMAP_SAVE_AS = "sitemap-news.xml"
ROBOTS_SAVE_AS = "robots.txt"


def part_name(part: str) -> str:
    """A part's file, at the site's root (a sitemap may only list URLs at or below its own folder)."""
    return f"sitemap-{part}.xml"


def shown(entries: list[SitemapEntry]) -> list[tuple]:
    """What a sitemap shows, as plain tuples and dates as text: pickled for its key, named tuples holding
    Pelican's dates took twice as long."""
    return [(e.url, e.lang, when(e.lastmod), e.alternates) for e in entries]


def parts(entries: list[SitemapEntry]) -> list[tuple[str, list[SitemapEntry]]]:
    """The entries by part: the pages' first, then the years, newest first (each part's entries stay sorted)."""
    found: dict[str, list[SitemapEntry]] = {}
    for entry in entries:
        found.setdefault(entry.part, []).append(entry)
    return sorted(found.items(), key=lambda item: (item[0] != PAGES, -int(item[0]) if item[0].isdigit() else 0))


class SitemapsGenerator(Generator):
    """``sitemap.xml`` indexes a sitemap of the pages and listings and one per year of releases.

    One sitemap of every page had 46,000 URLs at 20,000 releases, near the protocol's
    50,000, and was written again (0.75 s at 5,000 releases) for every release published.
    A year's sitemap changes only with its releases.
    """

    def generate_context(self) -> None:
        # Search engines need absolute URLs, as feed readers do: the same base serves both.
        self.base_url = feed_settings(self.settings).base_url

    def generate_output(self, writer) -> None:
        if not owns(writer, SITEMAP_SAVE_AS):  # the files are written together
            return
        site = self.context["site"]
        pages = [*self.context["pages"], *self.context.get("page_translations", [])]
        build, base = unthemed_key(self.settings), self.base_url
        children = []
        for part, entries in parts(sitemap_entries(site, pages)):
            name = part_name(part)
            key = digest(build, base, name, shown(entries))  # rendering thousands of entries is their cost
            if not reuse(writer, name, key):
                write_bytes(writer, name, render_sitemap(entries, base, self.settings["DEFAULT_LANG"]), key)
            children.append((name, max((e.lastmod for e in entries if e.lastmod is not None), default=None)))
        key = digest(build, base, [(name, when(newest)) for name, newest in children])
        if not reuse(writer, SITEMAP_SAVE_AS, key):
            write_bytes(writer, SITEMAP_SAVE_AS, render_sitemap_index(children, base), key)
        news = news_entries(site, build_now())
        key = digest(build, base, [(e.url, e.lang, e.title, when(e.published)) for e in news])
        if not reuse(writer, NEWS_SITEMAP_SAVE_AS, key):
            data = render_news_sitemap(news, base, self.settings["SITE_NAMES"])
            write_bytes(writer, NEWS_SITEMAP_SAVE_AS, data, key)
        sitemaps = [absolute(base, name) for name in (SITEMAP_SAVE_AS, NEWS_SITEMAP_SAVE_AS)]
        robots = render_robots(sitemaps)
        key = digest(build, robots)
        if not reuse(writer, ROBOTS_SAVE_AS, key):
            write_bytes(writer, ROBOTS_SAVE_AS, robots, key)
