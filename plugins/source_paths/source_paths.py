"""A content file's path relative to the content folder, computed once per file.

Pelican formats a release's URL and file name from its fields (``url_format``), and
each time it computes the release's path relative to the content folder again (two
``abspath`` and a ``relpath``): 49,000 times in a build of 5,000 releases, most of
the cost of a URL. The path follows from the file and the content folder alone, so
it is kept on the object with both, and computed again if either changes. A URL,
once the listings' index has fixed it, is read from the object as it is (``url_of``).
"""

from __future__ import annotations

from pelican.contents import Content

pelicans_relative_source_path = Content.get_relative_source_path


def relative_source_path(self, source_path: str | None = None) -> str | None:
    """Pelican's ``get_relative_source_path``, remembered for the object's own file."""
    if source_path:  # another file (a link's target): as Pelican computes it
        return pelicans_relative_source_path(self, source_path)
    key = (self.source_path, self.settings["PATH"])
    known = self.__dict__.get("_pressroom_source_path")
    if known is None or known[0] != key:
        known = self.__dict__["_pressroom_source_path"] = (key, pelicans_relative_source_path(self))
    return known[1]


def url_of(item) -> str:
    """The item's URL: the override the listings' index sets on every release and page (Pelican's ``url``
    property finds it with two lookups, 47,000 times in a rebuild at 5,000 releases), else Pelican's own."""
    return item.__dict__.get("override_url") or item.url


def register() -> None:
    """Have every content object remember its relative path."""
    Content.get_relative_source_path = relative_source_path
