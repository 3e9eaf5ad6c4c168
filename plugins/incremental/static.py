"""Images, files and the theme's assets: linked from the live output when unchanged.

Pelican copies every static file into the fresh output folder on every build (an
archive's photos can be gigabytes) and gives each copy a new modification time, so
rsync would upload them all again. Here a content file whose live copy has its size
and modification time is linked from the live output; any other is copied with its
time kept (``copy2``), and Pelican's own check (``STATIC_CHECK_IF_MODIFIED``) then
skips them all. The theme's few assets, which Pelican always copies, are linked
afterwards where their bytes are unchanged. Nothing is written into the live output.
"""

from __future__ import annotations

import filecmp
import os
import shutil

from pelican.generators import Generator

from pressroom.output import link_from_live, owns


def _same_file(source: str, previous: str) -> bool:
    try:
        a, b = os.stat(source), os.stat(previous)
    except OSError:
        return False
    return a.st_size == b.st_size and a.st_mtime_ns == b.st_mtime_ns


class StaticReuse(Generator):
    """Places the content's static files; runs before Pelican's static generator (always last)."""

    def generate_output(self, writer) -> None:
        if not self.settings.get("STATIC_CHECK_IF_MODIFIED"):
            return  # Pelican would copy over these files
        previous = self.settings.get("PRESSROOM_PREVIOUS_OUTPUT") or ""
        for static in self.context.get("staticfiles", []):
            if not static.save_as or not owns(writer, static.save_as):
                continue
            source = os.path.join(self.path, static.source_path)
            target = os.path.join(self.output_path, static.save_as)
            if os.path.exists(target):
                continue
            live = os.path.join(previous, static.save_as)
            if previous and _same_file(source, live):
                link_from_live(live, target)
            else:
                os.makedirs(os.path.dirname(target), exist_ok=True)
                shutil.copy2(source, target)


def link_theme_assets(pelican) -> None:
    """Swap Pelican's fresh copies of the theme's assets for the live files where the bytes are equal."""
    previous = pelican.settings.get("PRESSROOM_PREVIOUS_OUTPUT")
    folder = pelican.settings.get("THEME_STATIC_DIR", "theme")
    if not previous or not os.path.isdir(os.path.join(previous, folder)):
        return
    for directory, _dirs, files in os.walk(os.path.join(pelican.output_path, folder)):
        for name in files:
            target = os.path.join(directory, name)
            live = os.path.join(previous, os.path.relpath(target, pelican.output_path))
            if os.path.isfile(live) and filecmp.cmp(target, live, shallow=False):
                os.remove(target)  # Pelican's fresh copy: a file of this build only
                link_from_live(live, target)


def get_generators(pelican):
    return StaticReuse
