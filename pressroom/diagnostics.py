"""Content problems reported to staff as ``path:line: severity: message (fix)``.

Every check in the project speaks through :class:`Diagnostic`, so `make check` and
`make html` print the same lines, in the format editors and CI annotate.
"""

from __future__ import annotations

import os
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
