"""One feed entry per release language version, computed once and shared by all feeds.

A journalist's reader keys items by id, so the id comes from the release's permanent
identity (``release_id``, i.e. ``<YYYY>/<name>`` or an explicit ``Id``) and its
language: never from the title, slug, URL or date.
"""

from __future__ import annotations

import html
import mimetypes
import os
from dataclasses import dataclass, field
from datetime import datetime

import lxml.html

from .settings import FeedSettings


@dataclass(frozen=True)
class Person:
    name: str
    email: str = ""
    url: str = ""


@dataclass(frozen=True)
class Category:
    term: str
    label: str
    scheme: str


@dataclass(frozen=True)
class Enclosure:
    url: str
    length: int
    mime_type: str


@dataclass
class FeedEntry:
    id: str
    lang: str
    title: str
    url: str
    content_html: str
    summary_html: str
    published: datetime
    updated: datetime
    authors: list[Person] = field(default_factory=list)
    categories: list[Category] = field(default_factory=list)
    translations: dict[str, str] = field(default_factory=dict)  # lang -> absolute URL
    enclosures: list[Enclosure] = field(default_factory=list)


def entry_id(prefix: str, release_id: str, lang: str) -> str:
    return f"{prefix}release/{release_id}/{lang}"


def may_link(fragment: str) -> bool:
    """Whether a fragment may hold a URL: every URL lxml resolves is in an attribute (after ``=``) or CSS."""
    return "=" in fragment or "url(" in fragment or "<style" in fragment or "@import" in fragment


def absolutize(fragment: str, page_url: str) -> tuple[str, list[str]]:
    """``fragment`` with every link and image URL made absolute, and its image URLs.

    lxml (a C parser) rather than Beautiful Soup: this runs for every release on every
    build, and is most of the cost of the feeds.
    """
    if not fragment.strip() or not may_link(fragment):
        return fragment, []  # nothing to resolve: as written (half of all fragments, the summaries)
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    root.make_links_absolute(page_url, resolve_base_href=False)
    images = [image.get("src") for image in root.iter("img") if image.get("src")]
    inner = html.escape(root.text or "", quote=False) + "".join(
        lxml.html.tostring(child, encoding="unicode") for child in root
    )
    return inner, images


class EntryFactory:
    """Builds each release's entry once; every feed it appears in reuses it."""

    def __init__(self, settings: FeedSettings, site, static_files: dict[str, str]):
        self.settings = settings
        self.site = site
        self.static_files = static_files  # site-relative URL -> source file path
        self._cache: dict[int, FeedEntry] = {}

    def url(self, path: str) -> str:
        return f"{self.settings.base_url}/{path}"

    def __call__(self, release) -> FeedEntry:
        key = id(release)
        if key not in self._cache:
            self._cache[key] = self._build(release)
        return self._cache[key]

    def forget(self, release) -> FeedEntry | None:
        """Drop the release's entry once no feed still to be written holds it; the entry, if built."""
        return self._cache.pop(id(release), None)

    def _build(self, release) -> FeedEntry:
        url = self.url(release.url)
        content, images = absolutize(release.get_content(self.settings.base_url), url)
        summary, _ = absolutize(release.get_summary(self.settings.base_url), url)
        agencies = self.site.agencies[release.lang]
        authors = []
        for ref in release.agency_refs:
            agency = agencies[ref.slug].agency
            authors.append(Person(ref.name, agency.email, self.url(ref.url)))
        categories = [Category(ref.slug, ref.name, self.url(ref.url)) for ref in release.tag_refs]
        return FeedEntry(
            id=entry_id(self.settings.id_prefix, release.release_id, release.lang),
            lang=release.lang,
            title=release.title,
            url=url,
            content_html=content,
            summary_html=summary,
            published=release.date,
            updated=getattr(release, "modified", None) or release.date,
            authors=authors,
            categories=categories,
            translations={code: self.url(path) for code, path in release.alternates.items()},
            enclosures=self._enclosures(images),
        )

    def _enclosures(self, images: list[str]) -> list[Enclosure]:
        found = []
        prefix = f"{self.settings.base_url}/"
        for src in images:
            source = self.static_files.get(src.removeprefix(prefix)) if src.startswith(prefix) else None
            if source and os.path.isfile(source):
                mime = mimetypes.guess_type(source)[0] or "application/octet-stream"
                found.append(Enclosure(src, os.path.getsize(source), mime))
        return found
