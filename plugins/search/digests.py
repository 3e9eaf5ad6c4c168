"""Each indexed page's sha256, remembered by its file stamp between builds.

A bundle's fingerprint needs the digest of every page it indexes. A rebuild links
most pages unchanged from the live output (same size and modification time; the inode
is not compared, as an output restored from a copy has new ones), so their digests are known;
reading and hashing 11,000 pages again would cost about a second at 5,000 releases.
Any other size or time means the page is read again.

The digest is of what Pagefind reads of the page (``indexed_part``), not of every byte:
a change to what every page shows around its text (the footer's years when a year's
first release is published, the navigation, a template, a UI string) renders every page
again, and had every bundle indexed again too (10 CPU-seconds at 5,000 releases) for the
same index.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from typing import Any

from pressroom.output import read_pickle, replace_pickle

#: In the cache folder, beside the render ledger (named anew when what a digest covers changed).
DIGESTS_FILE = "search-pages-indexed.pickle"

#: The attribute that marks a page's indexed text; the name of the element carrying it follows ``<``.
BODY_MARK = b"data-pagefind-body"
TAG_NAME = re.compile(rb"<([a-zA-Z][a-zA-Z0-9]*)[\s/>]")
#: What Pagefind may read outside that element: metadata, filters and sorts tagged anywhere, its default
#: title (the first h1 on the page) and its default image (the first img after that h1).
READ_ANYWHERE = (b"data-pagefind", b"<h1", b"<img")


def indexed_part(content: bytes) -> bytes:
    """What Pagefind reads of a page: its ``<html>`` tag (the language) and its ``data-pagefind-body`` element.

    A page cut to those two gives Pagefind the same fragments, byte for byte (docs/build-speed.md). The whole page
    when that does not hold or cannot be told apart: no such element or two of them, its end not found, or
    anything Pagefind reads outside it (``READ_ANYWHERE``). Found with plain byte searches (a regular
    expression over every tag took 80 us a page, a build's 9,300 pages 0.7 CPU-seconds).
    """
    mark = content.find(BODY_MARK)
    if mark < 0 or content.find(BODY_MARK, mark + len(BODY_MARK)) >= 0:
        return content
    start = content.rfind(b"<", 0, mark)
    name = TAG_NAME.match(content, start)
    html = content.find(b"<html")
    if name is None or content.find(b">", start, mark) >= 0 or not 0 <= html < start:
        return content  # the mark is not inside the tag that starts there
    opening, closing = b"<" + name.group(1), b"</" + name.group(1) + b">"
    depth, position = 1, mark
    while depth:
        end = content.find(closing, position)
        if end < 0:
            return content
        nested = content.count(opening, position, end)  # as many more to close (and "<articles" is no tag here)
        depth += nested - 1
        position = end + len(closing)
    if any(content.find(found, 0, start) >= 0 or content.find(found, position) >= 0 for found in READ_ANYWHERE):
        return content
    return content[html : content.find(b">", html) + 1] + b"\0" + content[start:position]


class PageDigests:
    """``(sha256, searchable)`` per output page, from the last build's record where the stamp matches."""

    def __init__(self, settings: dict[str, Any], output: str, searchable: Callable[[bytes], bool]):
        folder = settings.get("CACHE_PATH") if settings.get("CACHE_CONTENT") else None
        self.path = os.path.join(folder, DIGESTS_FILE) if folder else None
        self.output = output
        self.searchable = searchable
        self.previous: dict[str, list] = self._load()
        self.current: dict[str, list] = {}

    def _load(self) -> dict[str, list]:
        if not self.path:
            return {}
        record = read_pickle(self.path)
        return record if isinstance(record, dict) else {}

    def __call__(self, relative: str) -> tuple[str, bool]:
        path = os.path.join(self.output, relative)
        stat = os.stat(path)
        stamp = [stat.st_ino, stat.st_size, stat.st_mtime_ns]
        known = self.previous.get(relative)
        if isinstance(known, list) and len(known) == 5 and known[1:3] == stamp[1:]:  # the inode aside
            digest, searchable = known[3], bool(known[4])
        else:
            with open(path, "rb") as handle:
                content = handle.read()
            digest, searchable = hashlib.sha256(indexed_part(content)).hexdigest(), self.searchable(content)
        self.current[relative] = [*stamp, digest, searchable]
        return digest, searchable

    def save(self) -> None:
        if not self.path:
            return
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        replace_pickle(self.path, self.current)
