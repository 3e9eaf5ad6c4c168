"""A build on a terminal shows its phases and counts, then leaves only its summary line;
in a pipe (CI logs) it shows nothing of the kind.

The builds run for real, under a pseudo-terminal, so rich, Pelican's signals and the
forked render workers (plugins/parallel) all take part.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import struct
import subprocess
import termios
import threading
import time
from pathlib import Path

import pytest
from pelican import signals

from conftest import ROOT, cli_command, cli_environment, release, run_cli, write_tree
from pressroom.build import build, load_settings
from pressroom.progress import BuildProgress

SITE = {
    "releases/2025/tiem-chung.vi.md": release("Chiến dịch tiêm chủng mùa hè", tags="Y tế"),
    "releases/2025/tiem-chung.en.md": release("Summer vaccination campaign", tags="Health"),
    "releases/2025/le-hoi.vi.md": release("Lễ hội mùa thu", date="2025-09-01 08:00", agency="quan-dong-da"),
    "releases/2024/hop-bao.vi.md": release("Họp báo cuối năm", date="2024-12-20 15:00", agency="ubnd-ha-noi"),
    "releases/2024/hop-bao.en.md": release("Year-end press conference", date="2024-12-20 15:00", agency="ubnd-ha-noi"),
    "pages/gioi-thieu.vi.md": "Title: Giới thiệu\n\nTrung tâm Báo chí Thủ đô.\n",
    "pages/gioi-thieu.en.md": "Title: About\n\nThe Capital Press Centre.\n",
}
SOURCES = len(SITE)
#: le-hoi has no English version: the content check warns while the display is drawn.
WARNING = "le-hoi.vi.md:1: warning: this release has no English version"
PHASES = ("Checking content", "Reading", "Rendering", "Indexing search")
#: Variables that would make rich or the build decide otherwise than a plain terminal would.
RESET = ("PRESSROOM_PROGRESS", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "FORCE_COLOR", "NO_COLOR", "COLUMNS", "LINES")


def terminal_pair() -> tuple[int, int]:
    """A pseudo-terminal, 120 columns wide: (our end, the build's end)."""
    ours, theirs = os.openpty()
    fcntl.ioctl(theirs, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 120, 0, 0))
    return ours, theirs


def read_all(fd: int, deadline: float) -> bytes:
    """Everything written to the terminal until every writer has closed it."""
    chunks = []
    while time.monotonic() < deadline:
        if not select.select([fd], [], [], 1)[0]:
            continue
        try:
            data = os.read(fd, 65536)
        except OSError:  # EIO: the build and its workers have all exited
            break
        if not data:
            break
        chunks.append(data)
    return b"".join(chunks)


def run_in_terminal(*args: str, cwd: Path, env: dict[str, str] | None = None) -> tuple[int, str]:
    """Run ``python -m pressroom`` with stdin, stdout and stderr on a terminal, as staff do."""
    inherited = {k: v for k, v in os.environ.items() if k not in RESET}
    environ = cli_environment(inherited, {"TERM": "xterm-256color", **(env or {})})
    ours, theirs = terminal_pair()
    process = subprocess.Popen(
        cli_command(*args),
        stdin=theirs,
        stdout=theirs,
        stderr=theirs,
        cwd=cwd,
        env=environ,
    )
    os.close(theirs)
    try:
        output = read_all(ours, time.monotonic() + 120)
    finally:
        os.close(ours)
    return process.wait(timeout=30), output.decode("utf-8", errors="replace")


CONTROL = re.compile(r"\x1b\[([0-9;?]*)([A-Za-z])|\r|\n|[^\x1b\r\n]+")


def screen(raw: str) -> list[str]:
    """The lines a terminal shows at the end: just enough of one for rich (no wrapping)."""
    lines, row, col = [""], 0, 0
    for match in CONTROL.finditer(raw):
        text, (params, command) = match.group(0), match.groups()
        if text == "\r":
            col = 0
        elif text == "\n":
            row += 1
            lines += [""] * (row + 1 - len(lines))
        elif command == "A":  # cursor up
            row = max(0, row - int(params or 1))
        elif command == "K":  # erase the line (2) or its end
            lines[row] = "" if params == "2" else lines[row][:col]
        elif command is None:
            line = lines[row].ljust(col)
            lines[row] = line[:col] + text + line[col + len(text) :]
            col += len(text)
    return [line.rstrip() for line in lines if line.strip()]


def plain(raw: str) -> str:
    """Everything drawn, in order, without the escape sequences."""
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", raw)


def rendered_pages(raw: str) -> int:
    """The last page count the rendering phase showed."""
    return int(re.findall(r"Rendering\D*?(\d+) pages", plain(raw))[-1])


@pytest.fixture
def site(tmp_path) -> Path:
    write_tree(tmp_path / "content", SITE)
    return tmp_path


