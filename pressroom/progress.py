"""Show a long build's progress on a terminal: the phase, and how far it has got.

The display is drawn with rich on stderr only when stderr is a terminal and
``PRESSROOM_PROGRESS`` is not ``0``: never in CI logs or pipes. It is transient, so a
finished build leaves only its one-line summary. Pelican's signals drive it: checking
content (plugins/content_check, on ``get_generators``), reading n/total Markdown files
(``*_generator_context``), rendering n pages (``content_written``), indexing search.

plugins/parallel forks render workers inside the build. Only the process that started
the display draws; workers just add the pages they write to a counter in shared memory
(one slot per process, so no lock is needed). No thread of ours exists while the build
forks: the thread that redraws the display is stopped before every fork and restarted
after it, so workers never inherit a half-held lock. While the display is drawn, what the
main process logs or prints to the terminal goes above it; workers write to it directly.
"""

from __future__ import annotations

import io
import logging
import mmap
import os
import sys
import threading
import time
from collections.abc import Callable
from typing import IO, Any

from pelican import signals
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TaskID, TextColumn

#: Values of PRESSROOM_PROGRESS that turn the display off.
OFF = frozenset({"0", "false", "no", "off"})
#: Pelican's Markdown extensions: the files the reading phase counts.
MARKDOWN = (".md", ".markdown", ".mkd", ".mdown")
#: Processes that can count written pages without sharing a slot (the main process and its workers).
SLOTS = 256
#: Redraws per second while the build runs: enough for a count, cheap for the build.
REFRESH = 5  # a redraw costs about 1 ms of the main process

#: The display being drawn, for the fork hooks (registered once per process: they cannot be removed).
_active: BuildProgress | None = None


def _isatty(stream: object) -> bool:
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


def wanted(stderr: IO[str]) -> bool:
    """A display only on a terminal, and not when PRESSROOM_PROGRESS turns it off."""
    return os.environ.get("PRESSROOM_PROGRESS", "").strip().lower() not in OFF and _isatty(stderr)


def count_sources(settings: dict[str, Any]) -> int:
    """How many Markdown files Pelican will read: a cheap walk, so the reading phase has a total."""
    root = settings["PATH"]
    found: set[str] = set()
    for folder in [*settings.get("ARTICLE_PATHS", ()), *settings.get("PAGE_PATHS", ())]:
        for parent, _dirs, files in os.walk(os.path.join(root, folder)):
            found.update(os.path.join(parent, name) for name in files if name.endswith(MARKDOWN))
    return len(found)


