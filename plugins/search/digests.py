"""Each indexed page's sha256, remembered by its file stamp between builds.

A bundle's fingerprint needs the digest of every page it indexes. A rebuild links
most pages unchanged from the live output (same size and modification time; the inode
is not compared, as an output restored from a copy has new ones), so their digests are known;
reading and hashing 11,000 pages again would cost about a second at 5,000 releases.
Any other size or time means the page is read again.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from typing import Any

from pressroom.output import read_pickle, replace_pickle

#: In the cache folder, beside the render ledger.
DIGESTS_FILE = "search-pages.pickle"


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
            digest, searchable = hashlib.sha256(content).hexdigest(), self.searchable(content)
        self.current[relative] = [*stamp, digest, searchable]
        return digest, searchable

    def save(self) -> None:
        if not self.path:
            return
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        replace_pickle(self.path, self.current)
