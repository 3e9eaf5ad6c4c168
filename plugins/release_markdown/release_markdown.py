"""Read ``.md`` content with :class:`ReleaseMarkdownReader`."""

from __future__ import annotations

from pelican import signals

from .reader import ReleaseMarkdownReader


def use_release_reader(readers) -> None:
    for extension in ReleaseMarkdownReader.file_extensions:
        if extension in readers.reader_classes:
            readers.reader_classes[extension] = ReleaseMarkdownReader


def register() -> None:
    """Replace Pelican's Markdown reader for every Markdown file extension."""
    signals.readers_init.connect(use_release_reader)
