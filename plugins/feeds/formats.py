"""Serialising one feed as Atom and RSS (feedgen) and as JSON Feed 1.1.

Output depends only on the content: ``updated`` is the newest entry's, never the
clock, so the same content gives the same bytes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from feedgen.feed import FeedGenerator
from lxml import etree

from .entries import FeedEntry, Person

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
ATOM_NS = "{http://www.w3.org/2005/Atom}"


@dataclass(frozen=True)
class FeedInfo:
    id: str
    title: str
    description: str
    lang: str
    home_url: str  # the listing page
    self_urls: dict[str, str]  # format -> absolute URL of that feed
    updated: datetime
    author: Person
    icon: str
    favicon: str
    stylesheet: str = ""  # XSLT that shows the feed as a page in a browser


def _feedgen(info: FeedInfo, entries: list[FeedEntry], fmt: str) -> FeedGenerator:
    feed = FeedGenerator()
    feed.id(info.id)
    feed.title(info.title)
    feed.subtitle(info.description)
    feed.language(info.lang)
    feed.author(name=info.author.name, email=info.author.email or None, uri=info.author.url or None)
    # RSS takes its channel link from the last link set: self first, the page last.
    feed.link(href=info.self_urls[fmt], rel="self", type="application/atom+xml" if fmt == "atom" else None)
    feed.link(href=info.home_url, rel="alternate", type="text/html", hreflang=info.lang)
    feed.icon(info.favicon)
    feed.logo(info.icon)
    feed.image(url=info.icon, title=info.title, link=info.home_url)
    feed.updated(info.updated)
    feed.lastBuildDate(info.updated)
    for item in entries:
        entry = feed.add_entry(order="append")
        entry.id(item.id)
        entry.guid(item.id, permalink=False)
        entry.title(item.title)
        for link in entry_links(item):
            entry.link(**link)
        entry.content(item.content_html, type="html")
        entry.summary(item.summary_html, type="html")
        entry.published(item.published)
        entry.updated(item.updated)
        for person in item.authors:
            entry.author(name=person.name, email=person.email or None, uri=person.url or None)
        for category in item.categories:
            entry.category(term=category.term, label=category.label, scheme=category.scheme)
    return feed


def entry_links(item: FeedEntry) -> list[dict[str, str]]:
    """An entry's links: translations, enclosures, then its own page (RSS keeps the last)."""
    links = [
        {"href": url, "rel": "alternate", "hreflang": code, "type": "text/html"}
        for code, url in sorted(item.translations.items())
    ]
    links += [
        {"href": e.url, "rel": "enclosure", "type": e.mime_type, "length": str(e.length)} for e in item.enclosures
    ]
    links.append({"href": item.url, "rel": "alternate", "hreflang": item.lang, "type": "text/html"})
    return links


def render_atom(info: FeedInfo, entries: list[FeedEntry]) -> bytes:
    atom = _feedgen(info, entries, "atom").atom_str(pretty=True, encoding="UTF-8")
    # feedgen 1.0.0 drops rel, type, hreflang and length from entry links (it reads
    # them from the new XML element instead of the link's data): put them back.
    root = etree.fromstring(atom)
    for element, item in zip(root.iter(f"{ATOM_NS}entry"), entries, strict=True):
        for link, wanted in zip(element.iter(f"{ATOM_NS}link"), entry_links(item), strict=True):
            for key, value in wanted.items():
                link.set(key, value)
    return _with_stylesheet(root, info)


def render_rss(info: FeedInfo, entries: list[FeedEntry]) -> bytes:
    return _with_stylesheet(etree.fromstring(_feedgen(info, entries, "rss").rss_str(encoding="UTF-8")), info)


def _with_stylesheet(root, info: FeedInfo) -> bytes:
    """Serialise, with the processing instruction that lets a browser show the feed as a page."""
    if info.stylesheet:
        root.addprevious(etree.ProcessingInstruction("xml-stylesheet", f'type="text/xsl" href="{info.stylesheet}"'))
    return etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _person(person: Person) -> dict[str, str]:
    return {"name": person.name, **({"url": person.url} if person.url else {})}


def render_json(info: FeedInfo, entries: list[FeedEntry]) -> bytes:
    items = []
    for item in entries:
        data = {
            "id": item.id,
            "url": item.url,
            "title": item.title,
            "content_html": item.content_html,
            "summary": item.summary_html,
            "date_published": item.published.isoformat(),
            "date_modified": item.updated.isoformat(),
            "authors": [_person(p) for p in item.authors],
            "tags": [c.label for c in item.categories],
            "language": item.lang,
        }
        if item.enclosures:
            data["attachments"] = [
                {"url": e.url, "mime_type": e.mime_type, "size_in_bytes": e.length} for e in item.enclosures
            ]
        if item.translations:
            data["_pressroom"] = {"translations": [{"language": k, "url": v} for k, v in item.translations.items()]}
        items.append(data)
    feed = {
        "version": JSON_FEED_VERSION,
        "title": info.title,
        "home_page_url": info.home_url,
        "feed_url": info.self_urls["json"],
        "description": info.description,
        "icon": info.icon,
        "favicon": info.favicon,
        "authors": [_person(info.author)],
        "language": info.lang,
        "items": items,
    }
    return (json.dumps(feed, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


RENDERERS = {"atom": render_atom, "rss": render_rss, "json": render_json}
