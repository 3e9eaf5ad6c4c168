"""The folders a build keeps beside the output, named after the process that made them, and swept when it is gone.

A build writes into ``.pressroom-build-<pid>-*`` and moves the output it replaces into
``.pressroom-old-<pid>-*``, deleted in the background. A build killed outright
(``kill -9``, the machine's memory running out, a power cut) or a deletion cut short
leaves them behind: hidden, and as large as the site. The next build into the same
place deletes those whose process no longer runs; a folder of a build still running
(another one into the same output) is left alone.

Files in the cache are named the same way and removed the same way (``orphans``): one
written whole under a temporary name with its writer's process in it, left half written
by a writer killed meanwhile, and a render worker's share of the record of renders, left
by a build stopped before it gathered it (plugins/incremental).
"""

from __future__ import annotations

import os
import re
import tempfile

STAGING_PREFIX = ".pressroom-build-"
RETIRED_PREFIX = ".pressroom-old-"
#: Names that carry the process they belong to (group ``pid``):
STAGING = re.compile(r"^\.pressroom-build-(?P<pid>[0-9]+)-")  # a build's folder
RETIRED = re.compile(r"^\.pressroom-old-(?P<pid>[0-9]+)-")  # the output a build replaced, being deleted
TEMPORARY = re.compile(r"\.(?P<pid>[0-9]+)\.tmp$")  # a file being written whole (``pressroom.output.replace_file``)


def staging_folder(parent: str) -> str:
    """A new, empty folder for this build to write into."""
    return tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=parent)


def retired_folder(parent: str) -> str:
    """A new folder to move the replaced output into."""
    return tempfile.mkdtemp(prefix=f"{RETIRED_PREFIX}{os.getpid()}-", dir=parent)


def running(pid: int) -> bool:
    """Whether process ``pid`` exists (this one does)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's: running
        return True
    return True


def orphans(folder: str, name: re.Pattern[str]) -> list[str]:
    """The entries of ``folder`` whose ``name`` names (its group ``pid``) a process that no longer runs."""
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    found = []
    for entry in names:
        match = name.search(entry)
        if match is not None and not running(int(match["pid"])):
            found.append(os.path.join(folder, entry))
    return found


def stale(parent: str, *, retired: bool = True) -> list[str]:
    """The leftover folders in ``parent`` whose build no longer runs (``retired``: replaced outputs too)."""
    found = orphans(parent, STAGING) + (orphans(parent, RETIRED) if retired else [])
    return [path for path in found if os.path.isdir(path) and not os.path.islink(path)]


def stale_temporaries(folder: str) -> list[str]:
    """Files in ``folder`` that a process killed while writing them left half written."""
    return [path for path in orphans(folder, TEMPORARY) if os.path.isfile(path)]
