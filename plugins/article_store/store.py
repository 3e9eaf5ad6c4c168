"""The articles of the last build, kept as Pelican made them, for every file that did not change.

Pelican's reader cache (``CONTENT_CACHING_LAYER = "reader"``) keeps each file's parse,
but every build still makes every ``Article`` again from it: its metadata, dates,
slugs, URLs and signals, about 2.4 s of a one-release rebuild at 5,000 releases, all
of it before the first page can be rendered. Pelican's own "generator" caching layer
keeps the finished objects, but pickles them after plugins have changed them, and in
the build's own time.

Here each article is kept as it was when reading ended, in one pickle per reading key
(code and settings; not the theme, which only rendering reads) and content folder,
beside the reader cache. The articles
generator asks its cache for each file before it reads it (``get_cached_data``); the
store answers with the kept article when the file's bytes are the same, and Pelican
reads the others as ever. Once reading is done, the articles that changed are written
at once to a delta (a rebuild's few take milliseconds); a new base, with Pelican's
reader cache, is written by a niced forked process, so the build does not wait for it.
Pelican's reader cache is kept under the store's own name and loaded only when the
store holds no articles (a change of code or settings): other builds never use it.

- A file is the same when its size, mtime and inode are those recorded, and it was at
  least two seconds old when they were (an edit in the same clock tick could keep
  them); else when its SHA-1, taken before Pelican reads it, is. A file found the same
  by its SHA-1 (after a fresh checkout, every file) has its new stamp kept in a small
  file beside the base (``.stamps.pickle``), not the base written again.
- A kept article serves only while every image its parse measured (the width and
  height written into its HTML) has the same size: a photo replaced by one of another
  size has its releases read again.
- The settings and the build's context are not stored: references to them are
  references to this build's.
- Kept: each article's attributes when reading ended, before any plugin's
  pretaxonomy step (this plugin is listed before them). Pelican has already paired
  translations by then; they are left out (every build pairs them again).
- What depends on the build's time (embargo) is decided after reading, every build.
  With ``WITH_FUTURE_DATES = False`` Pelican decides it while reading: the store is
  then off.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import pickle
import re
import time
from typing import Any

from plugins.incremental.keys import BUILD_DIGESTS, digest, read_digests, unthemed_key
from plugins.release_markdown.extension import measured_images_unchanged
from pressroom.forking import Forked
from pressroom.output import replace_file, replace_pickle
from pressroom.stamps import Stamp, stamp, vouches

logger = logging.getLogger(__name__)

#: How much lower the writer's priority is than the build's: the content check and rendering come first.
WRITER_NICENESS = 10
#: The delta grows to this many files, or to this share of the archive, before the base is written again.
DELTA_FILES = 64
DELTA_SHARE = 20
#: Stores kept in a cache folder, the newest first, and how their bases are named.
KEEP_STORES = 3
STORE_FILE = re.compile(r"articles-[0-9a-f]{16}\.pickle")
#: Pelican's parses of the articles, kept by the store's writer (Pelican's reader cache, under another name).
READER_CACHE = "reader-cache-articles.pickle"
#: Bumped when what an entry holds changes.
FORMAT = 1

#: Per file (relative to the content folder): its stat, when it was taken (ns), its SHA-1, the article's class and
#: attributes.
Entry = tuple[Stamp, int, bytes, type, dict[str, Any]]


class _Pickler(pickle.Pickler):
    """Stores references to the build's settings and context by name, not their contents."""

    def __init__(self, handle, shared: dict[str, Any]) -> None:
        super().__init__(handle, protocol=pickle.HIGHEST_PROTOCOL)
        self._names = {id(value): name for name, value in shared.items()}

    def persistent_id(self, obj: Any) -> str | None:
        return self._names.get(id(obj))


class _Unpickler(pickle.Unpickler):
    def __init__(self, handle, shared: dict[str, Any]) -> None:
        super().__init__(handle)
        self._shared = shared

    def persistent_load(self, name: str) -> Any:
        return self._shared[name]


def _sha1(path: str) -> bytes:
    with open(path, "rb") as handle:
        return hashlib.sha1(handle.read(), usedforsecurity=False).digest()


def _load_plain(path: str) -> dict:
    try:
        with open(path, "rb") as handle:
            data = pickle.load(handle)
    except FileNotFoundError:
        return {}
    except Exception as error:  # damaged: the files are parsed again
        logger.debug("Reader cache %s not used: %s", path, error)
        return {}
    return data if isinstance(data, dict) else {}


def _read(path: str, shared: dict[str, Any]) -> dict[str, Any] | None:
    try:
        with open(path, "rb") as handle:
            data = _Unpickler(handle, shared).load()
    except FileNotFoundError:
        return None
    except Exception as error:  # written by other code, or damaged: read everything
        logger.debug("Article store %s not used: %s", path, error)
        return None
    return data if isinstance(data, dict) and isinstance(data.get("entries"), dict) else None


