"""Pelican's Markdown reader with the release extension, sanitising and a lead summary."""

from __future__ import annotations

import os

from markdown import Markdown
from pelican.readers import MarkdownReader
from pelican.utils import pelican_open

from plugins.sanitise import sanitiser_for

from .extension import ReleaseExtension


class ReleaseMarkdownReader(MarkdownReader):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._sanitiser = sanitiser_for(self.settings)

    def read(self, source_path):
        self._source_path = source_path
        options = dict(self.settings["MARKDOWN"])
        extension = ReleaseExtension(content_root=self.settings["PATH"], source_dir=os.path.dirname(source_path))
        options["extensions"] = [*options.get("extensions", []), extension]
        self._md = Markdown(**options)
        with pelican_open(source_path) as text:
            content = self._md.convert(text)
        lead = self._md.lead  # read now: converting the metadata below resets it
        metadata = self._parse_metadata(self._md.Meta) if hasattr(self._md, "Meta") else {}
        if "summary" not in metadata and lead:
            metadata["summary"] = lead
        # Raw HTML in a body or summary keeps only what the allowlist permits, so the
        # page and every feed publish the same safe HTML.
        if isinstance(metadata.get("summary"), str):
            metadata["summary"] = self._sanitiser.clean(metadata["summary"])
        return self._sanitiser.clean(content), metadata
