"""Search without a server: a page per language, and Pagefind bundles built from the output.

Pagefind reads the finished HTML (releases and pages mark their text with
``data-pagefind-body``, their agencies, topics and year with ``data-pagefind-filter``)
and writes an index per ``<html lang>``. One Pagefind run over a whole archive grows
with it (888 MiB and 19 s at 5,000 releases), so the output is indexed in bundles, each
by its own Pagefind process over just its pages, a few processes at a time:

- ``pagefind/``: the content pages and the newest year's releases in the default
  language, the part that changes in nearly every build;
- ``pagefind/<year>/``: the releases of each older year in the default language, and
  ``pagefind/<year>-<lang>/`` of each year, the newest too, in each other language (a
  page searches only its own language, and a new or corrected release re-indexes only its
  language's part of its year: with every language of the newest year in ``pagefind/``,
  publishing a release there re-indexed twice the pages, 0.3 s of a rebuild at 5,000).
  Pagefind reads such a bundle from the year's folder (``<year>/``, ``<lang>/<year>/``):
  it walks every folder of the one it is given, 13,500 for the whole output at 5,000
  releases. Its results' URLs are then relative to that folder, which
  ``pagefind/bundles.json`` names (``root``) for ``search.js`` to put before them.

A bundle's fingerprint (the paths of the pages it indexes and what Pagefind reads of
them, digests.py; Pagefind's version and the command) is kept beside it in ``pressroom-bundle.json`` with the list
of its files. When the last published output (``PRESSROOM_PREVIOUS_OUTPUT``) holds a
bundle with the same fingerprint, its files are hard-linked into the new output instead
of running Pagefind again; the previous output is only ever read.
``pagefind/bundles.json`` tells ``theme/static/js/search.js`` the years and languages of
every bundle: it loads those of the page's language and merges them with ``mergeIndex``.

Indexing starts as soon as every release and content page is written, beside the
listings and feeds (early.py); ``finalized`` waits for it before the build is swapped
in, so a failed index fails the build. Settings: ``SEARCH_INDEX`` (False: no
index), ``SEARCH_INDEX_OPTIONS`` (more Pagefind options, a list), ``SEARCH_INDEX_JOBS``
(Pagefind processes at a time; one per core by default).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import shutil
import stat
import subprocess
from collections.abc import Callable, Collection
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from pelican import Pelican, signals
from pelican.generators import Generator

from plugins.listings.generator import write_single_page
from pressroom.output import link_from_live, replace_json

from .digests import PageDigests
from .early import finish_started, note_releases, start, written_pages

logger = logging.getLogger(__name__)


class SearchPagesGenerator(Generator):
    def generate_output(self, writer) -> None:
        for listing in self.context["site"].search.values():
            write_single_page(self, writer, listing, "search")


#: Where the bundles go, relative to the output; year bundles are folders inside it.
BUNDLE_ROOT = "pagefind"
#: Beside each bundle's files: its fingerprint and the list of those files.
RECORD = "pressroom-bundle.json"
#: For search.js: every bundle's folder (relative to BUNDLE_ROOT), the folder its results' URLs are relative to
#: (``root``), its years and page counts per language.
MANIFEST = "bundles.json"

#: Releases, /YYYY/MM/slug/ and /en/YYYY/MM/slug/ (the language prefix, the year), as the bundles' globs find them.
RELEASE_PAGE = re.compile(r"^(?:([^/]+)/)?([0-9]{4})/[0-9]{2}/[^/]+/index\.html$")
#: Where content pages (/slug/, /en/slug/) live, among listing pages (/co-quan/, /en/tags/,
#: /2025/, /page/2/...). Only content pages carry data-pagefind-body, so only they are
#: given to Pagefind, by name: it never reads the thousands of listing pages.
OTHER_PAGE = re.compile(r"^(?:[^/]+/)?[^/]+/index\.html$")
#: The attribute Pagefind indexes a page by; a bundle without it would index whole pages.
BODY = re.compile(rb"data-pagefind-body[\s=/>]")
#: A year's releases, from the year's folder (``MM/slug/index.html``).
MONTH_PAGES = "[0-9][0-9]/*/index.html"
#: Characters with a meaning in Pagefind's globs, escaped in the page names given to it.
GLOB_SPECIAL = re.compile(r"([\\*?\[\]{}(),<>:$])")
#: The names Pagefind gives its files; anything else in a previous record is not reused.
SAFE_NAME = re.compile(r"^[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*$")


#: How much lower a render worker's priority is than the index's, once the index starts (see start_beside_rendering).
WORKER_NICENESS = 2


class SearchIndexError(RuntimeError):
    """Pagefind failed; the build must not be published without its search."""


@dataclass
class Bundle:
    """One Pagefind index: the pages it reads and where it goes in the output."""

    folder: str  # relative to BUNDLE_ROOT: "" for the primary bundle, "2019/" for a year
    years: list[int]
    patterns: list[str] = field(default_factory=list)  # globs, besides the pages named one by one
    pages: list[str] = field(default_factory=list)  # every file the globs match, plus the named pages
    named: list[str] = field(default_factory=list)  # pages given by name
    searchable: bool = False  # a page carries data-pagefind-body
    site: str = ""  # the folder Pagefind reads, relative to the output ("": all of it); the globs are relative to it

    @property
    def subdir(self) -> str:
        return f"{BUNDLE_ROOT}/{self.folder}".rstrip("/")

    @property
    def label(self) -> str:
        return f"{self.subdir}/ ({', '.join(map(str, self.years)) or 'pages'})"

    def glob(self) -> str:
        return "{" + ",".join([*self.patterns, *(GLOB_SPECIAL.sub(r"\\\1", page) for page in self.named)]) + "}"


def year_patterns(year: int, every_language: bool = False) -> list[str]:
    """The globs of a year's releases in the default language (or every language), from the output's root:
    a year has too many pages to name."""
    return [f"{year}/{MONTH_PAGES}", *([f"*/{year}/{MONTH_PAGES}"] if every_language else [])]


def year_folder(year: int, prefix: str) -> str:
    return f"{year}-{prefix}/" if prefix else f"{year}/"


def year_site(year: int, prefix: str) -> str:
    """Where a year's releases in one language are ("": the default language), which its bundle reads."""
    return f"{prefix}/{year}" if prefix else str(year)


