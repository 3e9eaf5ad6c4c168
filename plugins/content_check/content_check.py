"""Run every content rule over a content tree, before anything is published.

Pelican logs a bad file and drops it, and the build still succeeds; a press portal
must instead refuse to publish. So the rules start on ``get_generators`` (the last
signal before the first file is read) and stop the build with a
:class:`~pressroom.diagnostics.ContentError` listing every problem at once. With a
second core they run beside Pelican's reading (from its first file) and rule before
anything is written (concurrent.py); with one, before reading.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import os
import re
import time
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pelican import signals

from plugins.agencies.registry import REGISTRY_FILE, Registry, load_registry
from plugins.redirects.aliases import normalise
from plugins.sanitise import sanitiser_for
from plugins.search.search import BUNDLE_ROOT
from plugins.static_files import unpublishable_reason
from pressroom.clock import local_now
from pressroom.config import site_config
from pressroom.diagnostics import ContentError, Diagnostic, display_path, error, warning
from pressroom.forking import fork_map, worker_count
from pressroom.output import read_pickle, replace_pickle
from pressroom.stamps import stamp, vouches

from .body import check_body
from .concurrent import finish_check, start_check
from .history import identity_changes, url_changes
from .rules import SCAFFOLD_PLACEHOLDER, Entry, check_header, parse_date
from .tags import tag_problems

logger = logging.getLogger(__name__)

SECTIONS = {"releases": "release", "pages": "page"}
#: Files the check's cache lacked before it is written again.
RESAVE_MISSES = 32
#: Below this many files to check, forking costs more than it saves.
MIN_PARALLEL_FILES = 64


def content_files(root: str) -> list[str]:
    """Every file below ``root`` except hidden ones, sorted, relative with '/'."""
    found = []
    root = os.path.normpath(root)
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        # os.walk's folders start with root: cut it off (os.path.relpath per file took 0.3 s at 5,000 releases).
        prefix = folder[len(root) + 1 :].replace(os.sep, "/") + "/" if folder != root else ""
        found.extend(prefix + name for name in sorted(files) if not name.startswith("."))
    return found


def read_bytes(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def decoded(path: str, data: bytes) -> tuple[str | None, Diagnostic | None]:
    """The file's text, or the problem that it is not UTF-8."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        fix = "save the file as UTF-8 (in most editors: Save with encoding, UTF-8)"
        return None, error(path, line, f"the file is not UTF-8 (byte 0x{data[exc.start]:02x})", fix)
    return text.removeprefix("\ufeff"), None


def _layout_problem(path: str, rel: str, section: str, languages: tuple[str, ...]) -> Diagnostic:
    parts = rel.split("/")
    name = parts[-1]
    pieces = name.split(".")
    shape = "releases/<YYYY>/<name>.<lang>.md" if section == "releases" else "pages/<name>.<lang>.md"
    langs = " or ".join(languages)
    if pieces[-1] != "md":
        return error(path, None, f"only Markdown files (.md) belong in {section}/", f"name it {shape}")
    if len(pieces) < 3:
        stem = pieces[0]
        return error(
            path, None, "the file name has no language suffix", f"rename it {stem}.{languages[0]}.md ({langs})"
        )
    if pieces[-2] not in languages:
        stem = ".".join(pieces[:-2])
        return error(
            path, None, f"language suffix '{pieces[-2]}' is not {langs}", f"rename it {stem}.{languages[0]}.md"
        )
    if section == "releases" and (len(parts) != 3 or not re.fullmatch(r"\d{4}", parts[1])):
        return error(path, None, "a release must be in a folder named for its year", f"move it to {shape}")
    return error(path, None, "this file is not where the site expects it", f"use {shape}")


def _output_path(entry: Entry, settings: Mapping[str, Any], default_lang: str) -> str | None:
    kind = "ARTICLE" if entry.kind == "release" else "PAGE"
    key = f"{kind}_SAVE_AS" if entry.lang == default_lang else f"{kind}_LANG_SAVE_AS"
    if not entry.slug or (entry.kind == "release" and entry.date is None):
        return None
    return settings[key].format(slug=entry.slug, lang=entry.lang, date=entry.date)


