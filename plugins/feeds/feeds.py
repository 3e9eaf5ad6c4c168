"""Atom, RSS and JSON feeds beside every listing; OPML; subscribe pages."""

from __future__ import annotations

from pelican import signals

from .generator import FeedsGenerator


def get_generators(pelican):
    return FeedsGenerator


def register() -> None:
    """Add the feeds generator (after the listings generator: load this plugin after it)."""
    signals.get_generators.connect(get_generators)
