"""What a page tells search engines and link previews about itself.

A newspaper pasting a release's address into its CMS or a chat should see the
headline, summary and photo, and a search engine should know the page's one true
address, its language and, for releases, who issued it and when. Everything is
computed here from the site index; ``partials/meta.html`` only prints it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urljoin

import lxml.html
from pelican.contents import Article

from plugins.incremental.keys import raw_content
from plugins.listings.index import Listing
from pressroom.config import SiteConfig

from .manifest import LARGE_ICON

#: OpenGraph wants language_TERRITORY; a language whose locale has no territory gets one here.
OG_LOCALES: Mapping[str, str] = {"vi": "vi_VN", "en": "en_GB"}
SCHEMA_CONTEXT = "https://schema.org"
#: What a JSON string may not contain inside <script>: written as \\u escapes, which JSON reads back.
SCRIPT_UNSAFE = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"))
#: A tag of the sanitised body (its text has no "<"; a quoted attribute value may hold "<" or ">").
TAG = re.compile(r"""<(?:[^>"']|"[^"]*"|'[^']*')*>""")


@dataclass(frozen=True)
class Image:
    url: str  # absolute
    alt: str = ""
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True)
class PageMeta:
    """The head metadata of one rendered page; every URL in it is absolute."""

    canonical: str
    site_name: str
    title: str
    description: str
    type: str  # OpenGraph: "article" for releases, else "website"
    image: Image
    locale: str
    locale_alternates: tuple[str, ...]
    twitter_card: str
    published: str = ""  # ISO 8601, releases only
    modified: str = ""
    json_ld: str = ""  # safe inside <script type="application/ld+json">


def script_json(data: Mapping[str, Any]) -> str:
    """JSON that cannot end its ``<script>`` element or open a comment in it, whatever the titles say."""
    text = json.dumps(data, ensure_ascii=False)
    for unsafe, escaped in SCRIPT_UNSAFE:  # str.replace: translate() took 0.2 ms a release
        text = text.replace(unsafe, escaped)
    return text


def release_image(release, base_url: str) -> Image | None:
    """The first photo of a release that this site serves (external images are blocked by the CSP anyway)."""
    raw = raw_content(release)
    if "<img" not in raw:
        return None
    page_url = f"{base_url}/{release.url}"
    # Tag by tag, each with its intrasite links resolved: resolving and parsing the whole
    # body for its first photo took most of this page's metadata.
    for tag in TAG.finditer(raw):
        text = tag.group()
        if text[:4].lower() != "<img" or text[4:5] not in " \t\n\r\f/>":
            continue
        img = lxml.html.fragment_fromstring(release._update_content(text, base_url))
        url = urljoin(page_url, img.get("src") or "")
        if img.get("src") and url.startswith(f"{base_url}/"):
            return Image(url, " ".join((img.get("alt") or "").split()))
    return None


class MetaBuilder:
    """Builds :class:`PageMeta` for the release, page or listing a template is rendering."""

    def __init__(self, base_url: str, site_names: Mapping[str, str], config: SiteConfig):
        self.base_url = base_url
        self.site_names = site_names
        self.config = config
        self.icon = Image(self.url(LARGE_ICON[0]), width=LARGE_ICON[1], height=LARGE_ICON[1])

    def url(self, path: str) -> str:
        return f"{self.base_url}/{path}"

    def locale(self, lang: str) -> str:
        return OG_LOCALES.get(lang) or self.config.language(lang).locale

    def build(
        self,
        item,
        lang: str,
        page,
        gettext: Callable[[str], str],
        describe: Callable[[str], str],
    ) -> PageMeta:
        """``page`` is the pagination page of a listing (or None); ``describe`` makes HTML a short text."""
        site_description = gettext("Official press releases from the agencies of Hanoi")
        own_url = page.url if page is not None and page.number > 1 else item.url
        common = {
            "canonical": self.url(own_url),
            "site_name": self.site_names[lang],
            "locale": self.locale(lang),
            "locale_alternates": tuple(self.locale(code) for code in self.config.codes if code != lang),
        }
        if isinstance(item, Article):
            image = release_image(item, self.base_url)
            meta = PageMeta(
                **common,
                title=item.title,
                description=describe(item.summary or "") or site_description,
                type="article",
                image=image or self.icon,
                twitter_card="summary_large_image" if image else "summary",
                published=item.date.isoformat(),
                modified=(getattr(item, "modified", None) or item.date).isoformat(),
            )
            return replace(meta, json_ld=script_json(self.news_article(item, meta, image)))
        if isinstance(item, Listing):
            title = listing_title(item, self.site_names[lang], gettext)
            if page is not None and page.number > 1:
                number = gettext("Page %(number)d") % {"number": page.number}
                title = f"{title} — {number}"
        else:  # a page: about, contact
            title = item.title
        meta = PageMeta(
            **common,
            title=title,
            description=site_description,
            type="website",
            image=self.icon,
            twitter_card="summary",
        )
        if isinstance(item, Listing) and item.kind == "agency" and item.agency is not None:
            return replace(meta, json_ld=script_json(self.government_organization(item)))
        return meta

    def news_article(self, release, meta: PageMeta, image: Image | None) -> dict[str, Any]:
        lang = release.lang
        data: dict[str, Any] = {
            "@context": SCHEMA_CONTEXT,
            "@type": "NewsArticle",
            "headline": release.title,
            "description": meta.description,
            "datePublished": meta.published,
            "dateModified": meta.modified,
            "inLanguage": lang,
            "url": meta.canonical,
            "mainEntityOfPage": {"@type": "WebPage", "@id": meta.canonical},
            "identifier": release.release_id,
        }
        if image is not None:
            data["image"] = image.url
        logo = {"@type": "ImageObject", "url": self.icon.url, "width": self.icon.width, "height": self.icon.height}
        data["publisher"] = {
            "@type": "GovernmentOrganization",
            "name": self.site_names[lang],
            "url": self.url(""),
            "logo": logo,
        }
        data["author"] = [
            {"@type": "GovernmentOrganization", "name": ref.name, "url": self.url(ref.url)}
            for ref in release.agency_refs
        ]
        if release.tag_refs:
            data["keywords"] = [ref.name for ref in release.tag_refs]
        return data

    def government_organization(self, listing: Listing) -> dict[str, Any]:
        agency = listing.agency
        others = list(dict.fromkeys(agency.name(code) for code in self.config.codes if code != listing.lang))
        others = [name for name in others if name != listing.name]
        data: dict[str, Any] = {
            "@context": SCHEMA_CONTEXT,
            "@type": "GovernmentOrganization",
            "name": listing.name,
        }
        if others:
            data["alternateName"] = others[0] if len(others) == 1 else others
        data["url"] = self.url(listing.url)
        if agency.email:
            data["email"] = agency.email
        if agency.phone:
            data["telephone"] = agency.phone
        if agency.website:
            data["sameAs"] = agency.website
        return data


def listing_title(listing: Listing, site_name: str, gettext: Callable[[str], str]) -> str:
    """The listing's name as its ``<title>`` says it, without the site name (og:site_name has it)."""
    kind = listing.kind
    if kind == "home":
        return site_name
    if kind == "agencies":
        return gettext("Agencies")
    if kind == "tags":
        return gettext("Topics")
    if kind == "tag":
        return gettext("Topic: %(name)s") % {"name": listing.name}
    if kind == "year":
        return gettext("Releases of %(year)s") % {"year": listing.name}
    if kind == "subscribe":
        return gettext("Subscribe")
    if kind == "search":
        return gettext("Search")
    return listing.name or site_name
