"""Feed entries taken again from the last build's feed files, where their bytes still are.

Publishing a release puts it at the top of up to six of its language's feeds, and
each of them is written again with its 50 entries: about 200 entries built and
serialised (5 ms each: links made absolute, Atom, RSS and JSON), 1.3 s of the build
at 5,000 releases, all of it in the process that writes that language's feeds.
Nearly all of those entries are in the last build's files, byte for byte.

So every feed written records where each of its entries is in it (offset and length
per format), keyed by the entry's ``item_key``; the record is kept in the cache, one
per language, with the size and modification time of each feed file it points into.
The next build reads an entry from the live output when that file still has the
recorded size and time (a copy restored by CI keeps both, as the render ledger relies
on), and builds it afresh otherwise. The record holds for one build key and site key
(code, settings, agencies, navigation): any change of those and it is not read.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import os
from collections.abc import Iterable
from typing import Any

from plugins.incremental.ledger import KEEP_RECORDS
from pressroom.output import read_pickle, replace_pickle
from pressroom.stamps import stamp

#: Bumped when the record's layout changes.
FORMAT = 2
#: In the cache folder, one per language (a process writes whole languages' feeds) and output folder
#: (the cache is shared by builds into other folders).
RECORD = "feed-entries-{lang}-{output}.pickle"

Location = tuple[str, int, int]  # feed file relative to the output, offset, length


class EntryArchive:
    """One language's entries of the last build's feeds, and where this build's are."""

    def __init__(self, cache: str | None, lang: str, shared: str, previous: str | None, formats: Iterable[str]) -> None:
        """``previous``: the live output, which this build replaces and whose feeds it reads."""
        named = hashlib.blake2b(os.path.abspath(previous).encode(), digest_size=6).hexdigest() if previous else ""
        self.path = os.path.join(cache, RECORD.format(lang=lang, output=named)) if cache and previous else None
        self.lang = lang
        self.formats = frozenset(formats)
        self.shared = shared  # what every entry of this language shares: build and site keys
        self.previous = previous
        old = self._load() if previous and os.path.isdir(previous) else None
        self.old_files: dict[str, tuple[int, int]] = old["files"] if old else {}
        self.old_entries: dict[str, dict[str, Location]] = old["entries"] if old else {}
        self.entries: dict[str, dict[str, Location]] = {}
        self.written: set[str] = set()
        self._trusted: dict[str, int | None] = {}  # a previous feed file's descriptor, None if it changed

    def _load(self) -> dict[str, Any] | None:
        if not self.path:
            return None
        record = read_pickle(self.path)
        if not isinstance(record, dict) or record.get("format") != FORMAT or record.get("shared") != self.shared:
            return None
        return record

    def _descriptor(self, relative: str) -> int | None:
        if relative not in self._trusted:
            self._trusted[relative] = None
            path = os.path.join(self.previous, relative)
            with contextlib.suppress(OSError):
                if stamp(path)[:2] == tuple(self.old_files.get(relative, ())):  # size and time, the inode aside
                    self._trusted[relative] = os.open(path, os.O_RDONLY)
        return self._trusted[relative]

    def find(self, key: str) -> dict[str, bytes] | None:
        """The entry's bytes in every format, as the last build wrote them; None if any is not there as recorded."""
        found = {}
        for fmt, (relative, offset, length) in self.old_entries.get(key, {}).items():
            descriptor = self._descriptor(relative)
            data = os.pread(descriptor, length, offset) if descriptor is not None else b""
            if len(data) != length:
                return None
            found[fmt] = data
        return found if found.keys() == self.formats else None

    def note(self, relative: str, fmt: str, spans: Iterable[tuple[str, int, int]]) -> None:
        """The feed at ``relative`` was written with these entries (key, offset, length)."""
        self.written.add(relative)
        for key, offset, length in spans:
            self.entries.setdefault(key, {})[fmt] = (relative, offset, length)

    def save(self, output: str, keys: Iterable[str]) -> None:
        """Keep where the entries of ``keys`` (every entry of this language's feeds) are in ``output``.

        An entry not in a feed written now keeps its place in the last build's files when
        the feed holding it was not written again (the output links it unchanged).
        """
        for descriptor in self._trusted.values():
            if descriptor is not None:
                os.close(descriptor)
        self._trusted = {}
        if not self.path:
            return
        files: dict[str, tuple[int, int] | None] = {}

        def written_stamp(relative: str) -> tuple[int, int] | None:
            """Size and time of the file in ``output`` (a copy restored by CI has another inode)."""
            if relative not in files:
                files[relative] = None
                with contextlib.suppress(OSError):
                    files[relative] = stamp(os.path.join(output, relative))[:2]
            return files[relative]

        entries: dict[str, dict[str, Location]] = {}
        for key in keys:
            places = dict(self.entries.get(key, {}))
            for fmt, place in self.old_entries.get(key, {}).items():
                relative = place[0]
                unchanged = relative not in self.written and written_stamp(relative) == self.old_files.get(relative)
                if fmt not in places and unchanged and written_stamp(relative) is not None:
                    places[fmt] = place  # a feed linked unchanged: the same bytes, the same places
            if places.keys() == self.formats and all(written_stamp(place[0]) is not None for place in places.values()):
                entries[key] = places
        kept = {relative for places in entries.values() for relative, _, _ in places.values()}
        files = {relative: written_stamp(relative) for relative in kept}
        record = {"format": FORMAT, "shared": self.shared, "files": files, "entries": entries}
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        replace_pickle(self.path, record)
        self._prune()

    def _prune(self) -> None:
        """The records of output folders built least lately, as many as the render ledger keeps."""
        pattern = os.path.join(os.path.dirname(self.path), RECORD.format(lang=self.lang, output="*"))
        for old in sorted(glob.glob(pattern), key=os.path.getmtime)[:-KEEP_RECORDS]:
            if old != self.path:
                with contextlib.suppress(FileNotFoundError):
                    os.remove(old)
