"""The content rules: what a release or page must say before it may be published.

Each rule returns :class:`~pressroom.diagnostics.Diagnostic` values naming the file,
the line and the fix. Per-file rules run first and yield a :class:`Entry`; the
cross-file rules (shared URLs, disagreeing translations) then look at all entries.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify

from plugins.redirects.aliases import safe_alias
from pressroom.diagnostics import Diagnostic, error, warning

from .header import Header, parse_header, split_list

DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE_FIX = "write YYYY-MM-DD HH:MM, Hanoi time, e.g. 2025-05-09 16:30"

RELEASE_KEYS = ("title", "date", "agency", "tags", "summary", "slug", "modified", "status", "id", "aliases")
PAGE_KEYS = ("title", "slug", "summary", "modified", "status")
STATUSES = ("published", "draft")
#: Field names staff may write in Vietnamese, and the header's own.
VIETNAMESE_KEYS = {
    "tiêu đề": "Title",
    "ngày": "Date",
    "cơ quan": "Agency",
    "thẻ": "Tags",
    "chủ đề": "Tags",
    "tóm tắt": "Summary",
    "trạng thái": "Status",
    "sửa đổi": "Modified",
    "bí danh": "Aliases",
}
SUMMARY_MAX_CHARS = 300
#: A folder name's limit on the file systems a site is built and served from (ext4, APFS, NTFS: 255 bytes). Every
#: part of an address is a folder of the output; a longer one cannot be written, and stopped the build.
ADDRESS_PART_MAX_BYTES = 255
#: A release's Id is its permanent identity in feed entry ids (tag: URIs) and JSON-LD: URL-safe characters only.
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~-]*(?:/[A-Za-z0-9._~-]+)*$")


def too_long(part: str) -> bool:
    return len(part.encode("utf-8")) > ADDRESS_PART_MAX_BYTES


def address_words(text: str) -> str:
    """``text`` as Pelican makes an address of it by default (accents, spaces and punctuation out)."""
    return slugify(text, regex_subs=DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"])


@lru_cache(maxsize=4096)
def topic_slug(tag: str) -> str:
    """A tag's topic slug; an archive repeats a few hundred tags thousands of times."""
    return slugify(tag)


#: What `make new` writes in a body; a published release must not still contain it.
SCAFFOLD_PLACEHOLDER = "(make new)"


@dataclass
class Entry:
    """What the cross-file rules need to know of one content file."""

    path: str
    kind: str  # "release" or "page"
    key: str  # the translation key, e.g. "releases/2025/khai-truong"
    lang: str
    header: Header
    date: datetime | None = None
    agencies: tuple[str, ...] = ()
    slug: str | None = None
    status: str = "published"
    title: str = ""
    tags: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    identity: str = ""  # a release's permanent identity: its Id, else <YYYY>/<name>
    save_as: str | None = None
    links: list[tuple[str, str, int]] = field(default_factory=list)  # ("file" or "address", what, line) it links
    extra: dict[str, Any] = field(default_factory=dict)

    def line_of(self, key: str) -> int:
        found = self.header.first(key)
        return found.line if found else 1


def parse_date(value: str) -> datetime | None:
    match = DATE_RE.match(value.strip())
    if not match:
        return None
    parts = [int(p) if p else 0 for p in match.groups()]
    try:
        return datetime(*parts)
    except ValueError:
        return None


def nearest(word: str, choices: list[str]) -> str | None:
    found = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return found[0] if found else None


#: A header field indented with a tab: the meta extension takes only spaces for a continuation, and ends the header.
TAB_FIELD_RE = re.compile(r"^[ ]*\t\s*(?P<key>[A-Za-z0-9_-]+)\s*:")
#: A header field's name followed by its value without the colon.
NO_COLON_RE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z]+)[ \t]+(?P<value>[^:\s].*)$")


def _broken_field(path: str, header: Header, allowed) -> Diagnostic | None:
    """A line meant as a header field that ended the header instead: it and the lines after it are read as the
    release's text, and the fields there are missing (a tab before the name, no colon after it). A warning: the
    fields it hides are reported missing, at line 1, and a text may well start with such a word."""
    if header.ended_by is None:
        return None
    line = header.ended_by.value
    tabbed = TAB_FIELD_RE.match(line)
    if tabbed and tabbed["key"].lower() in allowed:
        return warning(
            path,
            header.ended_by.line,
            f"'{tabbed['key']}:' starts with a tab, which ends the header: this line and the lines after it are read "
            "as the text",
            f"remove the tab before '{tabbed['key']}:'",
        )
    bare = NO_COLON_RE.match(line)
    if bare and bare["key"].lower() in allowed and header.first(bare["key"].lower()) is None:
        return warning(
            path,
            header.ended_by.line,
            f"'{bare['key']}' has no ':' after it, which ends the header: this line and the lines after it are read "
            "as the text",
            f"write '{bare['key']}: {bare['value'].strip()}'",
        )
    return None


