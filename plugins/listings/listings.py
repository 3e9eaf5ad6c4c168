"""Listings in every language: home, agencies, tags and years."""

from __future__ import annotations

from pelican import signals

from .generator import ListingsGenerator


def share_article_translations(generator) -> None:
    # Pelican puts only the originals in the shared context; listings need both languages.
    generator.context["article_translations"] = generator.translations


def share_page_translations(generator) -> None:
    generator.context["page_translations"] = generator.translations


def get_generators(pelican):
    return ListingsGenerator


def register() -> None:
    """Add the listings generator; it runs after articles and pages are read."""
    signals.article_generator_finalized.connect(share_article_translations)
    signals.page_generator_finalized.connect(share_page_translations)
    signals.get_generators.connect(get_generators)
