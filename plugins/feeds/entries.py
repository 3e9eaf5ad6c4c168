"""One feed entry per release language version, computed once and shared by all feeds.

A journalist's reader keys items by id, so the id comes from the release's permanent
identity (``release_id``, i.e. ``<YYYY>/<name>`` or an explicit ``Id``) and its
language: never from the title, slug, URL or date.
"""

from __future__ import annotations

import mimetypes
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urljoin

from plugins.sanitise import sanitiser_for

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


class LinkResolver:
    """Makes a fragment's link and image URLs absolute, for feed readers that have no page to resolve them from.

    Release bodies were sanitised by nh3 when read; cleaning one again with the same
    policy, with a filter that resolves each URL attribute against the release's page,
    is one pass of the same parser (lxml's parse, rewrite and serialisation took 0.4 ms
    a fragment, a quarter of the feeds' cost). The entry's HTML is the body as sanitised,
    its links resolved, and holds nothing the policy does not allow.
    """

    def __init__(self, settings: Mapping[str, Any]):
        self._page_url = ""
        self._images: list[str] = []
        self._sanitiser = sanitiser_for(settings, rewrite_url=self._resolve)

    def _resolve(self, tag: str, attribute: str, value: str) -> str:
        url = urljoin(self._page_url, value.strip())
        if tag == "img" and attribute == "src":
            self._images.append(url)
        return url

    def __call__(self, fragment: str, page_url: str) -> tuple[str, list[str]]:
        """``fragment`` with every URL made absolute, and its images' URLs."""
        if not fragment.strip():
            return fragment, []
        self._page_url, self._images = page_url, []
        return self._sanitiser.clean(fragment), self._images


def updated(release) -> datetime:
    """When a release last changed, as its entry says."""
    return getattr(release, "modified", None) or release.date


class EntryFactory:
    """Builds a release's entry; ``FeedRenderer`` asks once per release and keeps only its bytes."""

    def __init__(self, settings: FeedSettings, site, static_files: dict[str, str], resolver: LinkResolver):
        self.settings = settings
        self.absolutize = resolver
        self.site = site
        self.static_files = static_files  # site-relative URL -> source file path

    def url(self, path: str) -> str:
        return f"{self.settings.base_url}/{path}"

    def __call__(self, release) -> FeedEntry:
        return self._build(release)

    def _build(self, release) -> FeedEntry:
        url = self.url(release.url)
        content, images = self.absolutize(release.get_content(self.settings.base_url), url)
        summary, _ = self.absolutize(release.get_summary(self.settings.base_url), url)
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
            updated=updated(release),
            authors=authors,
            categories=categories,
            translations={code: self.url(path) for code, path in release.alternates.items()},
            enclosures=self._enclosures(images),
        )

    def _enclosures(self, images: list[str]) -> list[Enclosure]:
        found = []
        prefix = f"{self.settings.base_url}/"
        for src in dict.fromkeys(images):  # a photo shown twice is one enclosure
            source = self.static_files.get(src.removeprefix(prefix)) if src.startswith(prefix) else None
            if source and os.path.isfile(source):
                mime = mimetypes.guess_type(source)[0] or "application/octet-stream"
                found.append(Enclosure(src, os.path.getsize(source), mime))
        return found
