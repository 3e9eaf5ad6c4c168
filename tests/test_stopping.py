"""A build stopped or killed part way publishes nothing, and leaves nothing behind for long."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from conftest import ROOT, cli_command, cli_environment, finished_pid, release, run_cli, write_tree
from pressroom.forking import fork_map
from pressroom.leftovers import running

#: A plugin that sends a signal to the build's main process alone, as ``kill <pid>`` does: while it reads (the
#: content check running beside it), or once its releases are written (the render worker still writing).
STOPPER = """
import os, signal
from pelican import signals

MAIN = os.getpid()


def stop(*_args, **_kwargs):
    if os.getpid() == MAIN:
        os.kill(MAIN, signal.{name})


def register():
    signals.{when}.connect(stop)
"""


def files(output: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}


def settings_with_plugin(tmp_path: Path, name: str, source: str) -> Path:
    (tmp_path / "extra").mkdir(exist_ok=True)
    (tmp_path / "extra" / f"{name}.py").write_text(source, encoding="utf-8")
    settings = tmp_path / f"{name}conf.py"
    settings.write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *\n"
        f"PLUGIN_PATHS = [{str(tmp_path / 'extra')!r}]\nPLUGINS = [*PLUGINS[:-1], {name!r}, PLUGINS[-1]]\n",
        encoding="utf-8",
    )
    return settings


@pytest.mark.parametrize(
    ("name", "when"),
    [
        ("SIGTERM", "article_writer_finalized"),
        ("SIGHUP", "article_writer_finalized"),
        ("SIGTERM", "content_object_init"),
    ],
)
def test_a_build_stopped_by_a_signal_publishes_nothing_and_leaves_nothing(tmp_path, name, when):
    content, output, temp = tmp_path / "content", tmp_path / "output", tmp_path / "tmp"
    temp.mkdir()
    write_tree(
        content, {f"releases/2025/a-{n}.vi.md": release(f"Tin {n}", f"2025-05-{n + 1:02} 09:00") for n in range(8)}
    )
    assert run_cli("-i", str(content), "-o", str(output), "build", cwd=ROOT).returncode == 0
    before = files(output)
    write_tree(content, {"releases/2025/moi.vi.md": release("Tin mới", "2025-06-01 09:00")})
    settings = settings_with_plugin(tmp_path, "stopper", STOPPER.format(name=name, when=when))
    env = {"TMPDIR": str(temp), "PRESSROOM_RENDER_WORKERS": "2"}
    stopped = run_cli("-s", str(settings), "-i", str(content), "-o", str(output), "build", cwd=ROOT, env=env)
    assert stopped.returncode == 128 + getattr(signal, name)
    assert f"stopped by {name}: nothing was published, {output} is unchanged" in stopped.stderr
    assert "Traceback" not in stopped.stderr
    assert files(output) == before
    assert not list(tmp_path.glob(".pressroom-*")), "the staging folder is removed"
    assert list(temp.iterdir()) == []


#: Stands in for Pagefind's program: answers its version, then indexes for a minute (noting its process).
SLOW_PAGEFIND = """#!/bin/sh
if [ "$1" = "--version" ]; then echo "pagefind 1.5.2"; exit 0; fi
echo $$ >> {pids}
exec sleep 60
"""


#: Sends SIGTERM to the build's main process once Pagefind runs (the pages generator is done by then everywhere).
STOP_WHILE_INDEXING = """
import os, signal, time
from pelican import signals

MAIN = os.getpid()


def stop(*_args, **_kwargs):
    if os.getpid() == MAIN:
        deadline = time.monotonic() + 20
        while not os.path.exists({pids!r}) and time.monotonic() < deadline:
            time.sleep(0.05)
        os.kill(MAIN, signal.SIGTERM)


def register():
    signals.page_writer_finalized.connect(stop)
