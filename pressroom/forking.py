"""Split independent work across processes forked from this one.

The build's heavy steps (parsing Markdown, checking content, rendering) are pure
Python, so threads don't help; forked processes share everything read so far and
need only hand their results back. Work a worker could not finish is done here.
"""

from __future__ import annotations

import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


def worker_count(settings: dict[str, Any]) -> int:
    """How many processes share the work: ``PRESSROOM_RENDER_WORKERS``, else up to two cores."""
    wanted = os.environ.get("PRESSROOM_RENDER_WORKERS") or settings.get("PRESSROOM_RENDER_WORKERS")
    count = int(wanted) if wanted else min(2, os.cpu_count() or 1)
    return count if hasattr(os, "fork") else 1


def fork_map(function: Callable[[list[Item]], list[Result]], items: Sequence[Item], workers: int) -> list[Result]:
    """``function`` applied to ``items`` in ``workers`` shares, all but one in forked processes.

    ``function`` takes a list and returns a list of picklable results. The results come
    back share by share (every ``workers``-th item per share), not in ``items``' order.
    """
    if workers <= 1 or len(items) < 2:
        return function(list(items))
    sys.stdout.flush()
    sys.stderr.flush()
    children: list[tuple[int, str, int]] = []
    for share in range(1, workers):
        handle, path = tempfile.mkstemp(prefix="pressroom-share-", suffix=".pickle")
        os.close(handle)
        pid = os.fork()
        if pid == 0:  # a worker: do its share, hand it back, leave without cleanup
            code = 1
            try:
                with open(path, "wb") as out:
                    pickle.dump(function(list(items[share::workers])), out, protocol=pickle.HIGHEST_PROTOCOL)
                code = 0
            finally:
                os._exit(code)
        children.append((pid, path, share))
    results = function(list(items[0::workers]))
    for pid, path, share in children:
        _, status = os.waitpid(pid, 0)
        try:
            if os.waitstatus_to_exitcode(status) == 0:
                with open(path, "rb") as handle:
                    results += pickle.load(handle)
            else:
                results += function(list(items[share::workers]))
        finally:
            os.remove(path)
    return results
