"""Listings in every language: home, agencies, tags and years."""

from __future__ import annotations

from pelican import signals

from .generator import ListingsGenerator


def share_article_translations(generator) -> None:
    # Pelican puts only the originals in the shared context; listings need both languages.
    generator.context["article_translations"] = generator.translations


#: Pelican's own taxonomy pages: the setting that turns each off, and the method that writes them.
PELICAN_TAXONOMY_PAGES = {
    "TAG_SAVE_AS": "generate_tags",
    "CATEGORY_SAVE_AS": "generate_categories",
    "AUTHOR_SAVE_AS": "generate_authors",
}


def skip_unwritten_taxonomy_pages(generator) -> None:
    """Don't let Pelican prepare taxonomy pages it will not write.

    Its loop tests every release against every tag's list before finding that the page
    has no file name: quadratic, 2 s at 5,000 releases, for nothing.
    """
    for setting, method in PELICAN_TAXONOMY_PAGES.items():
        if not generator.settings.get(setting):
            setattr(generator, method, _write_nothing)


def _write_nothing(write) -> None:
    return None


def share_page_translations(generator) -> None:
    generator.context["page_translations"] = generator.translations


def get_generators(pelican):
    return ListingsGenerator


def register() -> None:
    """Add the listings generator; it runs after articles and pages are read."""
    signals.article_generator_finalized.connect(share_article_translations)
    signals.article_generator_finalized.connect(skip_unwritten_taxonomy_pages)
    signals.page_generator_finalized.connect(share_page_translations)
    signals.get_generators.connect(get_generators)
