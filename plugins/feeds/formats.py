"""Serialising feeds as Atom and RSS (feedgen) and as JSON Feed 1.1.

Output depends only on the content: ``updated`` is the newest entry's, never the
clock, so the same content gives the same bytes.

A release is in up to six feeds (its language's site feed, its agencies', its
topics'), so serialising whole feeds serialised each entry up to six times per
format: a third of a build. ``FeedRenderer`` serialises each entry once per format
and makes every feed from its head, serialised without entries by the same library,
with the entries' bytes put in, in order. The result is the bytes that serialising
the whole feed in one go gives (tests/test_feeds.py checks it).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from feedgen.entry import FeedEntry as FeedgenEntry
from feedgen.feed import FeedGenerator
from lxml import etree
from markupsafe import Markup

from .archive import EntryArchive
from .entries import FeedEntry, Person

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
ATOM_NS = "{http://www.w3.org/2005/Atom}"
# The namespaces feedgen declares on <rss>: an item serialised under them, as it is
# in the feed, needs no declarations of its own.
RSS_NSMAP = {"atom": "http://www.w3.org/2005/Atom", "content": "http://purl.org/rss/1.0/modules/content/"}
# Where entries go: before the end of the feed's head, serialised without entries.
ATOM_END = b"</feed>\n"
RSS_END = b"  </channel>\n</rss>\n"


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


def feed_head(info: FeedInfo, fmt: str) -> FeedGenerator:
    """The feed's own elements, without entries."""
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
    feed.updated(native(info.updated))
    feed.lastBuildDate(native(info.updated))
    return feed


def native(value: datetime) -> datetime:
    """The same moment as a plain ``datetime``: feedgen formats RSS dates with ``strftime``, which
    Pelican's ``SafeDatetime`` does in Python, directive by directive (a sixth of serialising an entry)."""
    return datetime.combine(value.date(), value.timetz())


def feedgen_entry(item: FeedEntry) -> FeedgenEntry:
    """The entry as feedgen holds it: one object makes both its Atom and its RSS element."""
    entry = FeedgenEntry()
    entry.id(item.id)
    entry.guid(item.id, permalink=False)
    entry.title(item.title)
    for link in entry_links(item):
        entry.link(**link)
    entry.content(item.content_html, type="html")
    entry.summary(item.summary_html, type="html")
    entry.published(native(item.published))
    entry.updated(native(item.updated))
    for person in item.authors:
        entry.author(name=person.name, email=person.email or None, uri=person.url or None)
    for category in item.categories:
        entry.category(term=category.term, label=category.label, scheme=category.scheme)
    return entry


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


def restore_links(entry, item: FeedEntry, namespace: str = "") -> None:
    """Put back the link attributes feedgen 1.0.0 drops.

    feedgen reads rel, type, hreflang and length from the new XML element instead of
    the link's data, so an Atom entry's links keep only their href. ``namespace`` is
    the Atom one for an entry parsed back from a feed, none for one feedgen just made.
    """
    for link, wanted in zip(entry.iter(f"{namespace}link"), entry_links(item), strict=True):
        for key, value in wanted.items():
            link.set(key, value)


def with_stylesheet(root, info: FeedInfo) -> bytes:
    """Serialise, with the processing instruction that lets a browser show the feed as a page."""
    if info.stylesheet:
        root.addprevious(etree.ProcessingInstruction("xml-stylesheet", f'type="text/xsl" href="{info.stylesheet}"'))
    return etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _person(person: Person) -> dict[str, str]:
    return {"name": person.name, **({"url": person.url} if person.url else {})}


