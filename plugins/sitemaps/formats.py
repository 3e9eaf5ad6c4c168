"""Serialising the sitemaps and their index (lxml, so every URL and title is escaped) and robots.txt.

Nothing here reads the clock: the same entries always give the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from urllib.parse import quote

from lxml import etree

from .entries import NewsEntry, SitemapEntry

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"


def absolute(base_url: str, url: str) -> str:
    """Sitemaps want absolute, percent-encoded URLs (RFC 3986)."""
    return f"{base_url}/{quote(url, safe='/')}"


def w3c_datetime(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def hreflang_links(entry: SitemapEntry, default_lang: str) -> dict[str, str]:
    """Every language version including this one, and x-default: the default language's, else this one."""
    versions = {**entry.alternates, entry.lang: entry.url}
    return {**dict(sorted(versions.items())), "x-default": versions.get(default_lang, entry.url)}


def _tostring(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _element(parent: etree._Element, ns: str, name: str, text: str) -> etree._Element:
    child = etree.SubElement(parent, f"{{{ns}}}{name}")
    child.text = text
    return child


def render_sitemap(entries: Iterable[SitemapEntry], base_url: str, default_lang: str) -> bytes:
    urlset = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap={None: SITEMAP_NS, "xhtml": XHTML_NS})
    for entry in entries:
        url = etree.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
        _element(url, SITEMAP_NS, "loc", absolute(base_url, entry.url))
        if entry.lastmod is not None:
            _element(url, SITEMAP_NS, "lastmod", w3c_datetime(entry.lastmod))
        if entry.alternates:
            for hreflang, href in hreflang_links(entry, default_lang).items():
                attributes = {"rel": "alternate", "hreflang": hreflang, "href": absolute(base_url, href)}
                etree.SubElement(url, f"{{{XHTML_NS}}}link", attributes)
    return _tostring(urlset)


def render_sitemap_index(children: Iterable[tuple[str, datetime | None]], base_url: str) -> bytes:
    """The sitemap index: each child sitemap (a file name at the site's root) with its newest lastmod."""
    index = etree.Element(f"{{{SITEMAP_NS}}}sitemapindex", nsmap={None: SITEMAP_NS})
    for name, newest in children:
        child = etree.SubElement(index, f"{{{SITEMAP_NS}}}sitemap")
        _element(child, SITEMAP_NS, "loc", absolute(base_url, name))
        if newest is not None:
            _element(child, SITEMAP_NS, "lastmod", w3c_datetime(newest))
    return _tostring(index)


def render_news_sitemap(entries: Iterable[NewsEntry], base_url: str, site_names: Mapping[str, str]) -> bytes:
    urlset = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap={None: SITEMAP_NS, "news": NEWS_NS})
    for entry in entries:
        url = etree.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
        _element(url, SITEMAP_NS, "loc", absolute(base_url, entry.url))
        news = etree.SubElement(url, f"{{{NEWS_NS}}}news")
        publication = etree.SubElement(news, f"{{{NEWS_NS}}}publication")
        _element(publication, NEWS_NS, "name", site_names[entry.lang])
        _element(publication, NEWS_NS, "language", entry.lang)
        _element(news, NEWS_NS, "publication_date", w3c_datetime(entry.published))
        _element(news, NEWS_NS, "title", entry.title)
    return _tostring(urlset)


def render_robots(sitemap_urls: Iterable[str]) -> bytes:
    lines = ["User-agent: *", "Allow: /", "", *(f"Sitemap: {url}" for url in sitemap_urls)]
    return ("\n".join(lines) + "\n").encode("utf-8")
