"""Images, files and the theme's assets: linked from the live output when unchanged.

Pelican copies every static file into the fresh output folder on every build (an
archive's photos can be gigabytes) and gives each copy a new modification time, so
rsync would upload them all again. Here a content file whose live copy has its size
and modification time is linked from the live output; any other is copied with its
time kept (``copy2``), and Pelican's own check (``STATIC_CHECK_IF_MODIFIED``) then
skips them all. After a fresh checkout (its times all new) a file whose bytes are the
live copy's is linked too, so an upload still skips it, and Pelican is kept from
copying the newer source over it. The theme's few assets, which Pelican always
copies, are linked afterwards where their bytes are unchanged. Nothing is written
into the live output.
"""

from __future__ import annotations

import filecmp
import os
import shutil

from pelican.generators import Generator

from pressroom.output import link_from_live, owns


def _same_file(source: str, previous: str) -> bool:
    """Same size and time, or (a fresh checkout's times) the same bytes."""
    try:
        a, b = os.stat(source), os.stat(previous)
        if a.st_size != b.st_size:
            return False
        return a.st_mtime_ns == b.st_mtime_ns or filecmp.cmp(source, previous, shallow=False)
    except OSError:
        return False


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


def never_copy_over_links(generator) -> None:
    """Keep Pelican's static generator from copying over a file linked from the live output.

    It copies a file whose source is newer than its output copy, and after a fresh
    checkout every source is: the copy would go through the link into the live output.
    A linked file was placed here because its bytes are the source's.
    """
    required = generator._file_update_required
    previous = generator.settings.get("PRESSROOM_PREVIOUS_OUTPUT")
    if not previous:
        return

    def update_required(staticfile) -> bool:
        target = os.path.join(generator.output_path, staticfile.save_as)
        try:
            if os.path.samefile(target, os.path.join(previous, staticfile.save_as)):
                return False
        except OSError:
            pass  # not in one output or the other
        return required(staticfile)

    generator._file_update_required = update_required


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
