"""The live output's folders, made ahead in a build's staging folder by a niced helper process.

A rebuild links thousands of unchanged pages from the live output, each into a folder
of its own (``/YYYY/MM/slug/``). Making a folder took 130 us on the benchmark machine,
against 9 us for the link: 1.5 s of CPU at 5,000 releases, on the cores that render.
A process forked when the build starts makes the live output's folders in the staging
folder while the build reads its content (one core is mostly idle then), at a low
priority. The build makes any folder still missing itself, as before. The helper is
stopped once every page is written (plugins/parallel's barrier): Pelican then copies
the theme's files, checking that a folder exists before making it, which failed when
the helper made that folder in between.

Folders left empty are removed again before the output is swapped in, so the output
has exactly the folders its files need: an empty folder would still name a release
withheld since the last build.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterable

from pressroom.forking import end_child

#: Below the content check's: the check's verdict is on the build's path, these folders are not.
NICENESS = 15


def _make_like(live: str, staging: str, log: int) -> None:
    """Make every folder of ``live`` in ``staging``, parents first, each named in ``log`` before it is made."""
    folders = [""]
    while folders:
        relative = folders.pop()
        with os.scandir(os.path.join(live, relative)) as entries:
            children = [f"{relative}{entry.name}/" for entry in entries if entry.is_dir(follow_symlinks=False)]
        for child in children:
            os.write(log, f"{child}\n".encode("utf-8", "surrogateescape"))
            with contextlib.suppress(FileExistsError):  # the build made it first
                os.mkdir(os.path.join(staging, child))
        folders += children


#: The helpers of this process's builds that may still be making folders.
_making: list[FolderMaker] = []


def stop_folder_helpers() -> None:
    """Every page is written (plugins/parallel's barrier): stop the helpers now. Pelican copies the theme's files
    next, checking that a folder exists before it makes it, which a helper making that folder meanwhile broke."""
    for maker in list(_making):
        maker.stop()


class FolderMaker:
    """The helper making ``live``'s folders in ``staging``; ``finish()`` before ``staging`` is used or removed."""

    def __init__(self, live: str, staging: str) -> None:
        self.staging = staging
        self.pid: int | None = None
        self.log: str | None = None
        if not hasattr(os, "fork") or not os.path.isdir(live):
            return
        handle, self.log = tempfile.mkstemp(prefix="pressroom-folders-")
        sys.stdout.flush()
        sys.stderr.flush()
        parent = os.getpid()
        self.pid = os.fork()
        if self.pid == 0:  # the helper: make the folders, leave without cleanup
            code = 1
            try:
                os.nice(NICENESS)
                _make_like(live, staging, handle)
                code = 0
            except BaseException:  # a folder the helper could not make is made by the build
                pass
            finally:
                if os.getppid() != parent:  # the build was killed: its log is nobody's to remove
                    with contextlib.suppress(OSError):
                        os.remove(self.log)
                os._exit(code)
        os.close(handle)
        _making.append(self)

    def stop(self) -> None:
        """End the helper, not waiting for it: a folder it has yet to make is one no page needs. Niced under the
        rendering, it may have thousands left (a rebuild waited 1.3 s for them)."""
        if self.pid is None:
            return
        pid, self.pid = self.pid, None
        end_child(pid)
        with contextlib.suppress(ValueError):
            _making.remove(self)

    def finish(self, prune: bool, written: Iterable[str] = ()) -> None:
        """Stop the helper; with ``prune``, remove the folders it made that stayed empty (each is named in its log
        before it is made, so whatever it made is pruned). The folders of ``written`` files (relative paths) are
        known not to be empty: not tried (a failed removal of each of 12,500 folders took 0.05 s at the end of a
        rebuild at 5,000 releases)."""
        self.stop()
        if self.log is None:
            return
        log, self.log = self.log, None
        with open(log, encoding="utf-8", errors="surrogateescape") as handle:
            made = handle.read().split("\n")
        os.remove(log)
        if not prune:
            return
        used = _folders_of(written)
        for relative in reversed(made):  # children were named after their parents: deepest first
            if relative and relative not in used:
                with contextlib.suppress(OSError):  # not empty: the build used it
                    os.rmdir(os.path.join(self.staging, relative))


def _folders_of(files: Iterable[str]) -> set[str]:
    """Every folder (``a/b/``, as the helper's log names them) that holds one of ``files``, however deep."""
    folders: set[str] = set()
    for path in files:
        folder = path.rpartition("/")[0]
        while folder and folder + "/" not in folders:
            folders.add(folder + "/")
            folder = folder.rpartition("/")[0]
    return folders
