"""Read ``.md`` content with :class:`ReleaseMarkdownReader`."""

from __future__ import annotations

from pelican import signals

from .extension import measured_images_unchanged
from .reader import ReleaseMarkdownReader


def use_release_reader(readers) -> None:
    for extension in ReleaseMarkdownReader.file_extensions:
        if extension in readers.reader_classes:
            readers.reader_classes[extension] = ReleaseMarkdownReader
    cached, sizes = readers.get_cached_data, {}

    def get_cached_data(filename, default=None):
        """A cached parse, unless an image it measured has another size now (a photo replaced)."""
        data = cached(filename, default)
        if data is not default and not measured_images_unchanged(data[1] or {}, readers.settings["PATH"], sizes):
            return default
        return data

    readers.get_cached_data = get_cached_data


def register() -> None:
    """Replace Pelican's Markdown reader for every Markdown file extension."""
    signals.readers_init.connect(use_release_reader)
