"""The search index is built beside the rendering, from the moment its pages are written.

Pagefind reads only releases and content pages, and Pelican's own generators write
those first. The listings, feeds and sitemaps come after and take seconds, so the
index starts once the pages generator is done in every render process, in a process
of its own (Pagefind runs in processes of its own too), and ``finalized`` only waits
for it. A build that fails or is stopped meanwhile ends it, Pagefind's processes
with it (they share a process group of their own), so none outlives the build or
writes into its staging folder once that is being removed.
"""

from __future__ import annotations

import os
import posixpath
import threading
from collections.abc import Callable, Iterable
from itertools import chain
from typing import Any

from pressroom.forking import Forked

#: Per output folder: the releases written (until the content pages are), then the index being built.
_releases: dict[str, list[str]] = {}
_started: dict[str, Indexing] = {}


class Indexing:
    """``work`` running in a forked process (else a thread); ``finish`` waits for it and raises what it raised.

    A process, not a thread: before Pagefind starts, the work is Python (the pages'
    fingerprints, a dozen thousand files of unchanged bundles linked), and in a thread it
    held the main process's lock on Python while that process rendered its share of the
    listings and feeds, slowing them. Work the process could not finish is done again
    here, where what fails is raised.
    """

    def __init__(self, work: Callable[[], None]) -> None:
        self.work = work
        self.error: BaseException | None = None
        self.process = Forked(work, own_group=True) if hasattr(os, "fork") else None
        self.thread: threading.Thread | None = None
        if self.process is None:
            self.thread = threading.Thread(target=self._run, name="pressroom-search-index")
            self.thread.start()

    def _run(self) -> None:
        try:
            self.work()
        except BaseException as error:  # raised again in the build's own thread, by finish()
            self.error = error

    def abandon(self) -> None:
        """End the work now, whatever it did (a build that failed or was stopped meanwhile)."""
        if self.process is not None:
            self.process.abandon()
        elif self.thread is not None:
            self.thread.join()  # a thread cannot be ended: wait for it

    def finish(self) -> None:
        if self.process is not None:
            done, _ = self.process.result()
            if not done:
                self.work()
            return
        assert self.thread is not None
        self.thread.join()
        if self.error is not None:
            raise self.error


def _key(output: str) -> str:
    return os.path.abspath(output)


def _paths(contents: Iterable[Any]) -> list[str]:
    return [posixpath.normpath(item.save_as.replace(os.sep, "/")) for item in contents if item.save_as]


def note_releases(output: str, generator: Any) -> None:
    """Remember the release pages the articles generator wrote (in every process: each knows them all)."""
    g = generator
    written = chain(g.translations, g.articles, g.hidden_translations, g.hidden_articles)
    _releases[_key(output)] = _paths(written)


def written_pages(output: str, generator: Any) -> list[str]:
    """The release pages noted before, and the content pages the pages generator wrote."""
    g = generator
    written = chain(g.translations, g.pages, g.hidden_translations, g.hidden_pages)
    return [*_releases.pop(_key(output), []), *_paths(written)]


def start(output: str, work: Callable[[], None]) -> None:
    _started[_key(output)] = Indexing(work)


def finish_started(output: str) -> bool:
    """Wait for the index started for ``output``, if one was: whether there was."""
    indexing = _started.pop(_key(output), None)
    if indexing is None:
        return False
    indexing.finish()
    return True


def abandon_started() -> None:
    """A build failed: end every index it started (Pagefind writes into its folder), raising nothing."""
    while _started:
        _, indexing = _started.popitem()
        indexing.abandon()