def html_files(output: str) -> list[str]:
    """The output's HTML files as deep as a release (``en/YYYY/MM/slug/index.html``), bundles skipped."""
    found = []
    folders = [("", 0)]
    while folders:
        relative, depth = folders.pop()
        with os.scandir(os.path.join(output, relative)) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if depth < 4 and not (depth == 0 and entry.name == BUNDLE_ROOT):
                        folders.append((f"{relative}{entry.name}/", depth + 1))
                elif entry.name.endswith(".html"):
                    found.append(relative + entry.name)
    return found


def marks_body(content: bytes) -> bool:
    """Whether a page carries data-pagefind-body (found as text first: a regular expression per tag is slow)."""
    return any(content[hit.start() - 1 : hit.start()].isspace() for hit in BODY.finditer(content))


def plan(
    output: str, page: Callable[[str], tuple[str, bool]], written: Collection[str] | None = None
) -> tuple[list[Bundle], dict[str, str]]:
    """The bundles of this output, and the sha256 of every page they read (for their fingerprints).

    ``page`` gives a page's sha256 and whether it marks a body to index. ``written``: the
    release and content pages, when known (the output may still be growing); else every
    page found in the output is considered.
    """
    years: dict[tuple[int, str], Bundle] = {}  # by year and language prefix ("": the default language)
    pages: list[str] = []
    digests: dict[str, str] = {}
    found = html_files(output) if written is None else sorted(written)
    for path in found:
        release = RELEASE_PAGE.match(path)
        if not release and not OTHER_PAGE.match(path):
            continue
        digest, searchable = page(path)
        if release:
            year, prefix = int(release.group(2)), release.group(1) or ""
            key = (year, prefix)
            if key not in years:
                years[key] = Bundle(year_folder(*key), [year], [MONTH_PAGES], site=year_site(*key))
            bundle = years[key]
            bundle.pages.append(path)
            bundle.searchable |= searchable
            digests[path] = digest
        elif searchable:
            pages.append(path)
            digests[path] = digest
    newest = max((year for (year, _), bundle in years.items() if bundle.searchable), default=None)
    # The newest year in the default language; other languages keep a bundle each. Without a release in the
    # default language that year, every language's, so that the bundle search.js loads first always exists.
    alone = (newest, "") in years and years[(newest, "")].searchable
    patterns = year_patterns(newest, every_language=not alone) if newest is not None else []
    primary = Bundle("", [newest] if newest is not None else [], patterns)
    for key in [(newest, "")] if alone else [key for key in years if key[0] == newest]:
        bundle = years.pop(key)
        primary.pages += bundle.pages
        primary.searchable |= bundle.searchable
    primary.named = sorted(pages)
    primary.pages += pages
    primary.searchable |= bool(pages)
    bundles = [primary, *(years[key] for key in sorted(years, key=lambda key: (-key[0], key[1])))]
    for bundle in bundles:
        bundle.pages.sort()
    return [bundle for bundle in bundles if bundle.searchable], digests


