"""The project's settings with the centre renamed: a change that every page shows around its text.

The benchmark's "every page changed" build uses it, as a CI job after a template, UI string
or navigation change would run: every page is rendered again, and what each shows of its
release (and what Pagefind reads) is the same.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pelicanconf import *  # noqa: E402,F403
from pelicanconf import SITE_NAMES  # noqa: E402

PATH = str(ROOT / "content")  # Pelican reads relative paths from this file's folder
THEME = str(ROOT / "theme")
SITENAME = "Trung tâm Báo chí Thủ đô Hà Nội"
SITE_NAMES = {**SITE_NAMES, "vi": SITENAME}
