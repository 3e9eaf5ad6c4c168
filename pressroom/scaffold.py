"""``make new``: a correctly named release file with a complete header.

A new release starts as a draft (``Status: draft``), so an unfinished file can be
merged and built without publishing anything; deleting that line publishes it.
"""

from __future__ import annotations

import os

from pelican.utils import slugify

from plugins.content_check.header import split_list
from plugins.content_check.rules import SCAFFOLD_PLACEHOLDER, nearest, parse_date
from pressroom.clock import local_now
from pressroom.config import SiteConfig

NAME_MAX = 60
PLACEHOLDER = SCAFFOLD_PLACEHOLDER
BODY = {
    "vi": f"Viết đoạn mở đầu ở đây: ai, làm gì, khi nào, ở đâu. {PLACEHOLDER}",
    "en": f"Write the opening paragraph here: who, what, when, where. {PLACEHOLDER}",
}
#: A translation stub's title, with the placeholder: the check refuses to publish it as it is.
TRANSLATION_TITLE = {"vi": f"Bản dịch của: {{title}} {PLACEHOLDER}", "en": f"Translation of: {{title}} {PLACEHOLDER}"}


class ScaffoldError(Exception):
    """The request cannot be scaffolded; the message says how to fix it."""


def file_name(title: str, regex_subs=()) -> str:
    """An ASCII name for the file, from the title, cut at a word boundary."""
    name = slugify(title, regex_subs=list(regex_subs))
    while len(name) > NAME_MAX and "-" in name:
        name = name.rsplit("-", 1)[0]
    if not name:
        raise ScaffoldError("the TITLE makes an empty file name: write it in words")
    return name


def release_text(title: str, date: str, agencies: str, tags: str, body: str) -> str:
    lines = [f"Title: {title}", f"Date: {date}", f"Agency: {agencies}"]
    if tags:
        lines.append(f"Tags: {tags}")
    lines.append("Status: draft")
    return "\n".join(lines) + "\n\n" + body + "\n"


def new_release(
    root: str,
    config: SiteConfig,
    agency_slugs: list[str],
    title: str,
    agency: str,
    lang: str = "",
    date: str = "",
    tags: str = "",
    translation: bool = False,
    timezone: str = "Asia/Ho_Chi_Minh",
    slug_substitutions=(),
) -> list[str]:
    """Write the release (and its translation stub); return the paths written."""
    lang = lang or config.default_lang
    if lang not in config.codes:
        raise ScaffoldError(f"LANG={lang} is not one of {', '.join(config.codes)}")
    if not title.strip():
        raise ScaffoldError('give the title: make new TITLE="..." AGENCY=...')
    slugs = list(split_list(agency))
    if not slugs:
        raise ScaffoldError("give the issuing agency: make new AGENCY=so-y-te TITLE=...")
    for slug in slugs:
        if slug not in agency_slugs:
            guess = nearest(slug, agency_slugs)
            hint = f"did you mean '{guess}'?" if guess else "see content/agencies.yml"
            raise ScaffoldError(f"unknown agency '{slug}' ({hint})")
    if date:
        when = parse_date(date)
        if when is None:
            raise ScaffoldError(f"DATE='{date}' is not a date and time (write YYYY-MM-DD HH:MM, Hanoi time)")
    else:
        when = local_now(timezone).replace(second=0)
    stamp = when.strftime("%Y-%m-%d %H:%M")
    folder = os.path.join(root, "releases", f"{when:%Y}")
    name = file_name(title, slug_substitutions)
    languages = [lang] + ([code for code in config.codes if code != lang] if translation else [])
    paths = [os.path.join(folder, f"{name}.{code}.md") for code in languages]
    for path in paths:
        if os.path.exists(path):
            raise ScaffoldError(f"{path} already exists: choose another TITLE or edit that file")
    os.makedirs(folder, exist_ok=True)
    agencies = ", ".join(slugs)
    for code, path in zip(languages, paths, strict=True):
        heading = title if code == lang else TRANSLATION_TITLE.get(code, "{title}").format(title=title)
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(
                release_text(heading, stamp, agencies, tags if code == lang else "", BODY.get(code, PLACEHOLDER))
            )
    return paths
