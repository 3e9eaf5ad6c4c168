"""The theme's UI translation catalogues: one ``messages.po`` per language.

Catalogues are compiled in memory at build time, so the repository holds only the
``.po`` files that translators edit and no compiled ``.mo`` can go stale.
"""

from __future__ import annotations

import os
from io import BytesIO

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

CATALOGUE = os.path.join("translations", "{lang}", "LC_MESSAGES", "messages.po")


def catalogue_path(theme: str, lang: str) -> str:
    return os.path.join(theme, CATALOGUE.format(lang=lang))


def load_translations(theme: str, lang: str) -> Translations:
    path = catalogue_path(theme, lang)
    with open(path, "rb") as handle:
        catalogue = read_po(handle, locale=lang)
    compiled = BytesIO()
    write_mo(compiled, catalogue)  # fuzzy entries are left out, as msgfmt does
    compiled.seek(0)
    return Translations(compiled)
