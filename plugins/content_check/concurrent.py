"""Run the content check beside Pelican's reading, and rule on it before anything is written.

A rebuild reads thousands of releases from its caches on one core while the other has
nothing to do; the check (about 1 s at 5,000 releases) runs there, in a forked process
started when the build starts. It runs niced (``CHECK_NICENESS``): in a build with an
empty cache every core is parsing the Markdown the cache lacks (plugins/parallel), and
the check then takes only the CPU that parsing leaves, instead of slowing it down.
Its verdict is taken when every generator has read its content
(``all_generators_finalized``), before the first file is written, so a tree with
errors still publishes nothing.

What Pelican logs meanwhile is held back: if the check finds errors, its report
(file, line, fix) replaces Pelican's own messages about the same bad files; if not,
the held messages are logged after the check's warnings, as before. A build that
crashes while reading asks for the verdict too (``finish_check``): bad content is
reported as bad content, not as the crash it caused.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pressroom.diagnostics import Diagnostic
from pressroom.forking import Forked


class HeldLogs(logging.Filter):
    """Hold every record the root logger's handlers would emit, to log later or drop."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []
        self.handlers: list[logging.Handler] = []

    def start(self) -> None:
        self.handlers = list(logging.getLogger().handlers)
        for handler in self.handlers:
            handler.addFilter(self)

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.records or self.records[-1] is not record:  # each handler sees the same record
            self.records.append(record)
        return False

    def stop(self) -> Callable[[], None]:
        """Hold no more; return what logs the held records (don't call it to drop them)."""
        for handler in self.handlers:
            handler.removeFilter(self)
        records, handlers, self.records, self.handlers = self.records, self.handlers, [], []

        def release() -> None:
            # Straight to the handlers that held them: the loggers' own filters (Pelican's
            # limit on repeated messages) have passed these records already.
            for record in records:
                for handler in handlers:
                    if record.levelno >= handler.level:
                        handler.handle(record)

        return release


@dataclass
class CheckRun:
    settings: Mapping[str, Any]
    checker: Forked
    held: HeldLogs


#: The check running beside this process's build (one build at a time per process).
_running: CheckRun | None = None
#: How much lower the check's priority is than the build's: it runs on what parsing leaves.
CHECK_NICENESS = 10


def _niced(check: Callable[[Mapping[str, Any]], list], settings: Mapping[str, Any]) -> list:
    os.nice(CHECK_NICENESS)
    return check(settings)


def start_check(settings: Mapping[str, Any], check: Callable[[Mapping[str, Any]], list]) -> None:
    """Fork ``check(settings)`` and hold what is logged until its verdict."""
    global _running
    # A process group of its own: a stop ends it with the processes it shares the work with (fork_map).
    checker = Forked(functools.partial(_niced, check, settings), own_group=True)
    held = HeldLogs()
    held.start()
    _running = CheckRun(settings, checker, held)


def finish_check(check: Callable[[Mapping[str, Any]], list], report: Callable[[list[Diagnostic]], None]) -> None:
    """Wait for a running check and ``report`` its problems (which raises on errors); nothing running: nothing to do."""
    global _running
    run, _running = _running, None
    if run is None:
        return
    release = run.held.stop()  # the check's warnings first, then what Pelican said meanwhile
    done, problems = run.checker.result()
    if not done:  # the checker failed: check here, so that whatever went wrong is raised as ever
        problems = check(run.settings)
    report(problems)  # errors raise: Pelican's messages about the bad files are dropped
    release()


def abandon_check() -> None:
    """The build is stopping: end a running check without its verdict, and drop what it held."""
    global _running
    run, _running = _running, None
    if run is not None:
        run.held.stop()
        run.checker.abandon()
