"""One build at a time into an output folder.

Two builds into the same output (the dev server rebuilding while ``make html`` runs, a
scheduled publish overlapping a manual one) would each swap in their own folder: the one
that ends last wins, though it may have read older content or an earlier "now", and both
write the same records in the cache. A build takes a lock beside the output first; a
second one says what it is waiting for and starts when the first has ended. The lock is
the operating system's (``flock``), so a build killed outright holds it no longer.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import TextIO

try:
    import fcntl
except ImportError:  # no flock (Windows): builds are not serialised
    fcntl = None


def lock_path(output: str) -> str:
    """Beside the output, named after it: ``.output.pressroom-lock`` (it stays, holding the last build's process)."""
    return os.path.join(os.path.dirname(output), f".{os.path.basename(output)}.pressroom-lock")


@contextlib.contextmanager
def one_build_at_a_time(output: str, stderr: TextIO) -> Iterator[None]:
    """Hold the output's lock, waiting (and saying so) while another build holds it."""
    if fcntl is None:
        yield
        return
    with open(lock_path(output), "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "?"
            print(f"waiting for the build into {output} that is running (process {holder}) to end", file=stderr)
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
