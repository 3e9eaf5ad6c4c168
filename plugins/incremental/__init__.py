"""Rebuild only what changed: unchanged pages and files are linked from the live output.

plugins/parallel hands Pelican the reusing writer (its render workers extend it),
and pressroom.output writes feeds, maps and headers through the same ledger; this
plugin adds the static files, spares Pelican's generators the file hashing of a
cache layer that is off (stamps.py), and keeps the compiled templates (templates.py).
The ledger's record is saved when rendering ends, under the inode of the folder that
becomes the live output if the build succeeds.
"""

from pelican import signals

from .ledger import Ledger
from .stamps import skip_unused_stamps
from .static import get_generators, link_theme_assets, never_copy_over_links
from .templates import keep_compiled_templates
from .writer import ReusingWriter


def register() -> None:
    """Keep compiled templates; place static files before Pelican copies them; link unchanged theme assets after."""
    signals.initialized.connect(keep_compiled_templates)
    signals.article_generator_init.connect(skip_unused_stamps)
    signals.page_generator_init.connect(skip_unused_stamps)
    signals.get_generators.connect(get_generators)
    signals.static_generator_init.connect(never_copy_over_links)
    signals.finalized.connect(link_theme_assets)


__all__ = ["Ledger", "ReusingWriter", "register"]