def _reserved_paths(settings: Mapping[str, Any]) -> set[str]:
    """First path segments the site itself uses, which a page slug must not take."""
    config = site_config(settings)
    reserved = {"page", BUNDLE_ROOT, settings.get("THEME_STATIC_DIR", "theme"), *settings.get("STATIC_PATHS", [])}
    for lang in config.languages:
        reserved.update(lang.paths.values())
        if lang.prefix:
            reserved.add(lang.prefix.strip("/"))
    return reserved


#: Files the site writes at the root of each language: a redirect there would be written over one.
SITE_FILES = frozenset(
    {"index.html", "404.html", "atom.xml", "rss.xml", "feed.json", "feeds.opml", "robots.txt", "_headers", "_redirects"}
)


def _site_address(path: str, prefixes: set[str], reserved: set[str]) -> bool:
    """Whether ``path`` (a normalised alias) is an address the site writes itself: a home page, a listing, its
    pages or feeds, search, the theme, photos, a file of the site's own. ``prefixes``: the languages' folders
    (``en``); ``reserved``: ``_reserved_paths``."""
    parts = [part for part in path.split("/") if part]
    if parts and parts[0] in prefixes:
        parts = parts[1:]
    if not parts:
        return True
    first = parts[0]
    if first in reserved - prefixes:
        return True
    if re.fullmatch(r"\d{4}", first) and (len(parts) == 1 or not re.fullmatch(r"\d{2}", parts[1])):
        return True  # a year's listing, its later pages
    return len(parts) == 1 and (first in SITE_FILES or first.startswith(("sitemap", "manifest.")))


