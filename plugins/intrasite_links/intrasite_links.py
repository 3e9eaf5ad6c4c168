"""Pelican's intrasite links (``{static}/...``, ``{filename}...``), looked for only in text that can hold one.

Every build, Pelican scans each release's HTML for the files it links
(``get_static_links``) and resolves the links in each summary again
(``refresh_metadata_intersite_links``): a regular expression over 9,280 texts at
5,000 releases, most of which hold no link. Under Pelican's default link pattern a
link starts with ``{`` or ``|``: text with neither is answered at once (a substring
test), with what Pelican's own scan would find in it, nothing.

A Summary's links are resolved for the page that shows it, as the body's are. Pelican
resolves them once, against the site's address, and hands that to every page: with
relative URLs (``make html``, the previews) a listing below the site's root linked a
folder too deep, and a feed a path under its entry's.

A link to a draft or to a release under embargo is left out, its words kept
(``withheld.py``): Pelican would publish it as written, the file's name in it.
"""

from __future__ import annotations

from pelican.contents import Content

from .withheld import unlink_withheld

#: Pelican's default INTRASITE_LINK_REGEX; with another, every text is scanned as Pelican scans it.
DEFAULT_LINK_PATTERN = "[{|](?P<what>.*?)[|}]"
LINK_MARKS = ("{", "|")

pelicans_update_content = Content._update_content
pelicans_static_links = Content.get_static_links
pelicans_refresh_links = Content.refresh_metadata_intersite_links
#: Pelican's memoised ``get_summary`` itself: read from the class, it comes bound to no item.
pelicans_get_summary = Content.__dict__["get_summary"]


def may_link(item, text: str) -> bool:
    """Whether Pelican could find an intrasite link in ``text``, one of ``item``'s."""
    if item.settings.get("INTRASITE_LINK_REGEX", DEFAULT_LINK_PATTERN) != DEFAULT_LINK_PATTERN:
        return True
    return any(mark in text for mark in LINK_MARKS)


def update_content(self, content: str, siteurl: str) -> str:
    """Pelican's ``_update_content``: ``content`` with its intrasite links resolved against ``siteurl``, and
    those to withheld content left out (``withheld.py``)."""
    if not content or not may_link(self, content):
        return content
    return pelicans_update_content(self, unlink_withheld(self, content), siteurl)


def static_links(self) -> set[str]:
    """Pelican's ``get_static_links``: the files the item's HTML links with ``{static}`` or ``{attach}``."""
    if not may_link(self, self._content):
        return set()
    return pelicans_static_links(self)


def refresh_metadata_intersite_links(self) -> None:
    """Pelican's, keeping the Summary as written (``get_summary`` resolves it for each page)."""
    if "summary" in self.metadata and "_pressroom_summary" not in self.__dict__:
        self._pressroom_summary = self.__dict__.get("_summary", self.metadata["summary"])
    pelicans_refresh_links(self)


def get_summary(self, siteurl: str) -> str:
    """The Summary, its links resolved against ``siteurl``; the reader makes one of the first paragraph when the
    header has none. A body without a paragraph (only a table, a list or photos) has no summary: Pelican would give
    the whole body, to every listing and feed entry."""
    if "summary" not in self.metadata:
        return ""
    written = self.__dict__.get("_pressroom_summary")
    if written is None:  # its links not yet kept as written (refresh_metadata_intersite_links): Pelican's own
        return pelicans_get_summary.__get__(self, type(self))(siteurl)
    return update_content(self, written, siteurl)


def register() -> None:
    """Answer Pelican's link scans at once for text without a link; resolve a Summary's links for each page."""
    Content._update_content = update_content
    Content.get_static_links = static_links
    Content.refresh_metadata_intersite_links = refresh_metadata_intersite_links
    Content.get_summary = get_summary
