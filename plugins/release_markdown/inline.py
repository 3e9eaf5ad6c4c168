"""Python-Markdown's inline processing, trying a pattern only on text that could match it.

For every run of text, Python-Markdown tries each of its fifteen inline patterns in
turn (code, escapes, links, images, autolinks, HTML, entities, emphasis), though most
of a release's text holds none of the characters they start with: that loop was a
third of a release's conversion. Each pattern we know is given the characters
without which its expression cannot match; text without any of them goes straight
to the next pattern, exactly as if the pattern had been tried and had not matched.
Patterns we do not know are always tried. The output is byte for byte Python-Markdown's
own (``tests/test_markdown_speed.py`` converts every sample release and every pattern both ways).
"""

from __future__ import annotations

import xml.etree.ElementTree as etree  # noqa: N813 (the name Python-Markdown uses)

from markdown import util
from markdown.inlinepatterns import InlineProcessor as InlinePattern
from markdown.treeprocessors import InlineProcessor

#: Python-Markdown 3.11's inline patterns, by registered name: text that holds none of
#: these strings cannot match the pattern's expression (read off each one).
TRIGGERS: dict[str, tuple[str, ...]] = {
    "backtick": ("`",),
    "escape": ("\\",),
    "footnote": ("[^",),
    "reference": ("[",),
    "link": ("[",),
    "image_link": ("![",),
    "image_reference": ("![",),
    "short_reference": ("[",),
    "short_image_ref": ("![",),
    "autolink": ("<",),
    "automail": ("<",),
    "linebreak": ("  \n",),
    "html": ("<",),
    "entity": ("&",),
    "em_strong": ("*", "_"),
}


class SkippingInlineProcessor(InlineProcessor):
    """Python-Markdown's ``inline`` treeprocessor with the pattern loop above."""

    def run(self, tree: etree.Element, ancestors: list[str] | None = None) -> etree.Element:
        registry = self.inlinePatterns
        registry._sort()  # its order, read from its own list: its public lookups cost more than a conversion's saving
        self._patterns = []  # (pattern, the strings it needs, or None: always tried)
        for item in registry._priority:
            pattern = registry._data[item.name]
            triggers = TRIGGERS.get(item.name) if isinstance(pattern, InlinePattern) else None
            self._patterns.append((pattern, triggers))
        return super().run(tree, ancestors)

    def _handle_inline(self, data: str, index: int = 0) -> str:
        if isinstance(data, util.AtomicString):
            return data
        patterns = self._patterns
        apply = self._InlineProcessor__applyPattern
        start = 0
        while index < len(patterns):
            pattern, triggers = patterns[index]
            if triggers is not None and not any(trigger in data for trigger in triggers):
                index += 1  # as a pattern that did not match
                start = 0
                continue
            data, matched, start = apply(pattern, data, index, start)
            if not matched:
                index += 1
        return data

    # Python-Markdown calls it by its private name, from run() and for the text of what a pattern made.
    _InlineProcessor__handleInline = _handle_inline