def cross_file_problems(entries: list[Entry], settings: Mapping[str, Any]) -> list[Diagnostic]:
    """Rules that need every file: shared URLs and disagreeing translations."""
    config = site_config(settings)
    problems: list[Diagnostic] = []
    by_output: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        entry.save_as = _output_path(entry, settings, config.default_lang)
        if entry.save_as:
            by_output[entry.save_as].append(entry)
    for save_as, sharing in by_output.items():
        if len(sharing) > 1:
            url = "/" + save_as.removesuffix("index.html")
            # The oldest keeps the URL: it may be published, and newspapers link to it.
            first = min(sharing, key=lambda e: (e.date is None, e.date or datetime.min, e.path))
            for entry in sharing:
                others = ", ".join(display_path(e.path) for e in sharing if e is not entry)
                problems.append(
                    error(
                        entry.path,
                        entry.line_of("slug") if entry.header.first("slug") else entry.line_of("title"),
                        f"this would be published at {url}, the same URL as {others}",
                        "give this one a different 'Slug: ...'"
                        if entry is not first
                        else f"keep this one's; give {others} a different 'Slug: ...'",
                    )
                )
    by_identity: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for entry in entries:
        if entry.kind == "release" and entry.identity:
            by_identity[(entry.identity, entry.lang)].append(entry)
    for (identity, _lang), sharing in by_identity.items():
        for entry in sharing if len(sharing) > 1 else ():
            others = ", ".join(display_path(e.path) for e in sharing if e is not entry)
            problems.append(
                error(
                    entry.path,
                    entry.line_of("id"),
                    f"this release's identity '{identity}' is also that of {others}: feeds would show the two as one",
                    "give each release its own 'Id: ...', or remove the line",
                )
            )
    urls = {"/" + save_as.removesuffix("index.html"): sharing[0] for save_as, sharing in by_output.items()}
    claimed: dict[str, Entry] = {}
    reserved = _reserved_paths(settings)
    prefixes = {lang.prefix.strip("/") for lang in config.languages if lang.prefix}
    for entry in entries:
        for alias in entry.aliases:
            path = normalise(alias)
            owner = urls.get(path) or claimed.get(path)
            if _site_address(path, prefixes, reserved):
                problems.append(
                    error(
                        entry.path,
                        entry.line_of("aliases"),
                        f"alias {path} is an address of the site's own pages",
                        "list only former addresses of this release, like /2025/05/old-slug/",
                    )
                )
            elif owner is entry:
                problems.append(
                    error(
                        entry.path,
                        entry.line_of("aliases"),
                        f"alias {path} is this release's own URL",
                        "list only former addresses",
                    )
                )
            elif owner is not None:
                problems.append(
                    error(
                        entry.path,
                        entry.line_of("aliases"),
                        f"alias {path} is already the address of {display_path(owner.path)}",
                        "an alias must be a former address of this release only",
                    )
                )
            claimed.setdefault(path, entry)
    for entry in entries:
        if entry.kind == "page" and entry.slug and (entry.slug in reserved or re.fullmatch(r"\d{4}", entry.slug)):
            problems.append(
                error(
                    entry.path,
                    entry.line_of("slug") if entry.header.first("slug") else entry.line_of("title"),
                    f"the page URL /{entry.slug}/ is used by the site itself",
                    "choose another 'Slug: ...'",
                )
            )

    pairs: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        if entry.kind == "release":
            pairs[entry.key].append(entry)
    for versions in pairs.values():
        versions.sort(key=lambda e: config.codes.index(e.lang))
        first = versions[0]
        if first.status == "published":
            present = {v.lang for v in versions}
            for lang in config.codes:
                if lang not in present:
                    name = os.path.basename(first.path).rsplit(".", 2)[0]
                    problems.append(
                        warning(
                            first.path,
                            1,
                            f"this release has no {config.language(lang).english_name} version",
                            f"add {name}.{lang}.md beside it once it is translated",
                        )
                    )
        for other in versions[1:]:
            if first.date and other.date and first.date != other.date:
                problems.append(
                    error(
                        other.path,
                        other.line_of("date"),
                        f"Date {other.date:%Y-%m-%d %H:%M} differs from {first.date:%Y-%m-%d %H:%M} "
                        f"in {display_path(first.path)}",
                        "both language versions of a release carry the same Date",
                    )
                )
            if first.agencies and other.agencies and set(first.agencies) != set(other.agencies):
                problems.append(
                    error(
                        other.path,
                        other.line_of("agency"),
                        f"Agency '{', '.join(other.agencies)}' differs from '{', '.join(first.agencies)}' "
                        f"in {display_path(first.path)}",
                        "both language versions of a release list the same agencies",
                    )
                )
            if first.identity and other.identity and first.identity != other.identity:
                # One identity per release (plugins/releases): feeds, JSON-LD and search would otherwise
                # take the two versions for two releases.
                given, missing = (other, first) if other.header.first("id") else (first, other)
                fix = (
                    f"put the same 'Id: {given.identity}' line in {display_path(missing.path)}"
                    if not missing.header.first("id")
                    else "both language versions of a release carry the same Id"
                )
                problems.append(
                    error(
                        other.path,
                        other.line_of("id"),
                        f"this version's identity '{other.identity}' differs from '{first.identity}' "
                        f"in {display_path(first.path)}",
                        fix,
                    )
                )
    return problems


