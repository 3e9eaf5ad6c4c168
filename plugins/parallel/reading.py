"""Parse the Markdown that the cache does not hold on every core, before Pelican reads it.

Pelican reads files one by one; with an empty cache (a fresh clone, or new reading
code) converting thousands of releases is most of a build. When the articles
generator is created, the files whose parse is not cached are split between
``PRESSROOM_RENDER_WORKERS`` processes: each parses its share with the same reader
Pelican would use and hands the results back through a file, and the main process
puts them in Pelican's reader cache. Pelican then reads every file from the cache,
unchanged in what it does. A file a worker cannot parse is left to Pelican, which
reports it as it always does.
"""

from __future__ import annotations

import functools
import logging
import os

from pelican.readers import _filter_discardable_metadata
from pelican.utils import file_suffix

from pressroom.forking import fork_map

logger = logging.getLogger(__name__)

#: Below this many uncached files, forking costs more than it saves.
MIN_FILES = 64


def _parse(readers, paths: list[str]) -> list[tuple[str, tuple]]:
    parsed = []
    for path in paths:
        try:
            content, metadata = readers.readers[file_suffix(path)].read(path)
        except Exception:  # Pelican reads it again and reports the problem with the file's name
            continue
        parsed.append((path, (content, _filter_discardable_metadata(metadata))))
    return parsed


def _walk_once(generator, paths: list[str], exclude: list[str]) -> set[str]:
    """The generator's files, walked here and handed to its next ``get_files`` for the same folders.

    Pelican walks the content folders again as it reads them, moments later (0.1 s at
    5,000 releases, on the build's serial path).
    """
    files = generator.get_files(paths, exclude=exclude)
    walk = generator.get_files

    def replay(again_paths, exclude=None, extensions=None):
        del generator.get_files  # once: Pelican's own from now on
        if again_paths == paths and exclude == exclude_given and extensions is None:
            return files
        return walk(again_paths, exclude=exclude, extensions=extensions)

    exclude_given = exclude
    generator.get_files = replay
    return files


def _uncached(generator) -> list[str]:
    readers = generator.readers
    if not getattr(readers, "_cache_data_policy", False):
        return []  # no cache to put results in
    paths = _walk_once(generator, generator.settings["ARTICLE_PATHS"], generator.settings["ARTICLE_EXCLUDES"])
    known = readers._cache  # Pelican's reader cache, by absolute path
    base = os.path.abspath(generator.path) + os.sep
    store = getattr(generator, "article_store", None)  # plugins/article_store hands over the articles it holds
    missing = []
    for relative in paths:
        if store is not None and store.serves(relative):
            continue
        path = base + relative  # get_files gives normalised paths: as abspath() would make them, at a tenth of the cost
        # Only files the cache has never seen: checking every cached file's hash here
        # would double Pelican's own check, and a few edited files are read in turn.
        if path not in known and file_suffix(path) in readers.readers:
            missing.append(path)
    return missing


def read_ahead(generator, workers: int) -> None:
    """Fill Pelican's reader cache for ``generator``'s uncached files, ``workers`` at a time."""
    missing = _uncached(generator) if workers > 1 else []
    if len(missing) < MIN_FILES:
        return
    readers = generator.readers
    parsed = fork_map(functools.partial(_parse, readers), missing, workers)
    for path, data in parsed:
        readers.cache_data(path, data)
    logger.debug("Parsed %d uncached file(s) on %d cores", len(parsed), workers)