def pagefind_command(bundle: Bundle, options: list[str]) -> list[str]:
    """Pagefind's arguments for one bundle, run in the output folder (which differs from build to build)."""
    site = ["--site", bundle.site or "."]
    return [*site, "--quiet", "--glob", bundle.glob(), "--output-path", bundle.subdir, *options]


def fingerprint(bundle: Bundle, digests: dict[str, str], version: str, options: list[str]) -> str:
    """What the bundle's files follow from: its pages' paths and indexed parts, Pagefind's version, command and
    environment."""
    environment = sorted((k, v) for k, v in os.environ.items() if k.startswith("PAGEFIND"))
    inputs = {
        "version": version,
        "command": pagefind_command(bundle, options),
        "environment": environment,
        "pages": [[path, digests[path]] for path in bundle.pages],
    }
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


def bundle_files(output: str, bundle: Bundle, nested: set[str]) -> list[str]:
    """The files Pagefind wrote for ``bundle``, relative to its folder; other bundles' folders skipped."""
    root = os.path.join(output, bundle.subdir)
    found = []
    for folder, dirs, files in os.walk(root):
        relative = os.path.relpath(folder, root).replace(os.sep, "/")
        prefix = "" if relative == "." else relative + "/"
        dirs[:] = sorted(name for name in dirs if bundle.folder + prefix + name + "/" not in nested)
        found += [prefix + name for name in files if not (prefix == "" and name in (RECORD, MANIFEST))]
    return sorted(found)


def read_record(previous: str | None, bundle: Bundle) -> dict[str, Any] | None:
    """The previous output's record of this bundle, if there is a sound one."""
    if not previous:
        return None
    try:
        with open(os.path.join(previous, bundle.subdir, RECORD), encoding="utf-8") as handle:
            record = json.load(handle)
    except (OSError, ValueError):
        return None
    files = record.get("files") if isinstance(record, dict) else None
    if not isinstance(files, list) or not all(isinstance(f, str) and SAFE_NAME.match(f) for f in files):
        return None
    if any(".." in name.split("/") for name in files):
        return None
    return record