def _write(path: str, data: dict[str, Any], shared: dict[str, Any]) -> None:
    """Write whole or not at all: a build killed meanwhile leaves the last store."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    replace_file(path, lambda handle: _Pickler(handle, shared).dump(data))


def prune(folder: str) -> None:
    """Keep the newest few stores: other reading keys (a branch, a preview's settings) get their own."""
    bases = []
    for name in os.listdir(folder):
        if STORE_FILE.fullmatch(name):
            with contextlib.suppress(FileNotFoundError):  # pruned meanwhile by another build
                bases.append((os.stat(os.path.join(folder, name)).st_mtime_ns, name))
    for _mtime, name in sorted(bases, reverse=True)[KEEP_STORES:]:
        for stale in (name, name.replace(".pickle", ".delta.pickle"), name.replace(".pickle", ".stamps.pickle")):
            with contextlib.suppress(FileNotFoundError):
                os.remove(os.path.join(folder, stale))


class ArticleStore:
    """One build's side of the store: what was kept, and what this build made.

    The store is a base (every article, written by a forked process) and a delta (the
    articles changed since, written at once: a rebuild's one release takes
    milliseconds). The base is written again when the delta grows past
    ``DELTA_FILES`` files or ``1/DELTA_SHARE`` of the archive.
    """

    def __init__(self, generator) -> None:
        self.generator = generator
        settings = generator.settings
        self.shared = {"settings": settings, "context": generator.context}
        key = digest(FORMAT, unthemed_key(settings), os.path.abspath(generator.path))[:16]
        self.path = os.path.join(settings["CACHE_PATH"], f"articles-{key}.pickle")
        self.delta_path = os.path.join(settings["CACHE_PATH"], f"articles-{key}.delta.pickle")
        self.stamps_path = os.path.join(settings["CACHE_PATH"], f"articles-{key}.stamps.pickle")
        self.token: str | None = None  # names the base a delta applies to
        self.changes: dict[str, Entry | None] = {}  # the delta loaded: changed entries, None for files gone
        self.restamps: dict[str, tuple[Stamp, int]] = {}  # unchanged files with a new stamp: (stamp, seen)
        self.restamped = False  # this build found some
        self.sizes: dict[str, tuple[int, int]] = {}  # the photos measured in this build (measured_images_unchanged)
        self.kept: dict[str, Entry] = self._load()
        self.made: dict[str, tuple[Stamp, int, bytes, Any]] = {}
        self.fresh: set[str] = set()  # files whose entry this build changes
        self._pending: dict[str, tuple[Stamp, int, bytes]] = {}
        self.writing: Forked | None = None
        # Pelican's reader cache (each file's parse) serves only the files the store cannot: all of
        # them after a change of code or settings. The store's writer keeps it under its own name,
        # so that Pelican no longer loads it (0.2 s, 30 MB at 5,000 releases) for builds that need none.
        self.readers = generator.readers
        self.reader_cache_path = os.path.join(settings["CACHE_PATH"], READER_CACHE)
        if not self.kept:
            self.readers._cache.update(_load_plain(self.reader_cache_path))
        self.readers_cached = len(self.readers._cache)
        self.readers.save_cache = lambda: None

    def _load(self) -> dict[str, Entry]:
        base = _read(self.path, self.shared)
        if base is None:
            return {}
        self.token, kept = base.get("token"), base["entries"]
        delta = _read(self.delta_path, self.shared)
        if delta is not None and delta.get("base") == self.token:
            self.changes = delta["entries"]
            for filename, entry in self.changes.items():
                if entry is None:
                    kept.pop(filename, None)
                else:
                    kept[filename] = entry
        stamps = _load_plain(self.stamps_path)
        if stamps.get("base") == self.token:
            for filename, (stat, seen) in stamps.get("stamps", {}).items():
                if filename in kept:
                    kept[filename] = (stat, seen, *kept[filename][2:])
                    self.restamps[filename] = (stat, seen)
        return kept

    def get_cached_data(self, filename: str, default=None):
        """The kept article for ``filename`` if its bytes are unchanged, else ``default`` (Pelican reads it)."""
        path = os.path.join(self.generator.path, filename)
        try:
            stat, seen = stamp(path), time.time_ns()
        except OSError:
            return default
        entry = self.kept.get(filename)
        if entry is not None and vouches(entry[0], entry[1], stat):
            sha1, seen = entry[2], entry[1]
        else:
            try:
                sha1 = _sha1(path)
            except OSError:
                return default
        stale = entry is None or entry[2] != sha1
        if stale or not measured_images_unchanged(entry[4].get("metadata", {}), self.generator.path, self.sizes):
            self._pending[filename] = (stat, seen, sha1)  # taken before the read: a later edit shows next time
            return default
        if entry[:2] != (stat, seen):  # the same bytes with another stat (a fresh checkout): record it
            self.restamps[filename] = (stat, seen)
            self.restamped = True
        article = entry[3].__new__(entry[3])
        article.__dict__ = entry[4]  # unpickled for this build alone
        self.made[filename] = (stat, seen, sha1, article)
        return article

    def cache_data(self, filename: str, article) -> None:
        """Pelican made ``article`` from ``filename``: keep it."""
        pending = self._pending.pop(filename, None)
        if pending is not None:
            self.made[filename] = (*pending, article)
            self.fresh.add(filename)

    def entries(self, filenames) -> dict[str, Entry]:
        """The entries of ``filenames``' articles as they are now (reading just ended)."""
        kept = {}
        for filename in filenames:
            stat, seen, sha1, article = self.made[filename]
            # Its URL and file name follow from its file and the settings alone (both in the store's key):
            # kept as the overrides Pelican's own properties answer with (the listings' index asks for all).
            url, save_as = article.url, article.save_as
            state = {k: v for k, v in article.__dict__.items() if k not in BUILD_DIGESTS}
            state.setdefault("override_url", url)
            state.setdefault("override_save_as", save_as)
            state["translations"] = []  # paired again by every build
            # Hashed once, here (for a new base, in its forked writer), not by every rebuild's keys.
            state.update(read_digests(article))
            kept[filename] = (stat, seen, sha1, type(article), state)
        return kept

    def save(self) -> None:
        """Keep what changed: in the delta at once, or in a new base (and Pelican's reader cache) written by a fork."""
        gone = set(self.kept) - set(self.made)
        parsed_ahead = len(self.readers._cache) - self.readers_cached > len(self.fresh)  # plugins/parallel
        if self.fresh or gone or parsed_ahead:
            self._keep(gone, parsed_ahead)
        elif self.restamped:
            self._keep_stamps(set())
        # Pelican reads no more articles: its reader cache, which duplicates every article the store
        # served (30 MB and more at 5,000 releases), is let go before rendering. A forked writer has its copy.
        self.readers._cache = {}

    def _keep(self, gone: set[str], parsed_ahead: bool) -> None:
        removed = gone | (set(self.changes) - set(self.made))
        changed = (set(self.changes) | self.fresh) & set(self.made)
        small = len(removed | changed) <= max(DELTA_FILES, len(self.made) // DELTA_SHARE)
        if self.token is not None and small and not parsed_ahead:
            # Every entry of the delta taken anew from its article: an unpickled state is the live article's own.
            # (Only for a delta: a new base's entries are made by its writer, off the build's path.)
            changes: dict[str, Entry | None] = dict.fromkeys(removed)
            changes.update(self.entries(changed))
            _write(self.delta_path, {"base": self.token, "entries": changes}, self.shared)
            self._keep_stamps(set(changes))
        elif hasattr(os, "fork"):
            self.writing = Forked(self._write_base_niced)
        else:
            self._write_base()

    def _keep_stamps(self, in_delta: set[str]) -> None:
        """The new stamps of files the base holds unchanged (the delta's entries carry their own)."""
        stamps = {name: kept for name, kept in self.restamps.items() if name in self.made and name not in in_delta}
        data = {"base": self.token, "stamps": stamps}
        replace_pickle(self.stamps_path, data)

    def _write_base_niced(self) -> None:
        os.nice(WRITER_NICENESS)  # the forked writer: the build's own work comes first
        self._write_base()

    def _write_base(self) -> None:
        self._write_reader_cache()
        token = os.urandom(8).hex()
        _write(self.path, {"token": token, "entries": self.entries(self.made)}, self.shared)
        for stale in (self.delta_path, self.stamps_path):  # (left by a kill here, they name the old token)
            with contextlib.suppress(FileNotFoundError):
                os.remove(stale)
        prune(os.path.dirname(self.path))

    def _write_reader_cache(self) -> None:
        """The parses of this build's files: those read now, else those kept before (Pelican's own file retired)."""
        base = os.path.abspath(self.generator.path) + os.sep
        current = {base + filename for filename in self.made}
        parses = {path: parse for path, parse in _load_plain(self.reader_cache_path).items() if path in current}
        parses.update((path, parse) for path, parse in self.readers._cache.items() if path in current)
        replace_pickle(self.reader_cache_path, parses)
        with contextlib.suppress(FileNotFoundError):
            os.remove(self.readers._cache_path)  # Pelican's own, from before the store kept it

    def serves(self, filename: str) -> bool:
        """Whether the store holds an article for ``filename`` (plugins/parallel parses the others ahead)."""
        return filename in self.kept

    def finish(self) -> None:
        """Wait for the forked writer; a store that could not be written is only a slower next build."""
        writing, self.writing = self.writing, None
        if writing is not None and not writing.result()[0]:
            logger.warning("The article store %s could not be written; the next build reads every file", self.path)
