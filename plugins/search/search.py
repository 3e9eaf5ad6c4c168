"""Search without a server: a page per language, and a Pagefind index built from the output.

Pagefind reads the finished HTML (releases and pages mark their text with
``data-pagefind-body``, their agencies, topics and year with ``data-pagefind-filter``)
and writes one index per ``<html lang>``. It runs on ``finalized``, when every page
is written and before the build is swapped in, so a failed index fails the build.
"""

from __future__ import annotations

import logging
import subprocess
import sys

from pelican import signals
from pelican.generators import Generator

from plugins.listings.generator import write_single_page

logger = logging.getLogger(__name__)


class SearchPagesGenerator(Generator):
    def generate_output(self, writer) -> None:
        for listing in self.context["site"].search.values():
            write_single_page(self, writer, listing, "search")


#: The pages Pagefind reads: releases (/YYYY/MM/slug/, /en/YYYY/MM/slug/) and content
#: pages (/slug/, /en/slug/). Only these carry data-pagefind-body; skipping the
#: thousands of listing pages saves a quarter of the indexing time and memory.
DEFAULT_GLOB = (
    "{[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html,*/[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html,"
    "*/index.html,*/*/index.html}"
)


class SearchIndexError(RuntimeError):
    """Pagefind failed; the build must not be published without its search."""


def build_index(pelican) -> None:
    if not pelican.settings.get("SEARCH_INDEX", True):
        return
    glob = pelican.settings.get("SEARCH_INDEX_GLOB", DEFAULT_GLOB)
    command = [sys.executable, "-m", "pagefind", "--site", pelican.output_path, "--quiet", "--glob", glob]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SearchIndexError(f"Pagefind could not index the site:\n{result.stdout}\n{result.stderr}")


def get_generators(pelican):
    return SearchPagesGenerator


def register() -> None:
    """Write the search pages; index the finished output with Pagefind."""
    signals.get_generators.connect(get_generators)
    signals.finalized.connect(build_index)