def json_item(item: FeedEntry) -> dict[str, Any]:
    """The entry as a JSON Feed item."""
    data: dict[str, Any] = {
        "id": item.id,
        "url": item.url,
        "title": item.title,
        "content_html": item.content_html,
        # JSON Feed's summary is plain text (its content_html carries the markup); none when the release has none.
        **({"summary": Markup(item.summary_html).striptags()} if item.summary_html else {}),
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
    return data


def json_head(info: FeedInfo) -> dict[str, Any]:
    """The JSON feed's own members; ``items`` comes last."""
    return {
        "version": JSON_FEED_VERSION,
        "title": info.title,
        "home_page_url": info.home_url,
        "feed_url": info.self_urls["json"],
        "description": info.description,
        "icon": info.icon,
        "favicon": info.favicon,
        "authors": [_person(info.author)],
        "language": info.lang,
    }


def _dumps(data: Any) -> str:
    # Compact: with an indent, json.dumps runs its pure-Python encoder (1 s for a full build's entries).
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _between(data: bytes, start: bytes, end: bytes) -> bytes:
    """What lies after the first ``start`` and before the ``end`` that closes ``data``."""
    begin = data.find(start)
    if begin < 0 or not data.endswith(end):
        raise ValueError(f"expected a serialisation between {start!r} and {end!r}")
    return data[begin + len(start) : len(data) - len(end)]


#: A feed in one format as (head, entries, separator, end): the feed is their concatenation.
FeedParts = tuple[bytes, list[bytes], bytes, bytes]


class FeedRenderer:
    """Renders feeds, serialising each entry once per format for every feed that holds it.

    Feeds are given their items (releases) and ``make_entry`` builds an item's
    ``FeedEntry`` the first time one of them holds it: only its bytes are kept, keyed by
    the item, which the caller keeps alive (an entry's HTML is held once, in them). A feed
    is written in all three formats together, so an entry is serialised in all three at once.
    """

    def __init__(
        self,
        make_entry: Callable[[Any], FeedEntry] = lambda entry: entry,
        key: Callable[[Any], str] | None = None,
        archives: Mapping[str, EntryArchive] | None = None,
    ) -> None:
        self.make_entry = make_entry
        self.key = key  # an item's entry key, for the archives of the last build's entries
        # By the feeds' language; only with a key to find entries by.
        self.archives: Mapping[str, EntryArchive] = (archives or {}) if key is not None else {}
        self._fragments: dict[int, dict[str, bytes]] = {}

    def render(self, fmt: str, info: FeedInfo, items: Sequence[Any], path: str | None = None) -> bytes:
        """The feed ``info`` with ``items`` in ``fmt`` ("atom", "rss" or "json"), to be written at ``path``."""
        head, entries, separator, end = {"atom": self._atom, "rss": self._rss, "json": self._json}[fmt](info, items)
        archive = self.archives.get(info.lang)
        if archive is not None and path is not None and entries:
            spans, offset = [], len(head)
            for item, entry in zip(items, entries, strict=True):
                spans.append((self.key(item), offset, len(entry)))
                offset += len(entry) + len(separator)
            archive.note(path, fmt, spans)
        return b"".join([head, separator.join(entries), end])

    def forget(self, item: Any) -> None:
        """Drop the item's bytes once no feed still to be rendered holds it."""
        self._fragments.pop(id(item), None)

    def _atom(self, info: FeedInfo, items: Sequence[Any]) -> FeedParts:
        # Re-parsed, as when feedgen serialised whole feeds: feedgen's xmlns attribute
        # becomes the elements' namespace, which lxml then declares once, on <feed>.
        root = etree.fromstring(feed_head(info, "atom").atom_str(pretty=True, encoding="UTF-8"))
        head = _between(with_stylesheet(root, info), b"", ATOM_END)
        return head, self._entries("atom", info.lang, items), b"", ATOM_END

    def _rss(self, info: FeedInfo, items: Sequence[Any]) -> FeedParts:
        # Re-parsed, as when feedgen serialised whole feeds, for lxml to pretty-print it.
        root = etree.fromstring(feed_head(info, "rss").rss_str(encoding="UTF-8"))
        head = _between(with_stylesheet(root, info), b"", RSS_END)
        return head, self._entries("rss", info.lang, items), b"", RSS_END

    def _json(self, info: FeedInfo, items: Sequence[Any]) -> FeedParts:
        if not items:
            return (_dumps({**json_head(info), "items": []}) + "\n").encode("utf-8"), [], b"", b""
        head = _between(_dumps(json_head(info)).encode("utf-8"), b"", b"}") + b',"items":['
        return head, self._entries("json", info.lang, items), b",", b"]}\n"

    def _entries(self, fmt: str, lang: str, items: Sequence[Any]) -> list[bytes]:
        found = []
        archive = self.archives.get(lang)
        for item in items:
            fragments = self._fragments.get(id(item))
            if fragments is None:
                kept = archive.find(self.key(item)) if archive is not None else None
                fragments = kept or self._serialise(self.make_entry(item))
                self._fragments[id(item)] = fragments
            found.append(fragments[fmt])
        return found

    @staticmethod
    def _serialise(item: FeedEntry) -> dict[str, bytes]:
        """The entry's bytes in each format, exactly as they are inside a whole feed's."""
        entry = feedgen_entry(item)
        # Atom: feedgen's elements are in no namespace (the feed's xmlns is an attribute);
        # an entry is indented one level.
        atom = entry.atom_entry()
        restore_links(atom, item)
        container = etree.Element("feed")
        container.append(atom)
        data = etree.tostring(container, encoding="UTF-8", xml_declaration=False, pretty_print=True)
        atom_bytes = _between(data, b"<feed>\n", ATOM_END)
        # RSS: an item is indented two levels, and needs no declarations of its own
        # under the namespaces feedgen declares on <rss>.
        container = etree.Element("rss", version="2.0", nsmap=RSS_NSMAP)
        rss = entry.rss_entry()
        for extra in rss.findall("author")[1:]:  # RSS 2.0 has one author an item: the first agency (Atom has all)
            rss.remove(extra)
        etree.SubElement(container, "channel").append(rss)
        data = etree.tostring(container, encoding="UTF-8", xml_declaration=False, pretty_print=True)
        rss_bytes = _between(data, b"<channel>\n", RSS_END)
        json_bytes = _dumps(json_item(item)).encode("utf-8")
        return {"atom": atom_bytes, "rss": rss_bytes, "json": json_bytes}