def check_header(
    path: str,
    text: str,
    kind: str,
    key: str,
    lang: str,
    agency_slugs: list[str] | None,
    settings: Mapping[str, Any],
) -> tuple[Entry, list[Diagnostic]]:
    """Check one file's header; return its entry and its problems."""
    header = parse_header(text)
    entry = Entry(path=path, kind=kind, key=key, lang=lang, header=header)
    problems: list[Diagnostic] = []
    allowed = RELEASE_KEYS if kind == "release" else PAGE_KEYS

    seen: dict[str, int] = {}
    for item in header.fields:
        if item.key in seen:
            problems.append(
                error(
                    path,
                    item.line,
                    f"'{item.key.title()}' is given twice (first on line {seen[item.key]})",
                    "keep one of them",
                )
            )
        seen.setdefault(item.key, item.line)
        if item.key not in allowed:
            guess = nearest(item.key, list(allowed))
            fix = f"did you mean '{guess.title()}'?" if guess else f"use only {', '.join(k.title() for k in allowed)}"
            problems.append(error(path, item.line, f"unknown field '{item.key.title()}'", fix))

    broken = _broken_field(path, header, allowed)
    if broken is not None:
        problems.append(broken)
    elif header.stray is not None:
        named = VIETNAMESE_KEYS.get(header.stray.key.lower())
        problems.append(
            warning(
                path,
                header.stray.line,
                f"'{header.stray.key}:' is read as the first line of the text, not as a header field",
                f"write '{named}:'"
                if named
                else "name header fields in English, as docs/publishing.md lists them, or leave a blank line "
                "between the header and the text",
            )
        )

    title = header.first("title")
    entry.title = title.value if title else ""
    if title is None or not title.value:
        where = title.line if title else 1
        problems.append(error(path, where, "the Title is missing", "add a line 'Title: ...' to the header"))

    status = header.first("status")
    if status is not None:
        entry.status = status.value.strip().lower()
        if entry.status not in STATUSES:
            problems.append(
                error(
                    path,
                    status.line,
                    f"Status '{status.value}' is not known",
                    "write 'Status: draft' or remove the line",
                )
            )

    slug = header.first("slug")
    if slug is not None:
        if not SLUG_RE.match(slug.value):
            problems.append(
                error(
                    path,
                    slug.line,
                    f"Slug '{slug.value}' is not lowercase ASCII with hyphens",
                    "write it like 'khai-truong-trung-tam' or remove the line to make it from the Title",
                )
            )
        elif too_long(slug.value):
            problems.append(
                error(
                    path,
                    slug.line,
                    f"Slug is {len(slug.value)} characters long, more than an address can hold "
                    f"({ADDRESS_PART_MAX_BYTES})",
                    "shorten it to a few words, like 'khai-truong-trung-tam'",
                )
            )
        else:
            entry.slug = slug.value
    elif title is not None and title.value:
        entry.slug = slugify(
            title.value,
            regex_subs=settings.get("SLUG_REGEX_SUBSTITUTIONS", []),
            preserve_case=settings.get("SLUGIFY_PRESERVE_CASE", False),
            use_unicode=settings.get("SLUGIFY_USE_UNICODE", False),
        )
        if not entry.slug:
            problems.append(
                error(path, title.line, "the Title makes an empty URL slug", "add a line 'Slug: some-words'")
            )
        elif too_long(entry.slug):
            problems.append(
                error(
                    path,
                    title.line,
                    f"the Title makes an address of {len(entry.slug)} characters, more than an address can hold "
                    f"({ADDRESS_PART_MAX_BYTES})",
                    "add a line 'Slug: a-few-words' with a short address for it",
                )
            )
            entry.slug = ""

    modified = header.first("modified")
    if modified is not None and parse_date(modified.value) is None:
        problems.append(error(path, modified.line, f"Modified '{modified.value}' is not a date and time", DATE_FIX))

    if kind == "release":
        problems.extend(_release_problems(path, header, entry, agency_slugs))
    return entry, problems


