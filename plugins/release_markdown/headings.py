"""Heading ids from Python-Markdown's ``toc`` extension, its table of contents made only where asked for.

The ``toc`` extension gives every heading an id, and builds, serialises and looks for
the place of a table of contents in every document: a tenth of a release's
conversion, for a table that only a ``[TOC]`` line shows. The table is built as
before when the document has that marker; without it, the extension still gives the
headings their ids, and ``md.toc`` (which nothing here reads) stays an empty ``<div>``.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree  # noqa: N813 (the name Python-Markdown uses)

from markdown.extensions.toc import TocExtension, TocTreeprocessor


class HeadingIdsProcessor(TocTreeprocessor):
    _asked = True

    def run(self, doc: etree.Element) -> None:
        # An element whose text is the marker comes from a line that holds it: escapes,
        # entities and raw HTML are still placeholders when this runs.
        lines = getattr(self.md, "lines", None)  # the source after preprocessing
        self._asked = bool(self.marker) and (lines is None or any(self.marker in line for line in lines))
        super().run(doc)

    def build_toc_div(self, toc_list: list) -> etree.Element:
        return super().build_toc_div(toc_list) if self._asked else etree.Element("div")

    def replace_marker(self, root: etree.Element, elem: etree.Element) -> None:
        if self._asked:
            super().replace_marker(root, elem)


class HeadingIdsExtension(TocExtension):
    TreeProcessorClass = HeadingIdsProcessor
