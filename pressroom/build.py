"""Build the site into a fresh directory and swap it in only when the build succeeded.

A failed build (bad content, a template error, a crash) therefore leaves the last
good output exactly as it was.
"""

from __future__ import annotations

import glob
import hashlib
import logging
import os
import shutil
import sys
import tempfile
import traceback
from typing import Any

from pelican import Pelican
from pelican.settings import read_settings

from pressroom.diagnostics import ContentError

logger = logging.getLogger("pressroom")


class _ErrorCounter(logging.Handler):
    """Counts ERROR records: Pelican logs some failures and carries on; we do not."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


#: The code whose output the content cache stores: change it and the cache starts afresh.
CACHED_CODE = ("plugins/release_markdown", "plugins/sanitise", "plugins/releases", "plugins/content_check")


def cache_path(settings: dict[str, Any]) -> str:
    """A cache folder per version of the reading code and its Markdown settings."""
    base = os.environ.get("PRESSROOM_CACHE_PATH") or settings.get("CACHE_PATH") or ".cache/pressroom"
    digest = hashlib.sha256(repr(sorted(settings.get("MARKDOWN", {}).items())).encode())
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for folder in CACHED_CODE:
        for name in sorted(glob.glob(os.path.join(root, folder, "*.py"))):
            with open(name, "rb") as handle:
                digest.update(handle.read())
    return os.path.join(os.path.abspath(base), digest.hexdigest()[:16])


def load_settings(settings_file: str, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    settings = read_settings(settings_file, override=overrides or {})
    if settings.get("CACHE_CONTENT"):
        settings["CACHE_PATH"] = cache_path(settings)
    return settings


def _swap_in(staging: str, output: str) -> None:
    if os.path.isdir(output):
        retired = tempfile.mkdtemp(prefix=".pressroom-old-", dir=os.path.dirname(output))
        os.rename(output, os.path.join(retired, "output"))
        os.rename(staging, output)
        shutil.rmtree(retired)
    else:
        os.rename(staging, output)


def build(settings: dict[str, Any], stderr=None) -> int:
    """Build ``settings['PATH']`` into ``settings['OUTPUT_PATH']``; return the exit code."""
    stderr = stderr or sys.stderr
    output = os.path.abspath(settings["OUTPUT_PATH"])
    parent = os.path.dirname(output)
    os.makedirs(parent, exist_ok=True)
    staging = tempfile.mkdtemp(prefix=".pressroom-build-", dir=parent)
    counter = _ErrorCounter()
    logging.getLogger().addHandler(counter)
    origin = os.getpid()
    try:
        try:
            Pelican({**settings, "OUTPUT_PATH": staging}).run()
        except BaseException:
            if os.getpid() != origin:  # a render worker (plugins/parallel) failed: report, never clean up
                traceback.print_exc()
                os._exit(1)
            raise
    except ContentError as problems:
        shutil.rmtree(staging, ignore_errors=True)
        print(problems.report(), file=stderr)
        print(f"error: {problems}; nothing was published, {output} is unchanged", file=stderr)
        return 1
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        logging.getLogger().removeHandler(counter)
    if counter.count:
        shutil.rmtree(staging, ignore_errors=True)
        print(f"error: the build logged {counter.count} error(s); {output} is unchanged", file=stderr)
        return 1
    os.chmod(staging, 0o755)
    _swap_in(staging, output)
    return 0