def link_bundle(previous: str, output: str, bundle: Bundle, files: list[str]) -> bool:
    """Hard-link (or copy) a previous bundle's files, and its record, into the output.

    False, with nothing linked, if one of them is missing or not a plain file: the bundle
    is indexed again. Checked file by file as it goes (one ``lstat``): a rebuild links a
    dozen thousand files, beside the main process's rendering.
    """
    source, target = os.path.join(previous, bundle.subdir), os.path.join(output, bundle.subdir)
    linked: list[str] = []
    try:
        for name in [*files, RECORD]:
            live = os.path.join(source, name)
            if not stat.S_ISREG(os.lstat(live).st_mode):
                raise FileNotFoundError(live)
            linked.append(os.path.join(target, name))
            link_from_live(live, linked[-1])
    except OSError:
        for path in linked:
            with contextlib.suppress(OSError):
                os.remove(path)
        return False
    return True


def pagefind_binary() -> str:
    """Pagefind's program, found as ``python -m pagefind`` finds it (``PAGEFIND_BINARY_PATH``, then the pinned
    binary package), and run directly: a Python start per bundle cost 0.09 s, on a rebuild's last step. The
    pinned package is asked first: ``pagefind.service`` imports asyncio (0.03 s before the index can start)."""
    configured = os.environ.get("PAGEFIND_BINARY_PATH")
    if configured:
        return configured
    try:
        from pagefind_bin_extended import get_executable
    except ImportError:  # not the pinned install: Pagefind's own search for its program
        from pagefind.service import get_executable

    found = get_executable()
    if found is None:
        raise SearchIndexError("Pagefind's program is not installed: run `make html` (it installs requirements.txt)")
    return str(found)


def run_pagefind(binary: str, output: str, bundle: Bundle, options: list[str]) -> subprocess.CompletedProcess:
    # In the output folder, so that no pagefind.yml of the caller's working directory applies.
    command = [binary, *pagefind_command(bundle, options)]
    return subprocess.run(command, cwd=output, capture_output=True, text=True, check=False)


def parallel_jobs(settings: dict[str, Any]) -> int:
    """Pagefind processes at a time: one per core, so peak memory is a few bundles', never the archive's."""
    if settings.get("SEARCH_INDEX_JOBS"):
        return int(settings["SEARCH_INDEX_JOBS"])
    try:
        return len(os.sched_getaffinity(0)) or 2
    except AttributeError:
        return os.cpu_count() or 2


def languages(output: str, bundle: Bundle) -> dict[str, int]:
    """Pages per language in a bundle, as Pagefind counted them (search.js skips bundles without its language)."""
    with open(os.path.join(output, bundle.subdir, "pagefind-entry.json"), encoding="utf-8") as handle:
        entry = json.load(handle)
    return {lang: data["page_count"] for lang, data in sorted(entry["languages"].items())}


def build_index(pelican: Pelican) -> None:
    """Finish the index started beside the rendering, or (if none was) index the whole output now."""
    if finish_started(pelican.output_path) or not pelican.settings.get("SEARCH_INDEX", True):
        return
    index_output(pelican.settings, pelican.output_path)


