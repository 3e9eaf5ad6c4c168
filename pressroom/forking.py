"""Split independent work across processes forked from this one.

The build's heavy steps (parsing Markdown, checking content, rendering) are pure
Python, so threads don't help; forked processes share everything read so far and
need only hand their results back. Work a worker could not finish is done here.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import pickle
import signal
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


def end_child(pid: int, group: bool = False) -> None:
    """End a child of this process now (with its process group, if it leads one) and reap it."""
    with contextlib.suppress(ProcessLookupError):
        if group:
            os.killpg(pid, signal.SIGKILL)
        else:
            os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


class Forked:
    """``function()`` running in a process forked from this one; its picklable result comes back through a file."""

    def __init__(self, function: Callable[[], Any], own_group: bool = False) -> None:
        """``own_group``: the child leads a process group of its own, which ``abandon`` ends whole (the programs
        it runs with it); signals sent to the caller's group (Ctrl-C on a terminal) no longer reach it."""
        self.waited = False
        self.own_group = own_group
        handle, self.path = tempfile.mkstemp(prefix="pressroom-forked-", suffix=".pickle")
        os.close(handle)
        sys.stdout.flush()
        sys.stderr.flush()
        parent = os.getpid()
        self.pid = os.fork()
        if own_group:  # in both processes: whichever runs first, the group exists before anything is sent to it
            with contextlib.suppress(OSError):
                os.setpgid(0 if self.pid == 0 else self.pid, 0)
            if self.pid == 0 and hasattr(signal, "SIGTTOU"):  # out of the terminal's foreground group, but
                signal.signal(signal.SIGTTOU, signal.SIG_IGN)  # a log line must not stop it (``stty tostop``)
        if self.pid == 0:  # the child: hand the result back, leave without cleanup
            gc.enable()  # the build reads with the collector off; a helper's work may make cyclic garbage
            code = 1
            try:
                result = function()
                if os.getppid() != parent:  # the build was killed: nobody will read (and remove) the file
                    os.remove(self.path)
                else:
                    with open(self.path, "wb") as out:
                        pickle.dump(result, out, protocol=pickle.HIGHEST_PROTOCOL)
                    code = 0
            except BaseException:  # the caller does the work again in-process, and sees what fails there
                pass
            finally:
                os._exit(code)

    def result(self) -> tuple[bool, Any]:
        """Wait for the child: ``(True, its result)``, or ``(False, None)`` if it failed."""
        try:
            _, status = os.waitpid(self.pid, 0)
            self.waited = True
            if os.waitstatus_to_exitcode(status) != 0:
                return False, None
            with open(self.path, "rb") as handle:
                return True, pickle.load(handle)
        finally:
            with contextlib.suppress(OSError):
                os.remove(self.path)

    def abandon(self) -> None:
        """End the child without its result (the build is stopping) and remove what it would have left."""
        if self.waited:
            return  # its number may be another process's by now
        self.waited = True
        end_child(self.pid, group=self.own_group)
        with contextlib.suppress(OSError):
            os.remove(self.path)


def fork_map(function: Callable[[list[Item]], list[Result]], items: Sequence[Item], workers: int) -> list[Result]:
    """``function`` applied to ``items`` in ``workers`` shares, all but one in forked processes.

    ``function`` takes a list and returns a list of picklable results. The results come
    back share by share (every ``workers``-th item per share), not in ``items``' order.
    """
    if workers <= 1 or len(items) < 2:
        return function(list(items))
    shares = [list(items[share::workers]) for share in range(workers)]
    children = [Forked(functools.partial(function, share)) for share in shares[1:]]
    try:
        results = function(shares[0])
        for child, share in zip(children, shares[1:], strict=True):
            done, result = child.result()
            results += result if done else function(share)
    except BaseException:  # stopped (or failed) here: the children's work is not wanted
        for child in children:
            child.abandon()
        raise
    return results
