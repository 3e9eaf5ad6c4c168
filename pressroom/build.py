"""Build the site into a fresh directory and swap it in only when the build succeeded.

A failed build (bad content, a template error, a crash) therefore leaves the last
good output exactly as it was.
"""

from __future__ import annotations

import contextlib
import gc
import glob
import hashlib
import logging
import os
import re
import shutil
import subprocess
import sys
import time
import traceback
from collections.abc import Iterable, Iterator
from typing import Any

from pelican import Pelican
from pelican.log import console
from pelican.settings import get_settings_from_file, read_settings

from plugins.article_store.article_store import finish_writing
from plugins.content_check.concurrent import abandon_check
from plugins.content_check.content_check import check_before_writing
from plugins.incremental.ledger import take_written
from plugins.parallel.parallel import RenderWorkerError, stop_render_workers
from plugins.release_markdown.reader import SLUG_SETTINGS
from plugins.search.early import abandon_started
from pressroom.config import SettingsError
from pressroom.diagnostics import READING_LOGGER, ContentError, ReadFailureReasons, display_path
from pressroom.folders import FolderMaker
from pressroom.leftovers import retired_folder, staging_folder, stale, stale_temporaries
from pressroom.locking import lock_path, one_build_at_a_time
from pressroom.progress import BuildProgress
from pressroom.stopping import BuildStopped, signals_held, stopped_by_signals

logger = logging.getLogger("pressroom")


class _ErrorCounter(logging.Handler):
    """Counts ERROR records: Pelican logs some failures and carries on; we do not."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


#: The code whose output the content cache stores: change it and the cache starts afresh.
CACHED_CODE = ("plugins/release_markdown", "plugins/sanitise", "plugins/releases", "plugins/content_check")


def cache_path(settings: dict[str, Any]) -> str:
    """A cache folder per version of the reading code and the settings it follows (Markdown, slugs)."""
    base = os.environ.get("PRESSROOM_CACHE_PATH") or settings.get("CACHE_PATH") or ".cache/pressroom"
    shaping = [sorted(settings.get("MARKDOWN", {}).items()), [settings.get(name) for name in SLUG_SETTINGS]]
    digest = hashlib.sha256(repr(shaping).encode())
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for folder in CACHED_CODE:
        for name in sorted(glob.glob(os.path.join(root, folder, "*.py"))):
            with open(name, "rb") as handle:
                digest.update(handle.read())
    return os.path.join(os.path.abspath(base), digest.hexdigest()[:16])


def load_settings(settings_file: str, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    try:
        settings = read_settings(settings_file, override=overrides or {})
    except SettingsError:
        raise  # the settings file's own refusal, which names its fix (publishconf.py without SITEURL)
    except ValueError as error:  # Pelican's, for a content folder that is not there, names neither it nor the fix
        content = _content_folder(settings_file, overrides or {})
        if content and not os.path.isdir(content):
            raise SettingsError(
                f"the content folder {content} does not exist: give the folder that holds agencies.yml, releases/ "
                "and pages/ (-i FOLDER, or make INPUTDIR=FOLDER)"
            ) from error
        # Pelican's other refusals (a theme folder that is not there, settings that exclude each other) name the
        # setting; the staff member needs the file to fix it in.
        raise SettingsError(f"{error} (fix the setting in {display_path(settings_file)})") from error
    if settings.get("CACHE_CONTENT"):
        settings["CACHE_PATH"] = cache_path(settings)
    return settings


def _content_folder(settings_file: str, overrides: dict[str, Any]) -> str | None:
    """The content folder the settings name, as Pelican resolves it (relative to the settings file)."""
    path = overrides.get("PATH") or get_settings_from_file(settings_file).get("PATH")
    return os.path.join(os.path.dirname(os.path.abspath(settings_file)), path) if path else None


#: Files every Pressroom output has at its top (a folder with none of them was not written by a build).
OUTPUT_SIGNS = ("feeds.opml", "sitemap.xml", "404.html")


def _within(folder: str, path: str) -> bool:
    return os.path.commonpath([folder, path]) == folder


def _replaceable_output(output: str, settings: dict[str, Any]) -> None:
    """Refuse an output the build's end would replace with harm: the build swaps the whole folder for the new
    site. Into the content folder, or a folder holding it, the content was deleted; into any other folder of
    someone's files, those were."""
    real = os.path.realpath(output)
    where = "(-o FOLDER, or make OUTPUTDIR=FOLDER: a folder of the site's own, like output/)"
    kept = {
        "content folder": settings.get("PATH"),
        "cache": settings.get("CACHE_PATH") if settings.get("CACHE_CONTENT") else None,
        "working folder": os.getcwd(),
    }
    for name, folder in kept.items():
        if not folder:
            continue
        folder = os.path.realpath(folder)
        if _within(real, folder) or (name == "content folder" and _within(folder, real)):
            relation = "is" if real == folder else "holds" if _within(real, folder) else "is inside"
            raise SettingsError(
                f"the output folder {output} {relation} the {name} {folder}: a build replaces its output whole {where}"
            )
    if os.path.isdir(output):
        signs = (settings.get("FEED_OPML_SAVE_AS") or OUTPUT_SIGNS[0], *OUTPUT_SIGNS[1:])
        with os.scandir(output) as entries:
            names = {entry.name for entry in entries}
        if names and not any(sign in names for sign in signs):
            raise SettingsError(
                f"the output folder {output} holds files a build did not write, and a build replaces its output whole "
                f"{where}; to use this folder, empty it first"
            )


