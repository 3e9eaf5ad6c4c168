"""Pelican's Markdown reader with the release extension, sanitising and a lead summary."""

from __future__ import annotations

import functools
import os
import re

from markdown import Markdown
from pelican.readers import MarkdownReader
from pelican.utils import SafeDatetime, pelican_open, slugify

from plugins.sanitise import sanitiser_for

from .extension import ReleaseExtension


class _Converter:
    """One Markdown object and its release extension, reused file after file.

    Building a Markdown object (loading and registering every extension) costs about
    as much as converting a release; Pelican builds one per file. ``reset()`` clears
    what one document leaves behind (footnotes, abbreviations, heading ids, Meta).
    """

    def __init__(self, settings) -> None:
        options = dict(settings["MARKDOWN"])
        self.extension = ReleaseExtension(content_root=settings["PATH"])
        options["extensions"] = [*options.get("extensions", []), self.extension]
        self.md = Markdown(**options)
        preprocessors = self.md.preprocessors  # a Registry: no get()
        self._meta = preprocessors["meta"] if "meta" in preprocessors else None  # noqa: SIM401

    def ready(self, source_path: str) -> Markdown:
        self.md.reset()
        self.md.measured_images = []  # set again only by a conversion
        if self._meta is not None and "meta" not in self.md.preprocessors:
            # Pelican removes it before converting header fields, and removing twice
            # raises; 27 is the place markdown.extensions.meta gives it.
            self.md.preprocessors.register(self._meta, "meta", 27)
        self.extension.set_source_dir(os.path.dirname(source_path))
        return self.md


#: ``Date: 2025-03-14 09:30`` (seconds optional, or no time): the form staff write, and the
#: standard library reads it as Pelican's parser would (dateutil, 0.2 ms a file).
PLAIN_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?: [0-9]{2}:[0-9]{2}(?::[0-9]{2})?)?")


class ReleaseMarkdownReader(MarkdownReader):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._sanitiser = sanitiser_for(self.settings)

    # Made on first use: Pelican makes a reader per file extension for each of a build's
    # dozen generators (48 here), and only two or three ever read (0.15 s a build).
    @functools.cached_property
    def _body(self) -> _Converter:
        return _Converter(self.settings)

    @functools.cached_property
    def _fields(self) -> _Converter:
        # Pelican converts formatted header fields (Summary) with ``self._md`` after
        # removing its "meta" preprocessor; a second converter keeps the body's intact.
        return _Converter(self.settings)

    def process_metadata(self, name, value):
        if name in ("date", "modified") and isinstance(value, str) and PLAIN_DATE.fullmatch(value):
            try:
                return SafeDatetime.fromisoformat(value)
            except ValueError:
                pass  # not a date (2025-02-30): Pelican's parser says so, as always
        return super().process_metadata(name, value)

    def read(self, source_path):
        self._source_path = source_path
        body = self._body.ready(source_path)
        with pelican_open(source_path) as text:
            content = body.convert(text)
        lead = body.lead
        self._md = self._fields.ready(source_path)
        metadata = self._parse_metadata(body.Meta) if hasattr(body, "Meta") else {}
        measured = {*body.measured_images, *self._md.measured_images}  # the body's, and a Summary's
        if measured:
            metadata["measured_images"] = tuple(sorted(measured))
        if "summary" not in metadata and lead:
            metadata["summary"] = lead
        # Raw HTML in a body or summary keeps only what the allowlist permits, so the
        # page and every feed publish the same safe HTML.
        if isinstance(metadata.get("summary"), str):
            metadata["summary"] = self._sanitiser.clean(metadata["summary"])
        slug = title_slug(metadata.get("title"), self.settings) if "slug" not in metadata else None
        if slug is not None:
            metadata["slug"] = slug
        tags = metadata.get("tags")
        for tag in tags if isinstance(tags, list) else ():  # an empty Tags line: Pelican's marker to drop the field
            tag.slug  # noqa: B018 -- made now, it is kept in the cache with the tag (Pelican makes it lazily)
        return self._sanitiser.clean(content), metadata


#: The settings Pelican's slug from a title follows (pressroom.build keys the cache by them).
SLUG_SETTINGS = ("SLUGIFY_SOURCE", "SLUG_REGEX_SUBSTITUTIONS", "SLUGIFY_PRESERVE_CASE", "SLUGIFY_USE_UNICODE")


def title_slug(title: object, settings) -> str | None:
    """The slug Pelican would make from the title, made once and kept in the cache with the parse.

    Pelican slugifies every release's title again on every build (0.1 ms each, on the
    build's serial path), although the title is cached.
    """
    if settings["SLUGIFY_SOURCE"] != "title" or not isinstance(title, str):
        return None
    return slugify(
        title,
        regex_subs=settings.get("SLUG_REGEX_SUBSTITUTIONS", []),
        preserve_case=settings.get("SLUGIFY_PRESERVE_CASE", False),
        use_unicode=settings.get("SLUGIFY_USE_UNICODE", False),
    )
