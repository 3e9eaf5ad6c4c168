"""Build the site into a fresh directory and swap it in only when the build succeeded.

A failed build (bad content, a template error, a crash) therefore leaves the last
good output exactly as it was.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
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


def load_settings(settings_file: str, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    return read_settings(settings_file, override=overrides or {})


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
    try:
        Pelican({**settings, "OUTPUT_PATH": staging}).run()
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