def _usable_output(output: str, settings: dict[str, Any] | None = None) -> None:
    """Refuse, before any work, an output the build could not make or replace at its end."""
    if os.path.lexists(output) and not os.path.isdir(output):
        raise SettingsError(f"the output {output} is a file, not a folder (-o FOLDER, or make OUTPUTDIR=FOLDER)")
    if settings is not None:
        _replaceable_output(output, settings)
    try:
        os.makedirs(os.path.dirname(output), exist_ok=True)
        with open(lock_path(output), "a+", encoding="utf-8"):  # the lock beside it: what no folder there can hold
            pass
    except OSError as error:
        why = f"{error.filename} is a file" if isinstance(error, FileExistsError | NotADirectoryError) else None
        raise SettingsError(
            f"the output folder {output} cannot be made: {why or f'{error.strerror}: {error.filename}'} "
            "(-o FOLDER, or make OUTPUTDIR=FOLDER)"
        ) from error


#: Cache folders kept: the current one and the last other (a branch with other reading code).
CACHES_KEPT = 2
CACHE_FOLDER = re.compile(r"[0-9a-f]{16}")
#: Never prune a folder used this recently: another build may be using it.
CACHE_IDLE_SECONDS = 600


def prune_caches(current: str) -> None:
    """Delete the cache folders of reading code no longer in use, but the newest and any in use lately, and the
    current folder's files left half written.

    Each version of the reading code gets its own folder (``cache_path``): without
    pruning, a long-lived CI cache grows by a whole archive's parse per code change.
    """
    base = os.path.dirname(current)
    if not os.path.isdir(current):
        return
    os.utime(current)  # this one was used last
    for temporary in stale_temporaries(current):  # a cache file whose writer was killed while writing it
        with contextlib.suppress(FileNotFoundError):
            os.remove(temporary)
    folders = []
    for name in os.listdir(base):
        path = os.path.join(base, name)
        if CACHE_FOLDER.fullmatch(name) and os.path.isdir(path) and not os.path.islink(path):
            folders.append((os.stat(path).st_mtime_ns, path))
    idle_since = time.time_ns() - CACHE_IDLE_SECONDS * 1_000_000_000
    for mtime, path in sorted(folders, reverse=True)[CACHES_KEPT:]:
        if mtime < idle_since:
            shutil.rmtree(path, ignore_errors=True)