class _CheckCache:
    """Per-file check results kept beside Pelican's content cache (same folder, same keying).

    With each file's stamp (size, mtime and inode) and the hash of its text: a file whose
    stamp vouches for it (``pressroom/stamps.py``) is not read
    again (reading and hashing every file took a third of the check). Files read again
    only for new stamps (a fresh checkout) have them kept in a small file beside the
    cache, not the whole cache written again (0.2 s at 5,000 releases, which a CI
    build waited for before rendering).
    """

    def __init__(self, settings: Mapping[str, Any]):
        folder = settings.get("CACHE_PATH") if settings.get("CACHE_CONTENT") else None
        self.path = os.path.join(folder, "content-check.pickle") if folder else None
        self.stamps_path = os.path.join(folder, "content-check.stamps.pickle") if folder else None
        # key -> the file's entry, its problems, and the files its links name with whether each was there
        self.previous: dict[str, tuple[Entry, list[Diagnostic], tuple]] = {}
        self.current: dict[str, tuple[Entry, list[Diagnostic], tuple]] = {}
        self.tags: dict[str, dict] = {}  # near-spellings per set of topics (tags.similar_slugs)
        self.stamps: dict[str, tuple[int, int, int, int, str]] = {}  # path -> size, mtime, inode, seen, text hash
        self.stamped: dict[str, tuple[int, int, int, int, str]] = {}  # this check's
        self.restamped = 0  # files read again though their text had not changed (a fresh checkout, a racy stamp)
        self.now = time.time_ns()
        if self.path:
            try:
                self.previous, self.tags, self.stamps = read_pickle(self.path)
            except (TypeError, ValueError):  # nothing there this code can read, or not its three parts
                self.previous, self.tags, self.stamps = {}, {}, {}
        if self.previous and self.stamps_path:
            newer = read_pickle(self.stamps_path)  # than the cache's own: each says what text a file had under a stamp
            if isinstance(newer, dict):
                self.stamps.update(newer)
        self._loaded, self._tags_known = set(self.previous), set(self.tags)

    def known_text(self, path: str) -> str | None:
        """The hash of ``path``'s text, if its stamp vouches for it (the file is then not read)."""
        try:
            current = stamp(path)
        except OSError:
            return None
        known = self.stamps.get(path)
        if known is None or not vouches(known[:3], known[3], current):
            self.stamped[path] = (*current, self.now, "")  # its hash follows, once the file is read
            return None
        self.stamped[path] = known
        return known[4]

    def read(self, path: str, digest: str) -> None:
        """``path`` was read, and its text hashes to ``digest``."""
        recorded = self.stamped.get(path)
        if recorded is not None and not recorded[4]:
            self.stamped[path] = (*recorded[:4], digest)
            # The same text read again: under another stamp (a fresh checkout), or under one recorded too soon
            # after an edit to vouch (files checked as they were written). Worth recording once the new stamp
            # vouches: else each build reads it again.
            known = self.stamps.get(path)
            unchanged = known is not None and known[4] == digest
            self.restamped += unchanged and vouches(recorded[:3], recorded[3], recorded[:3])

    def save(self, misses: int) -> None:
        """Rewrite the cache (half a second at 5,000 releases) only when it saves more: a file it
        lacks costs a millisecond to check, so a rebuild after a few edits checks those again.
        Many files read again only for their new stamps: those stamps alone, beside it."""
        if not self.path:
            return
        stamps = {path: stamp for path, stamp in self.stamped.items() if stamp[4]}
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        if misses < RESAVE_MISSES and self._loaded and set(self.tags) == self._tags_known:
            if self.restamped >= RESAVE_MISSES:
                replace_pickle(self.stamps_path, stamps)
            return
        self.tags = {key: self.tags[key] for key in list(self.tags)[-4:]}
        data = (self.current, self.tags, stamps)
        replace_pickle(self.path, data)
        with contextlib.suppress(FileNotFoundError):  # the cache holds them now
            os.remove(self.stamps_path)


