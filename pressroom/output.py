"""Writing files outside Pelican's templates: shared by the plugins that write feeds, maps and headers.

Three rules hold for every file: in a build split across processes (plugins/parallel)
only the process that owns a path writes it; a file whose bytes did not change since
the live output is linked from it, not rewritten (its modification time stays, so
rsync and ``s3 sync`` skip it); and a file whose key did not change is not even
made again (plugins/incremental).
"""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import shutil
from collections.abc import Callable
from typing import Any, BinaryIO, TypeVar

T = TypeVar("T")


def making_folder(action: Callable[[], T], path: str) -> T:
    """``action()`` on ``path``, done again after making its folder if that was missing.

    Tried without first: Pelican's writer has made the folder of nearly every page, and
    making a folder that exists costs system calls per file (22,000 files a rebuild).
    """
    try:
        return action()
    except FileNotFoundError:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        return action()


def link_from_live(live: str, target: str) -> None:
    """Put the live output's file at ``target`` (a new name, never a write into the live file).

    A hard link keeps its inode and modification time; across file systems, or where
    hard links are refused, a copy keeps the time. ``target`` must not exist yet.
    """
    try:
        making_folder(lambda: os.link(live, target), target)
    except FileExistsError:
        raise
    except OSError:
        temporary = f"{target}.pressroom-tmp"
        shutil.copy2(live, temporary)
        os.replace(temporary, target)


def owns(writer, key: str) -> bool:
    """Whether this process writes ``key`` (always, when the build is not split)."""
    check = getattr(writer, "owns", None)
    return True if check is None else check(key)


def owns_share(writer, share: int) -> bool:
    """Whether this process writes the ``share``-th of a set of groups handed out in turn.

    For files that are cheaper made together than spread by path: a group's files
    share work (the feeds of one language share their entries) that would otherwise
    be done again in every process holding one of them.
    """
    return share % getattr(writer, "shards", 1) == getattr(writer, "shard", 0)


def reuse(writer, relative: str, key: str) -> bool:
    """Link ``relative`` from the live output if it was made from ``key``; True if it was."""
    ledger = getattr(writer, "ledger", None)
    return ledger is not None and ledger.reuse(relative, key)


def write_bytes(writer, relative: str, data: bytes | str, key: str | None = None) -> bool:
    """Write ``data`` at ``relative`` in the output, recording ``key``; True if new bytes were written."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    ledger = getattr(writer, "ledger", None)
    if ledger is not None:
        return ledger.write(relative, data, key)
    target = os.path.join(writer.output_path, relative)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "wb") as handle:
        handle.write(data)
    return True


def replace_file(path: str, write: Callable[[BinaryIO], None]) -> None:
    """Have ``write`` fill a new file, renamed over ``path`` once whole.

    A new inode, never a write through a hard link into the live output, and a reader
    sees the old file or the new one, never half of one; a failed write leaves no file.
    """
    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        with open(temporary, "wb") as handle:
            write(handle)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(temporary)
        raise


def replace_pickle(path: str, data: Any) -> None:
    """Write ``data`` pickled over ``path`` (``replace_file``): for the cache, which only this code reads."""
    replace_file(path, lambda handle: pickle.dump(data, handle, pickle.HIGHEST_PROTOCOL))


#: What reading a pickle the cache holds may raise when it is half written, or was written by other code.
UNREADABLE_PICKLE = (OSError, ValueError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, IndexError)


def read_pickle(path: str) -> Any | None:
    """What ``replace_pickle`` wrote at ``path``; None if there is nothing there this code can read (a cache file
    is only ever a shortcut: the caller does the work again)."""
    try:
        with open(path, "rb") as handle:
            return pickle.load(handle)
    except UNREADABLE_PICKLE:
        return None


def replace_json(path: str, data: Any, *, sort_keys: bool = False) -> None:
    """Write ``data`` as compact JSON over ``path`` (``replace_file``)."""
    text = json.dumps(data, sort_keys=sort_keys, separators=(",", ":"))
    replace_file(path, lambda handle: handle.write(text.encode("utf-8")))
