"""Writing files outside Pelican's writer: shared by the plugins that write feeds, maps and headers.

Two rules hold for every file: in a build split across processes (plugins/parallel)
only the process that owns a path writes it, and a file whose bytes did not change is
not rewritten (its modification time stays, so rsync and ``s3 sync`` skip it).
"""

from __future__ import annotations

import os


def owns(writer, key: str) -> bool:
    """Whether this process writes ``key`` (always, when the build is not split)."""
    check = getattr(writer, "owns", None)
    return True if check is None else check(key)


def write_bytes(output_path: str, relative: str, data: bytes | str) -> bool:
    """Write ``data`` at ``output_path/relative`` unless the file already holds it; True if written."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    target = os.path.join(output_path, relative)
    try:
        with open(target, "rb") as handle:
            if handle.read() == data:
                return False
    except FileNotFoundError:
        os.makedirs(os.path.dirname(target), exist_ok=True)
    temporary = f"{target}.pressroom-tmp"
    with open(temporary, "wb") as handle:
        handle.write(data)
    os.replace(temporary, target)
    return True