def test_a_terminal_shows_each_phase_then_only_the_summary(site):
    workers = {"PRESSROOM_RENDER_WORKERS": "2"}
    code, raw = run_in_terminal("-i", "content", "-o", "output", "build", cwd=site, env=workers)

    assert code == 0, raw
    drawn = plain(raw)
    assert [phase in drawn for phase in PHASES] == [True] * len(PHASES), drawn
    assert [drawn.index(phase) for phase in PHASES] == sorted(drawn.index(phase) for phase in PHASES)
    assert "Reading" in drawn and f" {SOURCES}/{SOURCES} files" in drawn
    assert rendered_pages(raw) > 0
    shown = screen(raw)
    # the display is erased: what stays is the warning printed above it, intact, and the summary
    assert not any(phase in line for line in shown for phase in PHASES), shown
    assert any(line.startswith("WARNING: ") and WARNING in line for line in shown), shown
    assert re.fullmatch(r"Built: releases 2 en, 3 vi; \d+ pages; \d+ feeds; in \d+\.\d s", shown[-1]), shown


def test_a_pipe_gets_no_progress_at_all(site):
    result = run_cli("-i", "content", "-o", "output", "build", cwd=site, env={"PRESSROOM_RENDER_WORKERS": "2"})

    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stderr and "\r" not in result.stderr
    assert WARNING in result.stderr  # logging is untouched
    assert not any(phase in result.stderr for phase in PHASES)
    assert "Built:" not in result.stderr


def test_a_failed_build_erases_the_display_before_its_report(site):
    write_tree(site / "content", {"releases/2025/sai.vi.md": release("Sai", agency="so-y-tee")})

    code, raw = run_in_terminal("-i", "content", "-o", "output", "build", cwd=site)

    assert code == 1
    assert "Checking content" in plain(raw)
    shown = screen(raw)
    assert not any(phase in line for line in shown for phase in PHASES), shown
    assert "content/releases/2025/sai.vi.md:3: error: unknown agency 'so-y-tee' (did you mean 'so-y-te'?)" in shown
    assert shown[-1].startswith("error: ") and shown[-1].endswith("is unchanged")


class Terminal:
    """A pseudo-terminal for a build in this process, read in a thread so the build never blocks."""

    def __init__(self) -> None:
        self.ours, theirs = terminal_pair()
        # closed by close(), once the build is over
        self.stream = open(theirs, "w", encoding="utf-8")  # noqa: SIM115
        self.output = b""
        self.reader = threading.Thread(target=self._read)
        self.reader.start()

    def _read(self) -> None:
        self.output = read_all(self.ours, time.monotonic() + 120)

    def close(self) -> str:
        self.stream.close()
        self.reader.join()
        os.close(self.ours)
        return self.output.decode("utf-8", errors="replace")


@pytest.fixture
def terminal_env(monkeypatch, now_epoch):
    for name in RESET:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("PRESSROOM_RENDER_WORKERS", "2")


PROGRESS_SIGNALS = (
    signals.generator_init,
    signals.article_generator_context,
    signals.page_generator_context,
    signals.all_generators_finalized,
    signals.get_writer,
    signals.content_written,
)


def ours(signal) -> list[object]:
    return [r for r in signal.receivers.values() if isinstance(getattr(r, "__self__", None), BuildProgress)]


def build_on_terminal(site: Path) -> tuple[int, str]:
    """Build ``site`` in this process with stderr on a terminal; return the exit code and what it drew."""
    settings = load_settings(
        str(ROOT / "pelicanconf.py"), {"PATH": str(site / "content"), "OUTPUT_PATH": str(site / "output")}
    )
    terminal = Terminal()
    try:
        code = build(settings, stderr=terminal.stream)
    finally:
        raw = terminal.close()
    return code, raw


def test_builds_in_one_process_show_every_phase_count_every_worker_and_leave_no_receivers(
    site, terminal_env, monkeypatch
):
    counts = []
    for workers in ("1", "3"):  # the second build also finds every plugin's receivers already connected
        monkeypatch.setenv("PRESSROOM_RENDER_WORKERS", workers)
        code, raw = build_on_terminal(site)
        assert code == 0, raw
        drawn = plain(raw)
        assert [drawn.index(phase) for phase in PHASES] == sorted(drawn.index(phase) for phase in PHASES), workers
        assert screen(raw)[-1].startswith("Built: releases 2 en, 3 vi; "), workers
        assert [ours(signal) for signal in PROGRESS_SIGNALS] == [[]] * len(PROGRESS_SIGNALS)
        counts.append(rendered_pages(raw))
    assert counts[0] == counts[1] > 0, "the pages the workers wrote count as much as the main process's"


def test_pressroom_progress_0_turns_it_off_on_a_terminal(site, terminal_env, monkeypatch):
    monkeypatch.setenv("PRESSROOM_PROGRESS", "0")
    code, raw = build_on_terminal(site)
    assert code == 0
    assert "\x1b" not in raw
    assert [line for line in screen(raw) if not line.startswith("Built: ")] == []
