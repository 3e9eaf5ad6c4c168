"""One build at a time into an output: a second one waits for the first, and says so."""

from __future__ import annotations

import fcntl
import os
import select
import subprocess
from pathlib import Path

from conftest import ROOT, cli_command, cli_environment, release, write_tree
from pressroom.locking import lock_path


def test_a_build_into_an_output_being_built_waits_for_it(tmp_path):
    content, output = tmp_path / "content", tmp_path / "output"
    write_tree(content, {"releases/2025/a.vi.md": release("Một")})
    with open(lock_path(str(output)), "a+", encoding="utf-8") as held:  # as the first build holds it
        fcntl.flock(held, fcntl.LOCK_EX)
        held.write("4242\n")
        held.flush()
        second = subprocess.Popen(
            cli_command("-i", str(content), "-o", str(output), "build"),
            cwd=ROOT,
            env=cli_environment(dict(os.environ)),
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            ready, _, _ = select.select([second.stderr], [], [], 60)
            assert ready, "the second build said nothing"
            said = second.stderr.readline()
            assert said == f"waiting for the build into {output} that is running (process 4242) to end\n"
            assert second.poll() is None and not output.exists()
        finally:
            fcntl.flock(held, fcntl.LOCK_UN)
        rest = second.stderr.read()
        assert second.wait(timeout=120) == 0, rest
    assert (output / "2025/05/mot/index.html").exists()
    assert Path(lock_path(str(output))).read_text(encoding="utf-8") == f"{second.pid}\n"
