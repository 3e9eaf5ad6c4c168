"""A build stopped by a signal ends as one stopped by Ctrl-C: its staging folder removed, the live output untouched.

Python turns Ctrl-C (SIGINT) into ``KeyboardInterrupt``, which the build cleans up
after; SIGTERM (``kill``, a CI job cancelled, ``timeout``) and SIGHUP (the terminal
closed) ended the process on the spot, leaving a half-written staging folder (hundreds
of MB at archive scale) beside the output. During a build they raise ``BuildStopped``,
a ``KeyboardInterrupt``, so every path that handles Ctrl-C handles them too. The swap
that publishes a build holds them until it is done: a stop never leaves no output at all.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator

#: The signals that stop a build cleanly (those this platform has).
STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


class BuildStopped(KeyboardInterrupt):
    """A signal stopped the build; ``signum`` says which."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name


def exit_code(stop: KeyboardInterrupt) -> int:
    """The shell's convention: 128 plus the signal's number (Ctrl-C: 130)."""
    return 128 + (stop.signum if isinstance(stop, BuildStopped) else signal.SIGINT)


def _stop(signum: int, _frame) -> None:
    raise BuildStopped(signum)


@contextlib.contextmanager
def stopped_by_signals() -> Iterator[None]:
    """While inside, SIGTERM and SIGHUP raise ``BuildStopped`` (SIGINT keeps raising KeyboardInterrupt).

    Only the main thread can take signals; elsewhere (a build run from a thread) nothing changes.
    Forked processes inherit the handler: a render worker stops as the main process does.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}
    for signum in STOP_SIGNALS:
        if signum != signal.SIGINT:
            previous[signum] = signal.signal(signum, _stop)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold the stop signals until the block is done (they are delivered after it)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
