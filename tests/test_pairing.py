"""Pairing translations group by group gives exactly what Pelican's own pairing gives."""

from __future__ import annotations

import logging

import pytest
from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG
from pelican.utils import process_translations as pelicans

from plugins.pairing import process_translations


def articles(specs: list[tuple]) -> list[Article]:
    """Articles from (key, lang, extra metadata) triples."""
    settings = {**DEFAULT_CONFIG, "DEFAULT_LANG": "vi"}
    made = []
    for number, (key, lang, extra) in enumerate(specs):
        metadata = {"title": f"T{number}", "lang": lang, "translation_key": key, "slug": f"s{number}", **extra}
        made.append(Article("<p>x</p>", metadata=metadata, settings=settings, source_path=f"/c/{number}.{lang}.md"))
    return made


SPECS = [
    ("releases/2025/a", "vi", {}),
    ("releases/2025/a", "en", {}),
    ("releases/2024/b", "en", {}),  # an English original: no Vietnamese version
    ("releases/2025/c", "vi", {}),
    ("releases/2025/c", "vi", {}),  # two Vietnamese versions: Pelican warns, both are originals
    ("releases/2023/d", "en", {"translation": "true"}),  # every item a translation: Pelican warns
    ("releases/2023/d", "vi", {"translation": "true"}),
    ("releases/2025/e", "en", {}),
    ("releases/2025/e", "vi", {"translation": "true"}),  # the Vietnamese one is marked a translation
    ("releases/2022/f", "vi", {}),
]


@pytest.fixture(autouse=True)
def every_warning():
    """Pelican logs a repeated message once per process; both runs here must log theirs."""
    logger = logging.getLogger("pelican.utils")
    logger.disable_filter()
    yield
    logger.enable_filter()


def pair(function, caplog) -> tuple[list, list, dict, list[str]]:
    items = articles(SPECS)
    order = list(reversed(items))  # not sorted: both sort in place
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        originals, translations = function(order, translation_id="translation_key")
    number = {id(item): n for n, item in enumerate(items)}
    paired = {number[id(item)]: sorted(number[id(other)] for other in item.translations) for item in items}
    messages = [record.getMessage().replace("\n", " ") for record in caplog.records]
    return [number[id(i)] for i in originals], [number[id(i)] for i in translations], paired, messages


def test_the_same_originals_translations_links_and_warnings_as_pelican(caplog):
    ours = pair(process_translations, caplog)
    theirs = pair(pelicans, caplog)
    assert ours == theirs
    originals, translations, paired, messages = ours
    assert 0 in originals and 1 in translations and 2 in originals
    assert paired[0] == [1] and paired[3] == [4]
    assert any("There are 2 items" in message for message in messages)


@pytest.mark.parametrize("translation_id", [None, "", ["translation_key", "lang"]])
def test_no_key_and_composite_keys_as_pelican(caplog, translation_id):
    ours = process_translations(articles(SPECS), translation_id=translation_id)
    theirs = pelicans(articles(SPECS), translation_id=translation_id)
    assert [[item.title for item in part] for part in ours] == [[item.title for item in part] for part in theirs]


def test_a_missing_key_is_explained_as_pelican_explains_it():
    with pytest.raises(AttributeError, match="Cannot use"):
        process_translations(articles(SPECS), translation_id="no_such_field")


def test_pelicans_generators_use_it():
    import pelican.generators

    from plugins.pairing import register

    register()
    assert pelican.generators.process_translations is process_translations
