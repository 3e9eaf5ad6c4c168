"""Pair language versions in time linear in the archive, with Pelican's own rules.

Pelican's ``process_translations`` sorts the content by translation key, picks each
group's original with ``get_original_items`` and then finds the translations with
``x not in index`` over the list of originals: quadratic. At 5,000 releases that is
0.85 s of every build, at 20,000 12 s (18,000 originals times 37,000 items); group by
group, 0.09 s and 0.2 s.

This calls Pelican's function once per group of one translation key, where the
quadratic step compares two or three items, and joins the results in Pelican's order.
Everything else (the sort, which item is the original, ``item.translations``, the
warnings about duplicates) is Pelican's own code. ``generators.py`` imported the
function by name, so its binding there is what we replace.
"""

from __future__ import annotations

import itertools
from operator import attrgetter

import pelican.generators
from pelican.utils import process_translations as pelicans_process_translations


def process_translations(content_list: list, translation_id=None) -> tuple[list, list]:
    """Pelican's ``process_translations``, group by group."""
    if not translation_id:
        return pelicans_process_translations(content_list, translation_id)
    fields = [translation_id] if isinstance(translation_id, str) else translation_id
    key = attrgetter(*fields)  # as Pelican builds it, so that the sort is the same
    try:
        content_list.sort(key=key)
    except (TypeError, AttributeError):  # Pelican explains a bad translation_id
        return pelicans_process_translations(content_list, translation_id)
    originals: list = []
    translations: list = []
    for _value, group in itertools.groupby(content_list, key):
        index, others = pelicans_process_translations(list(group), translation_id)
        originals += index
        translations += others
    return originals, translations


def register() -> None:
    """Have Pelican's generators pair translations group by group."""
    pelican.generators.process_translations = process_translations
