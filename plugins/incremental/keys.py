"""What each output file is made from, as one hash: equal keys mean equal bytes.

A key names everything a template shows for its page: the release itself (its text
after links are resolved, its dates, agencies, topics and images), its neighbours and
translations, and the site-wide parts every page carries (code, settings, the
interface catalogues, the navigation and the year list). Templates, plugins and
catalogues are hashed whole, so changing any of them renders every page again; what no
template shapes (the feeds, the sitemaps, the articles as read) follows the code and the
settings alone (``unthemed_key``), so a theme change leaves it as it was.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
from collections.abc import Iterable, Mapping
from typing import Any

from plugins.intrasite_links import may_link
from plugins.source_paths import url_of

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
#: Everything that shapes rendered output besides the content and the settings.
CODE_FOLDERS = ("plugins", "pressroom")
CODE_SUFFIXES = (".py", ".html", ".xsl", ".po", ".mo", ".yaml", ".yml", ".json", ".css", ".js")
#: Settings that name where a build reads or writes, not what it shows.
UNSHOWN_SETTINGS = frozenset({"OUTPUT_PATH", "PRESSROOM_PREVIOUS_OUTPUT", "CACHE_PATH", "PATH", "THEME"})


def digest(*parts: Any) -> str:
    """A hash of plain data (strings, numbers, None, tuples and lists of them).

    Pickled, not ``repr``-ed: a release's text pickles three times faster. Without the
    pickler's memo (``fast``), equal values give equal bytes, shared objects or not.
    """
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=4)
    pickler.fast = True
    pickler.dump(parts)
    return hashlib.blake2b(buffer.getbuffer(), digest_size=16).hexdigest()


#: Plain values as they are; checked by exact type first (every release's metadata passes through here).
_SCALARS = (str, int, float, bool, type(None))


def _plain(value: Any) -> Any:
    """Settings as data: values without a stable repr (functions, classes) are left out."""
    if type(value) in _SCALARS or isinstance(value, _SCALARS):
        return value
    if isinstance(value, dict | Mapping):
        return tuple(sorted((str(k), _plain(v)) for k, v in value.items()))
    if isinstance(value, list | tuple | set | frozenset):
        items = [_plain(v) for v in value]
        return tuple(sorted(items, key=repr)) if isinstance(value, set | frozenset) else tuple(items)
    return type(value).__name__


def code_files(theme: str | None, assets: Iterable[str] = ()) -> list[tuple[str, str, str]]:
    """Every file of the code and the theme that shapes output, as (path, path from the project, hash of its bytes).

    Read afresh for every build: the dev server rebuilds in one process as templates change.
    The theme's ``assets`` folders (styles, scripts, images) are left out: pages link them,
    none holds their bytes.
    """
    found = []
    folders = [os.path.join(ROOT, folder) for folder in CODE_FOLDERS] + ([theme] if theme else [])
    skipped = {os.path.normpath(os.path.join(theme, folder)) for folder in assets} if theme else set()
    for folder in folders:
        for directory, dirs, files in os.walk(folder):
            dirs[:] = sorted(
                d
                for d in dirs
                if d not in {"__pycache__", "node_modules"}
                and os.path.normpath(os.path.join(directory, d)) not in skipped
            )
            for name in sorted(files):
                if name.endswith(CODE_SUFFIXES):
                    path = os.path.join(directory, name)
                    with open(path, "rb") as handle:
                        data = handle.read()
                    found.append((path, os.path.relpath(path, ROOT), hashlib.blake2b(data, digest_size=16).hexdigest()))
    return found


def code_hash(files: Iterable[tuple[str, str, str]]) -> str:
    """One hash of ``code_files``' answer, or of part of it."""
    hasher = hashlib.blake2b(digest_size=16)
    for _path, relative, file_hash in files:
        hasher.update(f"{relative}\0{file_hash}\0".encode())
    return hasher.hexdigest()


def shown_settings(settings: Mapping[str, Any]) -> Any:
    """The settings as a key holds them: those that shape output, as plain data."""
    return _plain({k: v for k, v in settings.items() if k.isupper() and k not in UNSHOWN_SETTINGS})