"""


def test_a_stop_while_the_search_index_is_built_ends_pagefind_too(tmp_path):
    content, output, pids = tmp_path / "content", tmp_path / "output", tmp_path / "pagefind-pids"
    write_tree(content, {"releases/2025/a.vi.md": release("Một")})
    pagefind = tmp_path / "pagefind"
    pagefind.write_text(SLOW_PAGEFIND.format(pids=pids), encoding="utf-8")
    pagefind.chmod(0o755)
    settings = settings_with_plugin(tmp_path, "stopper", STOP_WHILE_INDEXING.format(pids=str(pids)))
    command = cli_command("-s", str(settings), "-i", str(content), "-o", str(output), "build")
    env = cli_environment(dict(os.environ), {"PAGEFIND_BINARY_PATH": str(pagefind), "PRESSROOM_RENDER_WORKERS": "2"})
    # Within the minute Pagefind would index for: the stop ends it rather than waiting for it.
    stopped = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=45, check=False)
    assert stopped.returncode == 128 + signal.SIGTERM, stopped.stderr
    assert "stopped by SIGTERM: nothing was published" in stopped.stderr
    started = [int(pid) for pid in pids.read_text().split()]
    deadline = time.monotonic() + 10  # ended, and reaped by whoever inherited them
    while any(map(alive, started)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert started and not any(map(alive, started))
    assert not output.exists() and not list(tmp_path.glob(".pressroom-*"))


def alive(pid: int) -> bool:
    """Running, and not a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return running(pid)
    return state != "Z"


def test_the_next_build_sweeps_the_folders_of_a_killed_build(tmp_path):
    content, output = tmp_path / "content", tmp_path / "output"
    write_tree(content, {"releases/2025/a.vi.md": release("Một")})
    dead = finished_pid()
    left = [tmp_path / f".pressroom-build-{dead}-x1", tmp_path / f".pressroom-old-{dead}-x2" / "output"]
    running = tmp_path / f".pressroom-build-{os.getpid()}-x3"  # another build into this output, still running
    for folder in [*left, running]:
        (folder / "2025/05/mot").mkdir(parents=True)
        (folder / "2025/05/mot/index.html").write_text("half a page", encoding="utf-8")
    assert run_cli("-i", str(content), "-o", str(output), "build", cwd=ROOT).returncode == 0
    deadline = time.monotonic() + 30
    while any(p.exists() for p in left) and time.monotonic() < deadline:
        time.sleep(0.1)  # deleted in the background
    assert not any(p.exists() for p in left)
    assert not (tmp_path / f".pressroom-old-{dead}-x2").exists()
    assert (running / "2025/05/mot/index.html").exists()
    assert (output / "2025/05/mot/index.html").exists()


KILLED_PARENT = """
import os, time
from pressroom.folders import FolderMaker
from pressroom.forking import Forked

live, staging = {live!r}, {staging!r}
worker = Forked(lambda: time.sleep(0.5) or "result")
folders = FolderMaker(live, staging)
os._exit(0)  # as a build killed outright: neither is waited for
"""


def test_helpers_of_a_killed_build_leave_nothing_in_the_temp_folder(tmp_path):
    temp, live, staging = tmp_path / "tmp", tmp_path / "live", tmp_path / "staging"
    for folder in (temp, staging):
        folder.mkdir()
    for n in range(200):
        (live / f"{n:03}" / "page").mkdir(parents=True)
    script = textwrap.dedent(KILLED_PARENT.format(live=str(live), staging=str(staging)))
    env = {**os.environ, "TMPDIR": str(temp), "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", script], env=env, check=True)
    deadline = time.monotonic() + 30
    while list(temp.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert list(temp.iterdir()) == []


def test_work_shared_with_forked_processes_ends_with_a_stop(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    started, main = tmp_path / "child", os.getpid()

    def share(items: list[int]) -> list[int]:
        if os.getpid() != main:
            started.write_text(str(os.getpid()))
            time.sleep(60)
            return items
        while not started.exists():
            time.sleep(0.01)
        raise KeyboardInterrupt  # Ctrl-C while this process does its share

    with pytest.raises(KeyboardInterrupt):
        fork_map(share, [1, 2, 3, 4], workers=2)
    assert not running(int(started.read_text()))
    assert list((tmp_path / "tmp").iterdir()) == []
