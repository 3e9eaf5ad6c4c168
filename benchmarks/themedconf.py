"""The project's settings with the benchmark's copy of the theme, one line added to every page's footer.

The benchmark's "every page changed" build uses it, as a CI job after a template, style or
UI string change runs: every page is rendered again, and what each shows of its release
(and what Pagefind reads of it) is the same.
"""

import os
import sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent  # lower case: an upper-case name here would be a setting, and change keys
sys.path.insert(0, str(root))

from pelicanconf import *  # noqa: E402,F403

PATH = str(root / "content")  # Pelican reads relative paths from this file's folder
THEME = os.environ["PRESSROOM_BENCH_THEME"]  # benchmarks.bench.changed_theme