#: Set to 1 to leave the output a build replaced in ``.pressroom-old-*/output`` beside it, for the caller to
#: remove (the benchmark moves it aside: on ext4 without a journal, files made within minutes after many were
#: deleted are slow to make, and its next timed build would pay for this one's deletion).
KEEP_REPLACED = "PRESSROOM_KEEP_REPLACED_OUTPUT"


def _swap_in(staging: str, output: str) -> None:
    if os.path.isdir(output):
        retired = retired_folder(os.path.dirname(output))
        with signals_held():  # a stop between the two renames would leave no output at all
            os.rename(output, os.path.join(retired, "output"))
            os.rename(staging, output)
        if os.environ.get(KEEP_REPLACED) != "1":
            _delete_in_background(retired)
    else:
        os.rename(staging, output)


def _delete_in_background(folder: str) -> None:
    """Delete the replaced output without waiting: the new site is already in place, and
    unlinking an archive's tens of thousands of files takes seconds on a slow disk."""
    if shutil.which("sh") is None or shutil.which("rm") is None:
        shutil.rmtree(folder, ignore_errors=True)
        return
    # The shell starts rm in the background and returns at once; rm outlives the build.
    subprocess.run(
        ["sh", "-c", 'rm -rf -- "$1" &', "sh", folder],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # Ctrl-C in the terminal does not stop it
        check=False,
    )


RELEASE_PAGE = re.compile(r"^(?:([a-z]{2})/)?\d{4}/\d{2}/[^/]+/index\.html$")
FEED_FILES = ("atom.xml", "rss.xml", "feed.json")


def summary(output: str, default_lang: str, seconds: float, written: Iterable[str] | None = None) -> str:
    """One line on what was published: counted from the files the build wrote (``written``), else from the output."""
    releases: dict[str, int] = {}
    pages = feeds = 0
    redirects = set()
    if os.path.exists(os.path.join(output, "_redirects")):
        with open(os.path.join(output, "_redirects"), encoding="utf-8") as handle:
            redirects = {line.split()[0].strip("/") + "/index.html" for line in handle if line.strip()}
    for relative in _output_files(output) if written is None else written:
        name = relative.rpartition("/")[2]
        if name.endswith(".html") and relative not in redirects:
            pages += 1
            match = RELEASE_PAGE.match(relative)
            if match:
                lang = match.group(1) or default_lang
                releases[lang] = releases.get(lang, 0) + 1
        elif name in FEED_FILES:
            feeds += 1
    per_language = ", ".join(f"{count} {lang}" for lang, count in sorted(releases.items()))
    return f"Built: releases {per_language or 'none'}; {pages} pages; {feeds} feeds; in {seconds:.1f} s"


def _output_files(output: str) -> Iterator[str]:
    for folder, _dirs, files in os.walk(output):
        for name in files:
            yield os.path.relpath(os.path.join(folder, name), output).replace(os.sep, "/")


@contextlib.contextmanager
def _fewer_collections():
    """Collect young objects less often while building, and not at all while reading.

    A build keeps hundreds of thousands of objects alive to the end (releases, their
    HTML, listings); the default thresholds rescan them all many times over. Measured
    on a rebuild of 5,000 releases: about 2 s less, the same peak memory. Reading makes
    next to no cyclic garbage, yet each collection of 100,000 young objects took 15 to
    20 ms, 55 ms of a rebuild's serial part: the collector is off until plugins/parallel
    forks the render workers (``fork_writers``).
    """
    thresholds = gc.get_threshold()
    gc.set_threshold(100_000, 50, 1000)
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.set_threshold(*thresholds)
        # plugins/parallel freezes what was read before the render workers fork; the
        # site must be collectable once built (the dev server builds again and again).
        gc.unfreeze()


