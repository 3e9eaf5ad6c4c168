"""Content problems reported to staff as ``path:line: severity: message (fix)``.

Every check in the project speaks through :class:`Diagnostic`, so `make check` and
`make html` print the same lines, in the format editors and CI annotate.
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


def display_path(path: str | os.PathLike[str]) -> str:
    """The path as staff typed it: relative to the working directory when inside it."""
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute, os.getcwd())
    return absolute if relative.startswith("..") else relative


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int | None
    severity: Severity
    message: str
    fix: str = ""

    def __str__(self) -> str:
        where = f"{display_path(self.path)}:{self.line}" if self.line else display_path(self.path)
        fix = f" ({self.fix})" if self.fix else ""
        return f"{where}: {self.severity}: {self.message}{fix}"


def error(path, line, message, fix="") -> Diagnostic:
    return Diagnostic(str(path), line, "error", message, fix)


def warning(path, line, message, fix="") -> Diagnostic:
    return Diagnostic(str(path), line, "warning", message, fix)


class ContentError(Exception):
    """The content cannot be published as it is; carries every problem found.

    Raised instead of logging so that a build stops with a non-zero exit before
    anything is written, and the command line prints the diagnostics without a
    Python traceback.
    """

    exitcode = 1

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = sorted(diagnostics)
        count = len(self.diagnostics)
        super().__init__(f"{count} content error{'s' if count != 1 else ''}")

    def report(self) -> str:
        return "\n".join(str(d) for d in self.diagnostics)


#: What Pelican logs for a file its reader failed on, with neither the reason nor a fix (its traceback in DEBUG only).
UNREADABLE = "Could not process %s"


class ReadFailureReasons(logging.Filter):
    """Gives Pelican's "Could not process <file>" the reason and a fix, in the diagnostics' form.

    The content check foresees what staff get wrong; this is for what it did not: the
    build still stops (an error), and the line names the file, what was raised and what to do.
    Pelican logs inside its ``except`` block, so the exception is still at hand.
    """

    def __init__(self, content: str) -> None:
        super().__init__()
        self.content = content  # Pelican names the file relative to it

    def filter(self, record: logging.LogRecord) -> bool:
        reason = sys.exc_info()[1]
        if record.msg == UNREADABLE and record.args and reason is not None:
            name = record.args[0] if isinstance(record.args, tuple) else record.args
            path = os.path.join(self.content, str(name))
            message = f"{type(reason).__name__}: {reason}".strip().replace("\n", " ")
            problem = error(
                path,
                None,
                f"this file could not be read ({message})",
                "check its header and text against the content format in the README; if they look right, "
                "report this line with the file to the site's maintainers",
            )
            record.msg, record.args = "%s", (str(problem),)
        return True


#: The logger Pelican's generators report unreadable files on.
READING_LOGGER = "pelican.generators"
