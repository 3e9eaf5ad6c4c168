"""A file's stamp (size, mtime, inode), and whether a recorded stamp still vouches for its bytes.

The article store and the content check both skip reading files that did not change.
A stamp taken in the same clock tick as an edit can miss a second edit that keeps the
size and the time, so a stamp vouches only for a file that was already ``RACY_NS`` old
when the stamp was recorded.
"""

from __future__ import annotations

import os

#: A file modified this close before its stamp was recorded may change again unseen by its stamp.
RACY_NS = 2_000_000_000

Stamp = tuple[int, int, int]


def stamp(path: str) -> Stamp:
    """Size, mtime (ns) and inode of ``path`` (raises OSError as ``os.stat`` does)."""
    found = os.stat(path)
    return found.st_size, found.st_mtime_ns, found.st_ino


def vouches(recorded: Stamp | None, seen: int, current: Stamp) -> bool:
    """Whether ``recorded``, taken at ``seen`` (ns), says the file with stamp ``current`` is unchanged."""
    return recorded == current and current[1] < seen - RACY_NS