def theme_files(settings: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """``code_files`` of the code and the build's theme, its assets (``THEME_STATIC_PATHS``) left out."""
    return code_files(os.path.abspath(settings["THEME"]), settings.get("THEME_STATIC_PATHS", ["static"]))


def code_key(files: Iterable[tuple[str, str, str]], shown: Any) -> str:
    """The part of a key that code and settings make: ``files`` (from ``code_files``) and ``shown_settings``."""
    return digest(code_hash(files), shown)


def build_key(settings: Mapping[str, Any]) -> str:
    """The part of every key that the whole build shares: code and settings."""
    return code_key(theme_files(settings), shown_settings(settings))


def unthemed_key(settings: Mapping[str, Any]) -> str:
    """The code and the settings, not the theme (templates, styles, the UI catalogues): the part of the keys of what
    no template shapes, the articles as read, the feeds and the sitemaps (a feed's own words from the catalogues
    are in its own key). A theme change then renders the pages alone."""
    return code_key(code_files(None), shown_settings(settings))


def site_key(site, lang: str) -> str:
    """The site-wide parts of every page in ``lang``: the navigation and the footer's years.

    Not the agency registry: a page shows what it shows of agencies in its own key (a
    release its agencies' names and addresses, an agency's page its record, the home page
    its aside). With the registry here, a new agency or a changed phone number rendered
    every page of the site again.
    """
    keys = site.__dict__.setdefault("_pressroom_keys", {})
    if lang not in keys:
        nav = [(item.url, item.title) for item in site.nav_pages(lang)]
        years = [(year, listing.url) for year, listing in site.years[lang].items()]
        keys[lang] = digest(nav, years)
    return keys[lang]


def home_aside_key(site, lang: str) -> str:
    """What the home page's aside shows on every page of the home listing: each agency with its count of releases.

    A release that changes agency, appears or is withheld changes those counts on every
    page of the home listing, most of which show none of the releases it lists.
    """
    keys = site.__dict__.setdefault("_pressroom_aside_keys", {})
    if lang not in keys:
        shown = [
            (member.url, member.name, len(member.releases))
            for _kind, members in site.agencies_by_kind(lang)
            for member in members
            if member.releases
        ]
        keys[lang] = digest(shown)
    return keys[lang]


def subject_key(subject) -> tuple:
    """A feed's own identity: what it follows, its title and its address."""
    return (subject.kind, subject.lang, subject.key, subject.title, subject.description, subject.listing.url)


def _refs(refs: Iterable) -> list[tuple[str, str, str]]:
    return [(ref.slug, ref.name, ref.url) for ref in refs or ()]


def when(value) -> str | None:
    """A date as text for a key (its microseconds and offset kept): pickling Pelican's dates is slow."""
    return value.isoformat() if value else None


def raw_content(item) -> str:
    """A release's or page's HTML as read, its intrasite links not yet resolved (Pelican keeps one copy per base)."""
    return item._get_content() if hasattr(item, "_get_content") else item._content


def _static_files(item) -> list[tuple[str, int]]:
    """Images and files a page links, with their size in bytes: the feeds show it (an enclosure's length).

    Only the size: a fresh checkout gives every file a new time, and a key with it
    rendered every release with a photo again in every CI job. A photo's width and
    height are in the release's HTML, read when it was parsed.
    """
    links = item.get_static_links()  # at once for text without a link (plugins/intrasite_links)
    if not links:
        return []
    root = item.settings["PATH"]
    # Once per file and build: photos are shared by many releases. Kept in the build's context, so a
    # dev server's next build sees a replaced photo.
    known = item._context.setdefault("_pressroom_static_stats", {}) if item._context is not None else {}
    found = []
    for link in sorted(links):
        if link not in known:
            try:
                known[link] = (link, os.path.getsize(os.path.join(root, link)))
            except OSError:
                known[link] = (link, -1)
        found.append(known[link])
    return found


#: The base a key resolves a release's links against: any fixed one will do.
KEY_BASE = "/"


#: Hashes of what a build made of a release (its links resolved, its listings): never kept between builds.
BUILD_DIGESTS = ("_pressroom_content", "_pressroom_card", "_pressroom_key")
#: Metadata keyed otherwise: the dates as text (``when``), the summary as each build resolved it.
UNHASHED_METADATA = frozenset({"date", "modified", "summary"})


def text_hash(text: str | None) -> str | None:
    """A hash of a long text, encoded rather than pickled: pickling a ``str`` keeps a UTF-8 copy of it inside the
    ``str`` for as long as it lives (the releases' HTML: 20 MB more in every process at 5,000 releases)."""
    return None if text is None else hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def text_digest(item) -> str:
    """A hash of the item's HTML as read, its links unresolved."""
    cached = item.__dict__.get("_pressroom_text")
    if cached is None:
        cached = item._pressroom_text = text_hash(raw_content(item))
    return cached


def metadata_digest(item) -> str:
    """A hash of the item's metadata as read, but for ``UNHASHED_METADATA``."""
    cached = item.__dict__.get("_pressroom_metadata")
    if cached is None:
        metadata = {k: v for k, v in item.metadata.items() if k not in UNHASHED_METADATA}
        cached = item._pressroom_metadata = digest(_plain(metadata))
    return cached


def read_digests(item) -> dict[str, str]:
    """The hashes of what reading alone made, which no later step changes (the summary is left out: Pelican
    resolves its links after reading, every build): plugins/article_store keeps them with the item, so a rebuild
    hashes again only the releases whose files changed."""
    return {"_pressroom_text": text_digest(item), "_pressroom_metadata": metadata_digest(item)}


def _content_key(item) -> str:
    """A hash of the item's HTML with its links resolved against ``KEY_BASE``, the same in every process;
    without links, of the text as read, whose hash the article store keeps.

    ``item.content`` resolves them against the page its process rendered last (with
    relative URLs), so the same feed got another key in another render worker. Pelican's
    ``get_content`` would keep a copy per base for the whole build, so its unmemoized
    step is called (all releases at 5,000: 0.3 s). Kept: a card without a Summary and the
    item's own key both show the whole text.
    """
    cached = item.__dict__.get("_pressroom_content")
    if cached is None:
        raw = raw_content(item)
        cached = text_hash(item._update_content(raw, KEY_BASE)) if may_link(item, raw) else text_digest(item)
        item._pressroom_content = cached
    return cached


def card_key(release) -> str:
    """A release as a list shows it (title, date, agencies, summary), as one hash: kept, as it is in
    several listings, and short, as a listing page shows up to a hundred (each page's key pickled and
    hashed all their summaries again)."""
    cached = getattr(release, "_pressroom_card", None)
    if cached is None:
        cached = release._pressroom_card = digest(*_card(release))
    return cached


def _card(release) -> tuple:
    return (
        url_of(release),
        release.title,
        when(getattr(release, "date", None)),
        getattr(release, "withheld", None),
        _refs(getattr(release, "agency_refs", ())),
        # The Summary, or the first paragraph the reader put there; without either, none (plugins/intrasite_links).
        text_hash(release.metadata.get("summary")),
    )


def item_key(item) -> str:
    """A release or page as its own page and its feed entries show it."""
    cached = getattr(item, "_pressroom_key", None)
    if cached is None:
        cached = digest(
            type(item).__name__,
            item.source_path,
            item.lang,
            item.save_as,
            card_key(item),
            when(getattr(item, "modified", None)),
            _content_key(item),
            _refs(getattr(item, "tag_refs", ())),
            sorted(getattr(item, "alternates", {}).items()),
            sorted(getattr(item, "switch", {}).items()),
            getattr(item, "release_id", None),
            metadata_digest(item),
            text_hash(item.metadata.get("summary")),
            _static_files(item),
        )
        item._pressroom_key = cached
    return cached


def _neighbour(release) -> tuple[str, str] | None:
    return (url_of(release), release.title) if release is not None else None


def page_key(item) -> str:
    """A release's or page's own page: the item, and the releases it links to."""
    return digest(
        item_key(item),
        _neighbour(getattr(item, "newer_release", None)),
        _neighbour(getattr(item, "older_release", None)),
    )


#: What the registry holds of an agency that no page shows: its line in the file, the teams that review its releases.
AGENCY_UNSHOWN = frozenset({"line", "reviewers"})


def listing_page_key(listing, page) -> str:
    """One page of a paginated listing: the listing, its size and this page's releases."""
    agency = listing.agency
    return digest(
        listing.kind,
        listing.url,
        listing.name,
        listing.key,
        sorted(listing.alternates.items()),
        sorted(listing.switch.items()),
        _plain({k: v for k, v in vars(agency).items() if k not in AGENCY_UNSHOWN}) if agency is not None else None,
        len(listing.releases),
        page.number,
        page.paginator.num_pages,
        [card_key(release) for release in page.object_list],
    )


#: Kinds of listing whose every page is keyed; the rest (indexes of agencies and
#: topics, search, subscribe, 404) are few and always rendered.
KEYED_LISTINGS = frozenset({"home", "agency", "tag", "year"})


def render_key(localcontext: Mapping[str, Any], build: str) -> str | None:
    """The key of the page Pelican's writer is about to render, or None if it has none."""
    site = localcontext.get("site")
    item = localcontext.get("article") or localcontext.get("page")
    if site is None:
        return None
    if item is not None:
        return digest(build, site_key(site, item.lang), page_key(item))
    listing = localcontext.get("listing")
    page = localcontext.get("articles_page")
    if listing is not None and page is not None and listing.kind in KEYED_LISTINGS:
        aside = home_aside_key(site, listing.lang) if listing.kind == "home" else None
        return digest(build, site_key(site, listing.lang), listing_page_key(listing, page), aside)
    return None
