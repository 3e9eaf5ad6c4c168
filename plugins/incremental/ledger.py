"""The record of what each output file was made from, kept beside the content cache.

A build writes into a fresh folder that replaces the live output only when it
succeeds (pressroom/build.py). The ledger lets it start from the live output
without touching it: a file whose key is unchanged is hard-linked from the live
output instead of being rendered, and a rendered file whose bytes are unchanged is
linked too, so it keeps its modification time (rsync and ``s3 sync`` skip it).

The record names the output folder it describes by inode, and every file by size,
modification time, inode and the sha256 of its bytes. An output restored from a copy
(a CI cache: new inodes) has no record under its inode: the newest record of an
output at the same path is used. A file whose size and modification time (to the
nanosecond) are the recorded ones is taken as it is, as rsync's quick check would;
any other (a restore that did not keep times, an edit by hand) is read, and taken
only if its bytes hash to the recorded ones; else it is rendered again.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import logging
import os
import re
from typing import Any

from pressroom.leftovers import orphans
from pressroom.output import link_from_live, making_folder, read_pickle, replace_pickle
from pressroom.stamps import stamp

logger = logging.getLogger(__name__)

RECORD_PREFIX, RECORD_SUFFIX = "renders-", ".pickle"
#: Every file each build wrote or linked (all its processes'), by the folder it built into: the build's one-line
#: summary counts these instead of walking the whole output again (0.3 s at 5,000 releases).
_written: dict[str, list[str]] = {}


def take_written(output_path: str) -> list[str] | None:
    """The files (relative paths) the build into ``output_path`` wrote or linked, if its record was gathered."""
    return _written.pop(os.path.abspath(output_path), None)


KEEP_RECORDS = 4  # one per output folder the cache serves (site, preview, tests)
#: A render worker's share of the record, named by the main process that gathers it, then by the worker.
SHARE = re.compile(r"^part-(?P<pid>[0-9]+)-[0-9]+\.pickle$")


def bytes_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_digest(path: str) -> str:
    with open(path, "rb") as handle:
        return bytes_digest(handle.read())


def _read_record(path: str) -> dict[str, Any] | None:
    record = read_pickle(path)
    if not isinstance(record, dict) or not isinstance(record.get("files"), dict):
        return None  # not a record this code wrote
    return record


def _write_new(path: str, data: bytes) -> None:
    with open(path, "xb") as handle:  # "x": never into an existing file, which may be a live file's link
        handle.write(data)


class Ledger:
    """One process's view: the last build's record, and what this build wrote."""

    def __init__(self, settings: dict[str, Any], output_path: str):
        self.output_path = output_path
        folder = settings.get("CACHE_PATH") if settings.get("CACHE_CONTENT") else None
        self.folder = folder
        self.previous_output = settings.get("PRESSROOM_PREVIOUS_OUTPUT")
        # Where this build's output will live: the live output's path, which the staging folder replaces.
        self.final_output = self.previous_output or output_path
        self.previous: dict[str, list] = {}  # relative path -> [key, size, mtime, inode, sha256]
        self.written: dict[str, str | None] = {}  # relative path -> key (None: not keyed)
        self.digests: dict[str, str] = {}  # the sha256 of each keyed file written
        self.linked: set[str] = set()  # reused: the live file, whose size, time and inode the record holds
        self.restamped: dict[str, list[int]] = {}  # reused, with another stamp than recorded: its own
        self.reused = self.rendered = 0
        if folder and self.previous_output and os.path.isdir(self.previous_output):
            self.previous = self._load(self.previous_output)

    def _record_path(self, inode: int | str) -> str:
        return os.path.join(self.folder, f"{RECORD_PREFIX}{inode}{RECORD_SUFFIX}")

    def _load(self, output: str) -> dict[str, list]:
        """The live output's own record, else the newest of an output once at its path (a restored copy)."""
        found = _read_record(self._record_path(os.stat(output).st_ino))
        if found is not None:
            return found["files"]
        where = os.path.realpath(output)
        for path in sorted(glob.glob(self._record_path("*")), key=os.path.getmtime, reverse=True):
            found = _read_record(path)
            if found is not None and found.get("output") == where:
                return found["files"]
        return {}

    # -- reuse ----------------------------------------------------------------------

    def _previous_file(self, relative: str) -> str | None:
        """The live output's file, if the record vouches for it."""
        known = self.previous.get(relative)
        if not known:
            return None
        path = os.path.join(self.previous_output, relative)
        try:
            current = stamp(path)
            as_recorded = list(current[:2]) == known[1:3]  # size and time; else the bytes decide
            if not as_recorded and (len(known) < 5 or current[0] != known[1] or file_digest(path) != known[4]):
                return None
        except OSError:
            return None
        if list(current) != known[1:4]:
            self.restamped[relative] = list(current)
        return path

    def reusable(self, relative: str, key: str | None) -> str | None:
        """The live output's file, if it was made from ``key`` and is as the record knew it."""
        if key is None:
            return None
        known = self.previous.get(relative)
        if not known or known[0] != key:
            return None
        return self._previous_file(relative)

    def reuse(self, relative: str, key: str | None) -> bool:
        """Link the live output's file in place of rendering it, if it was made from ``key``."""
        source = self.reusable(relative, key)
        return source is not None and self.link(relative, key, source)

    def link(self, relative: str, key: str, source: str) -> bool:
        """Put ``source`` (``reusable``'s answer) at ``relative``; False if something is there already."""
        if not self._link(source, relative):
            return False
        self.written[relative] = key
        self.linked.add(relative)
        self.reused += 1
        return True

    def _link(self, source: str, relative: str) -> bool:
        try:
            link_from_live(source, os.path.join(self.output_path, relative))
        except FileExistsError:
            return False
        return True

    # -- writing ----------------------------------------------------------------------

    def write(self, relative: str, data: bytes, key: str | None = None) -> bool:
        """Write a rendered file; link the live one instead if its bytes are the same. True if new bytes."""
        self.written[relative] = key
        if key is not None:
            self.digests[relative] = bytes_digest(data)
        self.rendered += 1
        target = os.path.join(self.output_path, relative)
        source = self._same_bytes(relative, data)
        if source is not None and not os.path.exists(target) and self._link(source, relative):
            return False
        try:
            # A new file in the staging folder, which nothing reads until the build succeeds.
            making_folder(lambda: _write_new(target, data), target)
            return True
        except FileExistsError:  # written or linked before in this build: maybe a live file's inode
            with open(target, "rb") as handle:
                if handle.read() == data:
                    return False
        temporary = f"{target}.pressroom-tmp"
        with open(temporary, "wb") as handle:
            handle.write(data)
        os.replace(temporary, target)
        return True

    def _same_bytes(self, relative: str, data: bytes) -> str | None:
        if not self.previous_output:
            return None
        path = os.path.join(self.previous_output, relative)
        try:
            if os.path.getsize(path) != len(data):
                return None
            with open(path, "rb") as handle:
                return path if handle.read() == data else None
        except OSError:
            return None

    # -- the record -------------------------------------------------------------------

    def save_part(self, main: int) -> None:
        """This process's share of the record, for the main process to gather."""
        if not self.folder:
            return
        os.makedirs(self.folder, exist_ok=True)
        # Named by the main process too, which gathers it: see _prune_parts.
        part = os.path.join(self.folder, f"part-{main}-{os.getpid()}.pickle")
        share = {"written": self.written, "linked": sorted(self.linked), "rendered": self.rendered}
        replace_pickle(part, {**share, "digests": self.digests, "restamped": self.restamped})

    def save(self, parts: list[int]) -> None:
        """Gather every process's share and record it under the new output's inode."""
        if not self.folder:
            return
        written, linked = dict(self.written), set(self.linked)
        digests, restamped, rendered = dict(self.digests), dict(self.restamped), self.rendered
        for pid in parts:
            part = os.path.join(self.folder, f"part-{os.getpid()}-{pid}.pickle")
            try:
                share = read_pickle(part)
                written.update(share["written"])
                linked.update(share["linked"])
                digests.update(share["digests"])
                restamped.update(share["restamped"])
                rendered += share["rendered"]
                os.remove(part)
            except (OSError, ValueError, KeyError, TypeError):  # TypeError: None, the share unreadable
                return  # a share is missing: better no record than a wrong one
        _written[os.path.abspath(self.output_path)] = list(written)
        files = {}
        for relative, key in written.items():
            if key is None:
                continue
            if relative in linked:  # the live file, as the record knew it or as it was read: no stat
                known = self.previous[relative]
                files[relative] = [key, *restamped.get(relative, known[1:4]), known[4] if len(known) > 4 else None]
                continue
            try:
                files[relative] = [key, *stamp(os.path.join(self.output_path, relative)), digests[relative]]
            except OSError:
                continue
        os.makedirs(self.folder, exist_ok=True)
        path = self._record_path(os.stat(self.output_path).st_ino)
        where = os.path.realpath(self.final_output)
        replace_pickle(path, {"output": where, "files": files})
        self._prune(keep=path)
        self._prune_parts()
        logger.info("Rendered %d file(s); %d unchanged, linked from the live output", rendered, len(linked))

    def _prune_parts(self) -> None:
        """Shares no build will gather: their build failed or was stopped after its worker wrote them (a share
        is named by the main process that gathers it, which may still run: another build, into another output)."""
        for part in orphans(self.folder, SHARE):
            with contextlib.suppress(FileNotFoundError):
                os.remove(part)

    def _prune(self, keep: str) -> None:
        records = sorted(glob.glob(os.path.join(self.folder, f"{RECORD_PREFIX}*{RECORD_SUFFIX}")), key=os.path.getmtime)
        for old in records[:-KEEP_RECORDS]:
            if old != keep:
                os.remove(old)