def build(settings: dict[str, Any], stderr=None) -> int:
    """Build ``settings['PATH']`` into ``settings['OUTPUT_PATH']``; return the exit code.

    SIGTERM and SIGHUP stop it as Ctrl-C does (``KeyboardInterrupt``, raised once the staging folder is removed).
    """
    stderr = stderr or sys.stderr
    output = os.path.abspath(settings["OUTPUT_PATH"])
    parent = os.path.dirname(output)
    _usable_output(output, settings)
    with one_build_at_a_time(output, stderr):
        for leftover in stale(parent, retired=os.environ.get(KEEP_REPLACED) != "1"):
            _delete_in_background(leftover)  # left by a build killed outright (kill -9, out of memory)
        with stopped_by_signals():
            return _build(settings, output, stderr)


def _build(settings: dict[str, Any], output: str, stderr) -> int:
    staging = staging_folder(os.path.dirname(output))
    folders = FolderMaker(output, staging)  # the live output's folders, made ahead while the build reads
    counter = _ErrorCounter()
    logging.getLogger().addHandler(counter)
    reasons = ReadFailureReasons(settings["PATH"])
    logging.getLogger(READING_LOGGER).addFilter(reasons)
    origin = os.getpid()
    started = time.perf_counter()
    console.quiet = True  # Pelican's own "Done" line counts one language; ours follows
    try:
        try:
            # On a terminal only; erased when Pelican returns or raises, before any error report prints.
            with BuildProgress(settings, stderr), _fewer_collections():
                # Plugins that reuse unchanged output (renders, search bundles) read the live output.
                Pelican({**settings, "OUTPUT_PATH": staging, "PRESSROOM_PREVIOUS_OUTPUT": output}).run()
        except BaseException as error:
            if os.getpid() != origin:  # a render worker (plugins/parallel) failed: report, never clean up
                if not isinstance(error, KeyboardInterrupt):  # stopped with the build: nothing to report
                    traceback.print_exc()
                os._exit(1)
            stop_render_workers()  # still writing into the staging folder (a stop sent to this process alone)
            abandon_started()  # the search index being built in the staging folder, before it is removed
            folders.finish(prune=False)
            if isinstance(error, KeyboardInterrupt):
                abandon_check()  # no verdict is wanted from a check beside reading
            else:  # a crash while reading: the content check's verdict first (bad content is reported as such)
                check_before_writing()
            raise
    except ContentError as problems:
        folders.finish(prune=False)
        shutil.rmtree(staging, ignore_errors=True)
        print(problems.report(), file=stderr)
        print(f"error: {problems}; nothing was published, {output} is unchanged", file=stderr)
        return 1
    except RenderWorkerError as failure:  # its own errors are in the log above
        folders.finish(prune=False)
        shutil.rmtree(staging, ignore_errors=True)
        print(f"error: {failure}; nothing was published, {output} is unchanged", file=stderr)
        return 1
    except BaseException as error:
        folders.finish(prune=False)
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(error, KeyboardInterrupt):
            how = f"by {error.name}" if isinstance(error, BuildStopped) else "(Ctrl-C)"
            print(f"stopped {how}: nothing was published, {output} is unchanged", file=stderr)
        raise
    finally:
        logging.getLogger().removeHandler(counter)
        logging.getLogger(READING_LOGGER).removeFilter(reasons)
        # A failed build's article store is still being written by a fork (a successful one waited for it):
        # wait, so that the next build finds it whole and nothing of it is left behind in the temp folder
        # (the CLI leaves with os._exit, which runs no atexit handler).
        finish_writing()
    written = take_written(staging)
    folders.finish(prune=True, written=written or ())
    if counter.count:
        shutil.rmtree(staging, ignore_errors=True)
        print(f"error: the build logged {counter.count} error(s); {output} is unchanged", file=stderr)
        return 1
    os.chmod(staging, 0o755)
    _swap_in(staging, output)
    if settings.get("CACHE_CONTENT") and settings.get("CACHE_PATH"):
        prune_caches(settings["CACHE_PATH"])
    if stderr.isatty():  # quiet in CI logs and pipes
        took = time.perf_counter() - started
        print(summary(output, settings.get("DEFAULT_LANG", "vi"), took, written), file=stderr)
    return 0
