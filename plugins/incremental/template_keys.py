"""Each page template's share of the theme: a page's key holds the theme files its template can show.

The theme was hashed whole into every page's key, so an edit of the release page's
template rendered the 11,000 listing pages again too, and an edit of a listing's
template the 9,300 release pages. A page template's key now holds every file of the
code and the theme but the other page templates (those at the top of ``templates/``)
that it does not use: the partials, the layout it extends and the UI catalogues count
for every page. Which templates a template uses is read from its source, as text (a
parse of every template by Jinja took 60 ms in each render process of every build):
every quoted ``*.html`` name, in ``extends``, ``include`` and ``import`` or in a call (as in
``shared_partial("partials/nav.html")``), followed from template to template; an
``extends``, ``include`` or ``import`` of anything but a quoted name (a computed one)
counts every template. A theme with template overrides (``THEME_TEMPLATES_OVERRIDES``)
is hashed whole.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any

from .keys import code_key, shown_settings, theme_files

#: A template named in a template's source, in quotes.
QUOTED_TEMPLATE = re.compile(r"""["']([A-Za-z0-9_./-]+\.html)["']""")
#: A tag that names a template by anything but a quoted name.
COMPUTED_REFERENCE = re.compile(r"""\{%-?\s*(?:extends|include|import|from)\s+(?:(?!["'])|["'][^"']*["']\s*[~+])""")


class TemplateKeys:
    """The part of a page's key that its template shares with every page of it: code, theme and settings."""

    def __init__(self, settings: Mapping[str, Any]):
        theme = os.path.abspath(settings["THEME"])
        self.files = theme_files(settings)
        self.settings = shown_settings(settings)
        self.folder = os.path.join(theme, "templates")
        self.whole = code_key(self.files, self.settings)
        self.split = not settings.get("THEME_TEMPLATES_OVERRIDES") and os.path.isdir(self.folder)
        self.pages = sorted(n for n in os.listdir(self.folder) if n.endswith(".html")) if self.split else []
        self.partials = self._partials() if self.split else []
        self.known: dict[str, str] = {}
        self.references: dict[str, list[str] | None] = {}

    def for_template(self, name: str | None) -> str:
        """The key part of pages rendered with the template ``name`` (relative to ``templates/``)."""
        if not self.split or name not in self.pages:
            return self.whole
        if name not in self.known:
            used = self._used({name, *self.partials})
            unused = {os.path.join(self.folder, page) for page in self.pages if page not in used}
            kept = [entry for entry in self.files if entry[0] not in unused]
            self.known[name] = code_key(kept, self.settings)
        return self.known[name]

    def _partials(self) -> list[str]:
        """Every template below the top of ``templates/``: shown by any page that includes it."""
        found = []
        for directory, _dirs, files in os.walk(self.folder):
            relative = os.path.relpath(directory, self.folder)
            if relative != ".":
                found += [os.path.join(relative, n).replace(os.sep, "/") for n in files if n.endswith(".html")]
        return found

    def _used(self, start: set[str]) -> set[str]:
        """``start`` and every template they use, followed from template to template."""
        used, todo = set(), list(start)
        while todo:
            name = todo.pop()
            if name in used:
                continue
            used.add(name)
            references = self._references(name)
            if references is None:
                return set(self.pages)  # a computed name: any template
            todo += references
        return used

    def _references(self, name: str) -> list[str] | None:
        """The templates ``name`` names; None if it computes a name."""
        if name not in self.references:
            try:
                with open(os.path.join(self.folder, name), encoding="utf-8") as handle:
                    source = handle.read()
            except OSError:
                source = ""
            computed = COMPUTED_REFERENCE.search(source) is not None
            self.references[name] = None if computed else QUOTED_TEMPLATE.findall(source)
        return self.references[name]
