"""Which pages a sitemap names, read only from what the build publishes.

Releases come from the :class:`~plugins.listings.index.SiteIndex`, which holds no
draft or embargoed release. A preview build keeps them there, marked ``withheld``:
they are left out here too, with every listing that exists only because of them and
every translation link to them, so no sitemap ever names an unpublished release.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from operator import attrgetter
from types import MappingProxyType
from typing import NamedTuple

from plugins.source_paths import url_of

#: The part of the sitemap that lists content pages and listings; releases are listed by year.
PAGES = "pages"
#: Google News takes articles published in the last two days.
NEWS_WINDOW = timedelta(days=2)


#: Named tuples: a sitemap has an entry per page (23,000 at 5,000 releases), made on every build for its key.
class SitemapEntry(NamedTuple):
    url: str  # site-relative, e.g. "en/2025/05/slug/"
    lang: str
    lastmod: datetime | None = None
    alternates: Mapping[str, str] = MappingProxyType({})  # lang -> site-relative URL of a translation
    part: str = PAGES  # the sitemap that lists it: a release's year, else the pages'


class NewsEntry(NamedTuple):
    url: str
    lang: str
    title: str
    published: datetime


def is_withheld(release) -> bool:
    return bool(getattr(release, "withheld", ""))


def release_lastmod(release) -> datetime:
    """A corrected release was last changed at its Modified time, else at its Date."""
    return getattr(release, "modified", None) or release.date


def page_lastmod(page) -> datetime | None:
    """Pages usually carry no dates; a sitemap then says nothing rather than guess."""
    return getattr(page, "modified", None) or getattr(page, "date", None)


def sitemap_entries(site, pages: Iterable) -> list[SitemapEntry]:
    """Every published release, content page and first listing page, sorted by URL; each names its part."""
    found: list[SitemapEntry] = []
    unpublished: set[str] = set()
    withheld: set[int] = set()  # by id: a preview build's drafts and embargoed releases
    lastmods: dict[int, datetime] = {}  # by id: each release's, for the listings it is in (about 7 each)
    for lang in site.config.codes:
        for release in site.releases[lang]:
            url = url_of(release)
            lastmod = lastmods[id(release)] = release_lastmod(release)
            if is_withheld(release):
                unpublished.add(url)
                withheld.add(id(release))
            else:
                found.append(SitemapEntry(url, lang, lastmod, release.alternates, str(release.date.year)))
    for page in pages:
        found.append(SitemapEntry(url_of(page), page.lang, page_lastmod(page), getattr(page, "alternates", {})))
    for listing in [*site.all_listings(), *site.subscribe.values()]:
        published = [r for r in listing.releases if id(r) not in withheld] if withheld else listing.releases
        if listing.releases and not published:  # a topic or year only withheld releases make
            unpublished.add(listing.url)
            continue
        lastmod = max(map(lastmods.__getitem__, map(id, published)), default=None)
        found.append(SitemapEntry(listing.url, listing.lang, lastmod, listing.alternates))
    if unpublished:  # a preview build's: no translation link to what is withheld
        found = [e._replace(alternates={k: v for k, v in e.alternates.items() if v not in unpublished}) for e in found]
    return sorted(found, key=attrgetter("url"))


def news_entries(site, now: datetime) -> list[NewsEntry]:
    """Published releases dated in the two days up to the build's "now", sorted by URL."""
    since = now - NEWS_WINDOW
    found = []
    for lang in site.config.codes:
        for release in site.releases[lang]:  # the newest first: the window's are at the start
            if release.date < since:
                break
            if release.date <= now and not is_withheld(release):
                found.append(NewsEntry(url_of(release), lang, release.title, release.date))
    return sorted(found, key=attrgetter("url"))