class _LinesAbove:
    """Lines written to the terminal while the display is drawn: the next redraw prints them
    above it, all at once (printing each would redraw the display once per log line)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()  # the main thread writes, the ticker takes
        self.lines: list[str] = []

    def add(self, lines: list[str]) -> None:
        with self.lock:
            self.lines.extend(lines)

    def take(self) -> list[str]:
        with self.lock:
            lines, self.lines = self.lines, []
        return lines


class _AboveTheDisplay(io.TextIOBase):
    """Stands in for a stream to the terminal while the display is drawn (a log handler's,
    sys.stdout, sys.stderr): its lines print above the display, unwrapped."""

    def __init__(self, above: _LinesAbove, stream: IO[str]) -> None:
        self.above = above
        self.stream = stream
        self.partial = ""

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.stream, "encoding", None) or "utf-8"

    def fileno(self) -> int:
        return self.stream.fileno()

    def isatty(self) -> bool:
        return self.stream.isatty()

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        *lines, self.partial = (self.partial + text).split("\n")
        if lines:
            self.above.add(lines)
        return len(text)

    def flush(self) -> None:
        """Nothing now: whole lines wait for the next redraw, and a partial one for the end."""

    def end(self) -> None:
        if self.partial:
            self.above.add([self.partial])
            self.partial = ""


class _AfterRendering:
    """Added as Pelican's last generator: it runs once every page is written (after the
    render workers' barrier and the static files), just before ``finalized`` indexes search.

    A ``finalized`` receiver would not do: blinker calls receivers in the order they were
    connected, and plugins connect once per process, so in a second build ours would run
    after the search plugin's.
    """

    def __init__(self, progress: BuildProgress) -> None:
        self.progress = progress

    def generate_output(self, writer: object) -> None:
        self.progress.rendered()


class BuildProgress:
    """The progress display of one build; a context manager around ``Pelican(...).run()``.

    Does nothing at all (no signal receivers, no thread) when :func:`wanted` says no.
    """

    def __init__(self, settings: dict[str, Any], stderr: IO[str]) -> None:
        self.settings = settings
        self.stderr = stderr
        self.enabled = wanted(stderr)
        self.origin = os.getpid()
        self.progress: Progress | None = None
        self.task: TaskID | None = None
        self.phase = ""
        self.began = 0.0
        self.read = 0
        self.to_read = 0
        self.generators: list[Any] | None = None
        self.receivers: list[tuple[Any, Callable[..., Any]]] = []
        self.handlers: list[tuple[logging.StreamHandler, IO[str]]] = []  # log handlers we redirected
        self.streams: dict[str, IO[str]] = {}  # sys.stdout / sys.stderr we replaced
        self.above = _LinesAbove()
        self.ticker: threading.Thread | None = None
        self.stopping = threading.Event()
        self.lock = threading.RLock()  # the ticker draws while signals change the phase
        self.shared: mmap.mmap | None = None
        self.written: memoryview | None = None
        self.slot = 0
        self.next_slot = 0

    def __enter__(self) -> BuildProgress:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def drawing(self) -> bool:
        """Only the process that started the display draws: render workers never touch the terminal."""
        return self.progress is not None and os.getpid() == self.origin

    def start(self) -> None:
        if not self.enabled:
            return
        console = Console(file=self.stderr)
        if not console.is_interactive:  # TERM=dumb, TTY_INTERACTIVE=0: rich would not animate
            self.enabled = False
            return
        try:
            self._start(console)
        except BaseException:
            self.stop()
            raise

    def _start(self, console: Console) -> None:
        global _active
        self.began = time.monotonic()
        self.to_read = count_sources(self.settings)
        self.shared = mmap.mmap(-1, SLOTS * 8)  # anonymous, so shared with the workers forked later
        self.written = memoryview(self.shared).cast("q")
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(bar_width=24),
            TextColumn("{task.fields[count]}"),
            TextColumn("{task.fields[elapsed]}"),  # the whole build's time: rich's column restarts per phase
            console=console,
            transient=True,
            auto_refresh=False,  # our ticker redraws, and stops while the build forks
            redirect_stdout=False,  # _redirect does it, without wrapping lines, and workers undo it
            redirect_stderr=False,
        )
        self.task = self.progress.add_task("Checking content", total=None, count="", elapsed=self._elapsed())
        self.phase = "Checking content"
        for signal, receiver in (
            (signals.generator_init, self._reading),
            (signals.article_generator_context, self._read_one),
            (signals.page_generator_context, self._read_one),
            (signals.all_generators_finalized, self._keep_generators),
            (signals.get_writer, self._rendering),
            (signals.content_written, self._written_one),
        ):
            signal.connect(receiver, weak=False)
            self.receivers.append((signal, receiver))
        self._redirect()
        _active = self
        self.progress.start()
        self._start_ticker()

    def stop(self) -> None:
        """Erase the display (also on errors, before their report prints) and disconnect everything."""
        global _active
        if not self.enabled or os.getpid() != self.origin:
            return
        for signal, receiver in self.receivers:
            signal.disconnect(receiver)
        self.receivers.clear()
        if _active is self:
            _active = None
        self._stop_ticker()
        self._restore()
        if self.progress is not None:
            self._draw()  # the lines still waiting to print above it
            self.progress.stop()
            self.progress = None
        self._release()
        self.enabled = False

    # Signal receivers: Pelican calls them in whichever process is building.

    def _reading(self, generator: object) -> None:
        if self.phase == "Checking content":  # the check runs on get_generators, before any generator exists
            self._show("Reading", total=self.to_read)

    def _read_one(self, generator: object, metadata: dict[str, Any] | None = None) -> None:
        self.read += 1

    def _keep_generators(self, generators: list[Any]) -> None:
        self.generators = generators

    def _rendering(self, pelican: object) -> None:
        if isinstance(self.generators, list) and not any(isinstance(g, _AfterRendering) for g in self.generators):
            self.generators.append(_AfterRendering(self))
        self._draw()  # the final count of the reading phase, however short it was
        self._show("Rendering", total=None)
        return None  # not a writer: plugins/parallel chooses the writer

    def _written_one(self, path: str, context: object = None) -> None:
        if self.written is not None:
            self.written[self.slot] += 1

    def rendered(self) -> None:
        """Every page is written: show the final count once, then the last phase."""
        self._draw()
        plugins = [getattr(plugin, "__name__", plugin) for plugin in self.settings.get("PLUGINS", ())]
        search = self.settings.get("SEARCH_INDEX", True) and "plugins.search" in plugins
        self._show("Indexing search" if search else "Finishing", total=None)

    # Drawing: main process only.

    def _count(self) -> str:
        if self.phase == "Reading":
            return f"{min(self.read, self.to_read)}/{self.to_read} files"
        if self.phase == "Rendering" and self.written is not None:
            return f"{sum(self.written)} pages"
        return ""

    def _elapsed(self) -> str:
        seconds = int(time.monotonic() - self.began)
        return f"{seconds // 60}:{seconds % 60:02d}"

    def _show(self, phase: str, total: int | None) -> None:
        if not self.drawing():
            return
        with self.lock:
            self.phase = phase
            assert self.progress is not None and self.task is not None
            self.progress.remove_task(self.task)  # a new task: rich cannot make a task's total unknown again
            self.task = self.progress.add_task(phase, total=total, count=self._count(), elapsed=self._elapsed())
            self._draw()  # at once: a short phase is still seen

    def _draw(self) -> None:
        if not self.drawing():
            return
        with self.lock:
            assert self.progress is not None and self.task is not None
            lines = self.above.take()
            if lines:
                self.progress.console.out("\n".join(lines), highlight=False)
            done = min(self.read, self.to_read) if self.phase == "Reading" else 0
            self.progress.update(self.task, completed=done, count=self._count(), elapsed=self._elapsed())
            self.progress.refresh()

    def _tick(self) -> None:
        while not self.stopping.wait(1 / REFRESH):
            self._draw()

    def _start_ticker(self) -> None:
        self.stopping = threading.Event()
        self.ticker = threading.Thread(target=self._tick, name="pressroom-progress", daemon=True)
        self.ticker.start()

    def _stop_ticker(self) -> None:
        if self.ticker is not None and self.ticker is not threading.current_thread():
            self.stopping.set()
            self.ticker.join()
        self.ticker = None

    def _redirect(self) -> None:
        """Log lines and prints to the terminal go above the display, not through it."""
        ours = (self.stderr, sys.stderr, sys.stdout)
        for handler in logging.getLogger().handlers:
            stream = getattr(handler, "stream", None)
            if type(handler) is logging.StreamHandler and any(stream is s for s in ours) and _isatty(stream):
                self.handlers.append((handler, stream))
                handler.setStream(_AboveTheDisplay(self.above, stream))
        for name in ("stdout", "stderr"):
            stream = getattr(sys, name)
            if _isatty(stream):  # the terminal (stdout to a file or a pipe is left alone)
                self.streams[name] = stream
                setattr(sys, name, _AboveTheDisplay(self.above, stream))

    def _restore(self) -> None:
        """Put back what :meth:`_redirect` replaced."""
        for handler, stream in self.handlers:
            if isinstance(handler.stream, _AboveTheDisplay):
                handler.stream.end()
            handler.stream = stream
        self.handlers.clear()
        for name, stream in self.streams.items():
            proxy = getattr(sys, name)
            if isinstance(proxy, _AboveTheDisplay):
                proxy.end()
                setattr(sys, name, stream)
        self.streams.clear()

    def _release(self) -> None:
        if self.written is not None:
            self.written.release()
            self.written = None
        if self.shared is not None:
            self.shared.close()
            self.shared = None

    # Fork hooks (plugins/parallel forks inside Pelican's get_writer signal).

    def _before_fork(self) -> None:
        if os.getpid() == self.origin:
            self._stop_ticker()
            self.next_slot += 1  # the child about to be forked counts in this slot

    def _after_fork_in_parent(self) -> None:
        if self.drawing() and self.ticker is None:
            self._start_ticker()

    def _after_fork_in_child(self) -> None:
        """A render worker: count in its own slot, log straight to stderr, never draw."""
        global _active
        _active = None
        self.slot = min(self.next_slot, SLOTS - 1)
        self._restore()  # the lines waiting are the parent's to print


def _before_fork() -> None:
    if _active is not None:
        _active._before_fork()


def _after_fork_in_parent() -> None:
    if _active is not None:
        _active._after_fork_in_parent()


def _after_fork_in_child() -> None:
    if _active is not None:
        _active._after_fork_in_child()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(before=_before_fork, after_in_parent=_after_fork_in_parent, after_in_child=_after_fork_in_child)