#: Letters only Vietnamese writes among the site's languages: its own (ă â đ ê ô ơ ư) and those with tone marks.
VIETNAMESE_LETTERS = re.compile(r"[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.I)


def _language_problems(entry: Entry, body: str) -> list[Diagnostic]:
    """A text saved under the other language's name: most Vietnamese words carry one of its letters, an English
    text's few (the names of places and people)."""
    words = re.findall(r"[^\W\d_]+", body)
    if entry.lang not in ("vi", "en") or len(words) < 20:
        return []
    share = sum(1 for word in words if VIETNAMESE_LETTERS.search(word)) / len(words)
    if entry.lang == "en" and share > 0.5:
        found, other = "Vietnamese", "vi"
    elif entry.lang == "vi" and len(words) >= 40 and share < 0.05:
        found, other = "English", "en"
    else:
        return []
    name = os.path.basename(entry.path).rsplit(".", 2)[0]
    return [
        warning(
            entry.path,
            entry.header.body_line,
            f"this text reads as {found} ({share:.0%} of its words have Vietnamese letters), "
            f"in a file for {entry.lang}",
            f"if it is the {found} version, name the file {name}.{other}.md",
        )
    ]


def _placeholder_problems(entry: Entry, body: str) -> list[Diagnostic]:
    if entry.status != "published":
        return []  # a draft may hold the scaffold text until it is written
    if SCAFFOLD_PLACEHOLDER in entry.title:  # a translation stub's
        fix = "write the title in this language, or keep 'Status: draft' until it is translated"
        return [error(entry.path, entry.line_of("title"), "the title still holds the placeholder from make new", fix)]
    for number, line in enumerate(body.splitlines()):
        if SCAFFOLD_PLACEHOLDER in line:
            fix = "replace it with the release, or keep 'Status: draft' until it is written"
            return [
                error(
                    entry.path,
                    entry.header.body_line + number,
                    "the body still holds the placeholder text from make new",
                    fix,
                )
            ]
    return []


@dataclass
class Scan:
    """A content tree as the checks see it: every file's entry and every problem."""

    registry: Registry
    entries: list[Entry]
    problems: list[Diagnostic]


def check_tree(settings: Mapping[str, Any]) -> list[Diagnostic]:
    """Every problem in the content tree at ``settings['PATH']``, errors and warnings."""
    return scan_tree(settings).problems


def scan_tree(settings: Mapping[str, Any]) -> Scan:
    root = settings["PATH"]
    config = site_config(settings)
    sanitiser = sanitiser_for(settings)
    registry, problems = load_registry(root, config.codes)
    layout = re.compile(settings["PATH_METADATA"])
    entries: list[Entry] = []
    files = content_files(root)
    # A file's own checks depend on its text, the registry and the settings, and on
    # whether the files its {static}, {attach} and {filename} links name exist: cached
    # per file under a key of the first three, with those files, checked again on use.
    # (With the list of every file in the key, publishing a release checked every file
    # again: a second of the build at 5,000 releases.)
    shared = (
        registry.slugs,
        registry.readable,
        settings.get("SLUG_REGEX_SUBSTITUTIONS"),
        settings.get("SANITISE_IFRAME_HOSTS"),
        config.codes,
    )
    tree_key = hashlib.sha256(repr(shared).encode()).hexdigest()
    cache = _CheckCache(settings)
    checked: list[str] = []  # the key of every content file, in order
    unchecked: list[tuple[str, str, str, str, str, str]] = []  # (key, path, text, section, translation key, lang)
    static_folders = tuple(folder.strip("/") + "/" for folder in settings.get("STATIC_PATHS", []))
    for rel in files:
        section = rel.split("/", 1)[0]
        if rel.startswith(static_folders) and (refused := unpublishable_reason(rel, settings)):
            problems.append(
                error(
                    os.path.join(root, rel),
                    None,
                    f"this file cannot be published: {refused}",
                    "keep only photos (jpg, png, webp...) and documents (pdf, docx, xlsx...) there; save a page as PDF",
                )
            )
            continue
        if rel == REGISTRY_FILE or (section not in SECTIONS and not rel.endswith(".md")):
            continue  # images, files and the registry are not content
        path = os.path.join(root, rel)
        match = layout.fullmatch(rel)
        if section not in SECTIONS:
            problems.append(
                error(path, None, "Markdown files belong in releases/<YYYY>/ or pages/", "move the file there")
            )
            continue
        if not match or match["lang"] not in config.codes:
            problems.append(_layout_problem(path, rel, section, config.codes))
            continue
        data, digest = None, cache.known_text(path)
        if digest is None:
            # Its bytes hashed, not its text: a file whose check is cached is not even decoded (a fresh
            # checkout reads every file: decoding and encoding them again took 0.15 CPU-seconds).
            data = read_bytes(path)
            digest = hashlib.sha256(os.fsencode(path) + b"\0" + data).hexdigest()
            cache.read(path, digest)
        key = hashlib.sha256(f"{tree_key}\0{digest}".encode()).hexdigest()
        if key not in cache.previous or not _links_as_checked(cache.previous[key][2]):
            # Not checked under this key (new, or the registry changed), or a file it links is gone.
            text, problem = decoded(path, read_bytes(path) if data is None else data)
            if problem:
                problems.append(problem)
                continue
            unchecked.append((key, path, text, section, match["translation_key"], match["lang"]))
        checked.append(key)
    if unchecked:  # a fresh clone checks thousands of files: on every core
        slugs = registry.slugs if registry.readable else None  # else one error for the registry, not one a release
        check = functools.partial(_check_files, root=root, slugs=slugs, settings=settings, sanitiser=sanitiser)
        workers = worker_count(settings) if len(unchecked) >= MIN_PARALLEL_FILES else 1
        for key, entry, found, linked in fork_map(check, unchecked, workers):
            cache.previous[key] = (entry, found, linked)
    for key in checked:
        entry, found, linked = cache.previous[key]
        cache.current[key] = (entry, found, linked)
        problems.extend(found)
        entries.append(entry)
    problems.extend(cross_file_problems(entries, settings))
    problems.extend(tag_problems(entries, cache.tags))
    cache.save(misses=len(unchecked))
    problems.extend(_url_change_problems(root, entries, registry, settings))
    now = local_now(settings.get("TIMEZONE"))  # the rules that follow the clock, checked on every build
    problems.extend(_link_target_problems(entries, now))
    problems.extend(_future_modified_problems(entries, now))
    return Scan(registry, entries, sorted(problems))


def _links_as_checked(linked: tuple[tuple[str, bool], ...]) -> bool:
    """Whether the files a cached check found linked are still there. One that was missing gave an error whose
    suggestion lists its folder: such a file is checked again on every build (it stops the build anyway)."""
    return all(there and os.path.isfile(path) for path, there in linked)


def _check_files(files, *, root: str, slugs, settings, sanitiser) -> list[tuple[str, Entry, list[Diagnostic], tuple]]:
    """One file's own checks (its header and body), for each of ``files``, with the files its links name
    and whether each was there."""
    results = []
    for key, path, text, section, translation_key, lang in files:
        entry, found = check_header(path, text, SECTIONS[section], translation_key, lang, slugs, settings)
        body = "\n".join(text.splitlines()[entry.header.body_line - 1 :])
        body_problems, linked, entry.links = check_body(path, body, entry.header.body_line, root, sanitiser, settings)
        found += body_problems
        if entry.kind == "release" and not body.strip():
            found.append(
                error(
                    path,
                    entry.header.body_line,
                    "the release has no text",
                    "write it below the header, after a blank line",
                )
            )
        found += _placeholder_problems(entry, body)
        found += _language_problems(entry, body)
        results.append((key, entry, found, tuple((link, os.path.isfile(link)) for link in linked)))
    return results


def _url_change_problems(root: str, entries: list[Entry], registry: Registry, settings) -> list[Diagnostic]:
    config = site_config(settings)
    now = local_now(settings.get("TIMEZONE"))

    def reparse(entry: Entry, text: str) -> Entry:
        old, _ = check_header(entry.path, text, entry.kind, entry.key, entry.lang, registry.slugs, settings)
        old.save_as = _output_path(old, settings, config.default_lang)
        return old

    def is_public(entry: Entry) -> bool:
        return entry.status == "published" and entry.date is not None and entry.date <= now

    base = os.environ.get("PRESSROOM_GIT_BASE") or settings.get("PRESSROOM_GIT_BASE") or "HEAD"
    return url_changes(root, entries, base, reparse, is_public, normalise) + identity_changes(
        root, entries, base, reparse, is_public
    )


def _future_modified_problems(entries: list[Entry], now: datetime) -> list[Diagnostic]:
    """A Modified later than now would date feeds, JSON-LD and sitemaps in the future: the build leaves it out
    until then (plugins/releases). A warning, not an error: a check that passes must not fail later, and a
    release under embargo gets to its Modified only after its Date. Checked on every build, as it follows the
    clock (each file's own checks are cached)."""
    problems = []
    for entry in entries:
        found = entry.header.first("modified")
        modified = parse_date(found.value) if found else None
        if modified is not None and modified > max(now, entry.date or now):
            problems.append(
                warning(
                    entry.path,
                    found.line,
                    f"Modified {modified:%Y-%m-%d %H:%M} is later than now and than the Date: "
                    "it is left out until then",
                    "Modified is when a correction was made: set that time, or remove the line",
                )
            )
    return problems


def _link_target_problems(entries: list[Entry], now: datetime) -> list[Diagnostic]:
    """What a file's links name of the site. A {filename} link to a draft, or to a release still under embargo
    when the linking file is out: the build publishes its words without the link
    (plugins/intrasite_links/withheld.py) until that release is. An address typed by hand: ``_address_problems``."""
    by_path = {os.path.normpath(entry.path): entry for entry in entries}
    by_url = {"/" + entry.save_as.removesuffix("index.html"): entry for entry in entries if entry.save_as}
    former = {normalise(alias) for entry in entries for alias in entry.aliases}
    problems = []
    for entry in entries:
        if entry.status != "published" or not entry.links:
            continue
        out = max(entry.date or now, now)  # when the linking file is published
        for kind, path, line in entry.links:
            if kind == "address":
                problems.extend(_address_problems(entry, path, line, by_url, former, out))
                continue
            target = by_path.get(path)
            if target is None or target.kind != "release" or target is entry:
                continue
            name = display_path(target.path)
            if target.status != "published":
                problems.append(
                    warning(
                        entry.path,
                        line,
                        f"the link to {name} names a draft: its words are published without the link",
                        "publish that release first, or remove the link",
                    )
                )
            elif target.date and target.date > out:
                problems.append(
                    warning(
                        entry.path,
                        line,
                        f"the link to {name} names a release under embargo until {target.date:%Y-%m-%d %H:%M}: "
                        "until then its words are published without the link",
                        "nothing to do if that is meant: the first build after that time adds the link",
                    )
                )
    return problems


#: A release's address, as staff may type it: /YYYY/MM/slug/ or /<language>/YYYY/MM/slug/.
RELEASE_ADDRESS_RE = re.compile(r"^/(?:[a-z]{2}/)?\d{4}/\d{2}/[^/?#]+/?$")


def _address_problems(entry: Entry, link: str, line: int, by_url, former, out) -> list[Diagnostic]:
    """A link typed as a release's address: it must be one, and one that is out when the linking file is."""
    address = link.split("#", 1)[0].split("?", 1)[0]
    if not RELEASE_ADDRESS_RE.match(address):
        return []
    address = address if address.endswith("/") else address + "/"
    target = by_url.get(address)
    fix = "link the release's file instead, like [words]({filename}../2025/name.vi.md): its address is then kept right"
    if target is None:
        if address in former:
            return []  # a former address, which redirects
        return [warning(entry.path, line, f"the link '{link}' is the address of no release", fix)]
    if target.status != "published" or (target.date and target.date > out):
        return [
            error(
                entry.path,
                line,
                f"the link '{link}' is the address of {display_path(target.path)}, which is not published yet: the "
                "address would be out before the release",
                fix + " (a link to a release not yet out is left out, its words kept, until it is)",
            )
        ]
    return []


def report(problems: list[Diagnostic]) -> None:
    """Log the warnings; stop the build with every error at once."""
    for problem in problems:
        if problem.severity == "warning":
            logger.warning("%s", str(problem))  # once: each handler and filter formats the record
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise ContentError(errors)


def check_before_reading(pelican) -> None:
    """Check the tree: beside Pelican's reading when there is a core for it, else right here."""
    if hasattr(os, "fork") and worker_count(pelican.settings) > 1:
        start_check(pelican.settings, check_tree)
    else:
        report(check_tree(pelican.settings))


def check_before_writing(*_args) -> None:
    """The verdict of a check started beside reading: before the first file is written."""
    finish_check(check_tree, report)


def leave_other_files_to_the_check(generator) -> None:
    """The check names every file in releases/ and pages/ that is not Markdown, with the fix; Pelican
    would walk those folders once more to warn about the ones its disabled readers would have read."""
    generator.check_disabled_readers = lambda: None


def register() -> None:
    """Refuse to build a content tree that breaks the rules."""
    signals.get_generators.connect(check_before_reading)
    signals.article_generator_init.connect(leave_other_files_to_the_check)
    signals.page_generator_init.connect(leave_other_files_to_the_check)
    signals.all_generators_finalized.connect(check_before_writing)