def _release_problems(path: str, header: Header, entry: Entry, agency_slugs: list[str] | None) -> list[Diagnostic]:
    """A release's own rules; ``agency_slugs`` is None when the registry could not be read (its error is enough)."""
    problems = []
    date = header.first("date")
    if date is None or not date.value:
        problems.append(
            error(path, date.line if date else 1, "the Date is missing", f"add a line 'Date: ...': {DATE_FIX}")
        )
    else:
        entry.date = parse_date(date.value)
        if entry.date is None:
            problems.append(error(path, date.line, f"Date '{date.value}' is not a date and time", DATE_FIX))
        modified = header.first("modified")
        parsed = parse_date(modified.value) if modified else None
        if entry.date and parsed and parsed < entry.date:
            problems.append(
                error(
                    path,
                    modified.line,
                    f"Modified '{modified.value}' is before the Date",
                    "Modified is when the release was last updated: set it after the Date",
                )
            )

    given = header.first("id")
    entry.identity = entry.key.removeprefix("releases/")
    if given is not None and given.value:
        if ID_RE.match(given.value) and ".." not in given.value.split("/"):
            entry.identity = given.value
        else:
            problems.append(
                error(
                    path,
                    given.line,
                    f"Id '{given.value}' cannot be a release's identity",
                    "use letters, digits and - _ . / only, like 'cms-2019/12345', or remove the line",
                )
            )
    elif not ID_RE.match(entry.identity):
        # The file's name is the release's identity, in every feed item's id (a tag URI: no spaces, ASCII).
        name = entry.key.rsplit("/", 1)[1]
        plain = address_words(name) or "ten-thong-cao"
        problems.append(
            error(
                path,
                1,
                f"the file name '{name}' is not plain ASCII: it is the release's permanent identity, in its feeds' ids",
                f"rename it {plain}.{entry.lang}.md (its other language's file too)",
            )
        )
    aliases = header.first("aliases")
    if aliases is not None:
        entry.aliases = split_list(aliases.value)
        for alias in entry.aliases:
            if not safe_alias(alias) or {".", ".."} & set(alias.split("/")):
                problems.append(
                    error(
                        path,
                        aliases.line,
                        f"alias '{alias}' is not a path on this site",
                        "write the former address as a path, like /2025/05/old-slug/ (letters, digits and - . _ ~ / "
                        "only; escape anything else with %, as the address had it)",
                    )
                )
            elif any(too_long(part) for part in alias.split("/")):
                problems.append(
                    error(
                        path,
                        aliases.line,
                        f"alias '{alias[:60]}...' has a part longer than an address can hold "
                        f"({ADDRESS_PART_MAX_BYTES} characters)",
                        "write the former address exactly as it was published",
                    )
                )
    tags = header.first("tags")
    if tags is not None:
        entry.tags = split_list(tags.value, unique=False)
        for tag in entry.tags:
            address = topic_slug(tag)
            if not address_words(tag):  # Pelican's topic page would have no address
                problems.append(
                    error(
                        path,
                        tags.line,
                        f"the topic '{tag}' makes no address: it has no letter or digit",
                        "name topics with words; topics are separated by commas",
                    )
                )
            elif too_long(address):
                problems.append(
                    error(
                        path,
                        tags.line,
                        f"the topic '{tag[:40]}...' makes an address of {len(address)} characters, more than an "
                        f"address can hold ({ADDRESS_PART_MAX_BYTES})",
                        "shorten the topic to a few words; topics are separated by commas",
                    )
                )
    summary = header.first("summary")
    if summary is not None and len(summary.value) > SUMMARY_MAX_CHARS:
        problems.append(
            warning(
                path,
                summary.line,
                f"the Summary is {len(summary.value)} characters long",
                f"keep it under {SUMMARY_MAX_CHARS}: one or two sentences that say what happened",
            )
        )

    agency = header.first("agency")
    if agency is None or not agency.value.strip(" ,"):
        fix = "add a line 'Agency: <slug>' with slugs from agencies.yml"
        problems.append(error(path, agency.line if agency else 1, "the Agency is missing", fix))
    else:
        slugs = split_list(agency.value, unique=False)
        for slug in slugs:
            if agency_slugs is not None and slug not in agency_slugs:
                guess = nearest(slug, agency_slugs)
                fix = (
                    f"did you mean '{guess}'?" if guess else "add the agency to agencies.yml or use a slug listed there"
                )
                problems.append(error(path, agency.line, f"unknown agency '{slug}'", fix))
        if len(set(slugs)) != len(slugs):
            problems.append(error(path, agency.line, "an agency is listed twice", "list each agency once"))
        entry.agencies = tuple(dict.fromkeys(slugs))
    return problems
