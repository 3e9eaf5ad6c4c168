"""The folders a build keeps beside the output, named after the process that made them, and swept when it is gone.

A build writes into ``.pressroom-build-<pid>-*`` and moves the output it replaces into
``.pressroom-old-<pid>-*``, deleted in the background. A build killed outright
(``kill -9``, the machine's memory running out, a power cut) or a deletion cut short
leaves them behind: hidden, and as large as the site. The next build into the same
place deletes those whose process no longer runs; a folder of a build still running
(another one into the same output) is left alone.

The cache's files are written whole under a temporary name with the writer's process in
it; one killed while writing leaves that file, which the next successful build deletes
the same way.
"""

from __future__ import annotations

import os
import re
import tempfile

STAGING_PREFIX = ".pressroom-build-"
RETIRED_PREFIX = ".pressroom-old-"
LEFTOVER = re.compile(r"^\.pressroom-(build|old)-([0-9]+)-")
#: A file being written whole (``pressroom.output.replace_file``): named by its writer's process.
TEMPORARY = re.compile(r"\.([0-9]+)\.tmp$")


def staging_folder(parent: str) -> str:
    """A new, empty folder for this build to write into."""
    return tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=parent)


def retired_folder(parent: str) -> str:
    """A new folder to move the replaced output into."""
    return tempfile.mkdtemp(prefix=f"{RETIRED_PREFIX}{os.getpid()}-", dir=parent)


def running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's: running
        return True
    return True


def stale(parent: str, *, retired: bool = True) -> list[str]:
    """The leftover folders in ``parent`` whose build no longer runs (``retired``: replaced outputs too)."""
    found = []
    try:
        names = os.listdir(parent)
    except OSError:
        return []
    for name in sorted(names):
        match = LEFTOVER.match(name)
        if match is None or (match[1] == "old" and not retired):
            continue
        path = os.path.join(parent, name)
        if os.path.isdir(path) and not os.path.islink(path) and not running(int(match[2])):
            found.append(path)
    return found


def stale_temporaries(folder: str) -> list[str]:
    """Files in ``folder`` that a process killed while writing them left half written."""
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    found = []
    for name in sorted(names):
        match = TEMPORARY.search(name)
        if match and not running(int(match[1])) and os.path.isfile(os.path.join(folder, name)):
            found.append(os.path.join(folder, name))
    return found
