"""Every UI string goes through gettext and is translated in every catalogue."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup, Comment, Doctype

from conftest import ROOT

TEMPLATES = ROOT / "theme" / "templates"
LANGS = ("vi", "en")
JINJA_RE = re.compile(r"{{.*?}}|{%.*?%}|{#.*?#}", re.S)
LABEL_ATTRIBUTES = ("aria-label", "title", "alt", "placeholder")


def template_messages() -> set[str]:
    """Every string marked for translation, found as `make catalogues` finds them (babel.cfg)."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found = extract_from_dir(str(ROOT), method_map, options_map)
    return {message if isinstance(message, str) else message[0] for _, _, message, _, _ in found}


def catalogue(lang: str):
    with open(ROOT / "theme" / "translations" / lang / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle, locale=lang)


@pytest.mark.parametrize("lang", LANGS)
def test_every_template_string_is_translated(lang):
    messages = template_messages()
    assert len(messages) > 20
    entries = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalogue(lang) if m.id}
    missing = sorted(messages - entries.keys())
    assert missing == [], f"add these to the {lang} catalogue (make catalogues)"
    untranslated = sorted(
        k for k in messages if not (entries[k].string if isinstance(entries[k].string, str) else all(entries[k].string))
    )
    assert untranslated == []
    fuzzy = sorted(k for k in messages if entries[k].fuzzy)
    assert fuzzy == []
    stale = sorted(entries.keys() - messages)
    assert stale == [], "remove strings no template uses any more"


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: p.name)
def test_templates_hold_no_visible_text_outside_gettext(template: Path):
    source = JINJA_RE.sub(" ", template.read_text(encoding="utf-8"))
    soup = BeautifulSoup(source, "html.parser")
    texts = [t for t in soup.find_all(string=True) if not isinstance(t, (Comment, Doctype))]
    stray = [text.strip() for text in texts if re.search(r"[^\W\d_]", text)]
    assert stray == []
    for attribute in LABEL_ATTRIBUTES:
        for tag in soup.find_all(attrs={attribute: True}):
            assert not re.search(r"[^\W\d_]", tag[attribute]), f"{attribute}={tag[attribute]!r}"