def index_output(settings: dict[str, Any], output: str, written: Collection[str] | None = None) -> None:
    """Index the staging output bundle by bundle, reusing the previous output's unchanged bundles."""
    # Only ever from no bundles: an attempt that failed part way (plugins/search/early.py does the
    # work again) may have left files linked from the live output, which Pagefind would write into.
    shutil.rmtree(os.path.join(output, BUNDLE_ROOT), ignore_errors=True)
    previous = settings.get("PRESSROOM_PREVIOUS_OUTPUT")
    if previous and os.path.abspath(previous) == os.path.abspath(output):
        previous = None  # never link a folder into itself
    options = [str(option) for option in settings.get("SEARCH_INDEX_OPTIONS", [])]
    binary = pagefind_binary()
    try:
        asked = subprocess.Popen([binary, "--version"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    except OSError as error:
        raise SearchIndexError(f"Pagefind does not run:\n{error}") from error
    with asked:
        page_digests = PageDigests(settings, output, marks_body)
        bundles, digests = plan(output, page_digests, written)  # meanwhile
        version = asked.communicate()[0].strip()
    if asked.returncode != 0:
        raise SearchIndexError(f"Pagefind does not run:\n{version}")
    prints = {bundle.folder: fingerprint(bundle, digests, version, options) for bundle in bundles}
    todo, unchanged = [], []
    for bundle in bundles:
        record = read_record(previous, bundle)
        if record is not None and record.get("fingerprint") == prints[bundle.folder]:
            unchanged.append((bundle, record["files"]))
        else:
            todo.append(bundle)
    todo.sort(key=lambda bundle: len(bundle.pages), reverse=True)  # the longest first: the pool ends sooner
    with ThreadPoolExecutor(max_workers=max(1, min(len(bundles), parallel_jobs(settings)))) as pool:
        runs = [(bundle, pool.submit(run_pagefind, binary, output, bundle, options)) for bundle in todo]
        # Linked while Pagefind indexes: each bundle has its own folder (nested ones are
        # skipped by the bundle around them), and a rebuild's bundles are thousands of files.
        for bundle, files in unchanged:
            if not link_bundle(previous, output, bundle, files):
                todo.append(bundle)
                runs.append((bundle, pool.submit(run_pagefind, binary, output, bundle, options)))
        results = [(bundle, run.result()) for bundle, run in runs]
    failed = [f"{bundle.label}:\n{run.stdout}\n{run.stderr}" for bundle, run in results if run.returncode != 0]
    if failed:
        raise SearchIndexError("Pagefind could not index the site:\n" + "\n".join(failed))
    nested = {bundle.folder for bundle in bundles if bundle.folder}
    for bundle in todo:
        files = bundle_files(output, bundle, nested)
        replace_json(
            os.path.join(output, bundle.subdir, RECORD),
            {"fingerprint": prints[bundle.folder], "files": files},
            sort_keys=True,
        )
    logger.info("Search: %d Pagefind bundle(s) indexed, %d unchanged", len(todo), len(bundles) - len(todo))
    manifest = [
        {
            "folder": bundle.folder,
            "root": f"{bundle.site}/" if bundle.site else "",  # what its results' URLs are relative to
            "years": bundle.years,
            "languages": languages(output, bundle),
        }
        for bundle in bundles
    ]
    os.makedirs(os.path.join(output, BUNDLE_ROOT), exist_ok=True)
    replace_json(os.path.join(output, BUNDLE_ROOT, MANIFEST), {"bundles": manifest}, sort_keys=True)
    page_digests.save()  # only once the index stands: a failed one leaves the last record


def written_releases(generator, writer) -> None:
    note_releases(writer.output_path, generator)


def start_beside_rendering(generator, writer) -> None:
    """Every release and content page is written here: index them while the rest renders."""
    pages = written_pages(writer.output_path, generator)  # taken in any case: nothing is left behind
    if not generator.settings.get("SEARCH_INDEX", True):
        return
    every_shard_here = getattr(writer, "every_shard_here", None)
    if every_shard_here is not None and not every_shard_here():
        if getattr(writer, "shard", 0):
            # A render worker, whose listings and feeds yield somewhat to the index from here: after a
            # correction Pagefind's share ended after both renderers, and a lower priority let it end
            # with them (a rebuild at 5,000 releases: 1.86 s against 1.98, six of each); a new release
            # gives the renderers more to do, and nice 5 left the worker last (2.00 s against 1.92),
            # nice 2 not (1.92). The main process keeps its priority: it ends the build, and the dev
            # server builds again with it.
            os.nice(WORKER_NICENESS)
        return  # a render worker, or one ended early: the main process indexes, or the build fails
    settings, output = generator.settings, writer.output_path
    start(output, lambda: index_output(settings, output, pages))


def get_generators(pelican):
    return SearchPagesGenerator


def register() -> None:
    """Write the search pages; index the output with Pagefind once the pages it reads are written."""
    signals.get_generators.connect(get_generators)
    signals.article_writer_finalized.connect(written_releases)
    signals.page_writer_finalized.connect(start_beside_rendering)
    signals.finalized.connect(build_index)
