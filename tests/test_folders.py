"""The live output's folders made ahead in the staging folder (pressroom/folders.py)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from conftest import ROOT, release, write_tree
from pressroom.build import build, load_settings
from pressroom.folders import FolderMaker


def live_tree(root: Path, folders: int) -> None:
    for n in range(folders):
        (root / f"{n % 40:04d}" / f"{n:05d}").mkdir(parents=True)


def tree(root: Path) -> list[str]:
    return sorted(path.relative_to(root).as_posix() for path in root.rglob("*"))


def test_folders_the_build_used_stay_and_the_others_go_however_far_the_helper_got(tmp_path):
    """Stopped at once or left to finish, the helper leaves exactly the folders the build's files need."""
    live = tmp_path / "live"
    live_tree(live, 4000)
    # Told what the build wrote or not: a folder holding a file it was not told of (Pagefind's) stays too.
    for wait, written in ((False, ()), (True, ()), (False, ["0007/00007/index.html"])):
        staging = tmp_path / f"staging-{wait}-{len(written)}"
        staging.mkdir()
        maker = FolderMaker(str(live), str(staging))
        for page in (staging / "0007" / "00007" / "index.html", staging / "0011" / "00011" / "index.json"):
            page.parent.mkdir(parents=True, exist_ok=True)  # as the build does, beside the helper
            page.write_text("x", encoding="utf-8")
        if wait:  # let it make some first (it is niced); either way the outcome is the same
            deadline = time.monotonic() + 60
            while len(list(staging.iterdir())) < 40 and time.monotonic() < deadline:
                time.sleep(0.01)
        maker.finish(prune=True, written=written)
        assert maker.pid is None
        assert tree(staging) == [
            "0007",
            "0007/00007",
            "0007/00007/index.html",
            "0011",
            "0011/00011",
            "0011/00011/index.json",
        ]


#: Runs after every other plugin generator, render barrier included, just before Pelican copies the theme's files:
#: notes this process's children niced as the folder helper is.
PROBE = """
import os
from pelican.generators import Generator
from pressroom.folders import NICENESS

FOUND = {found!r}


def niceness(pid):
    with open(f"/proc/{{pid}}/stat") as handle:
        return int(handle.read().rpartition(")")[2].split()[16])


class Probe(Generator):
    def generate_output(self, writer):
        me = os.getpid()
        with open(f"/proc/{{me}}/task/{{me}}/children") as handle:
            children = [int(pid) for pid in handle.read().split()]
        helpers = [pid for pid in children if niceness(pid) == os.getpriority(os.PRIO_PROCESS, 0) + NICENESS]
        with open(FOUND, "w") as handle:
            handle.write(" ".join(map(str, helpers)))


def get_generators(pelican):
    return Probe


def register():
    from pelican import signals
    signals.get_generators.connect(get_generators)
"""


@pytest.mark.skipif(not Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").exists(), reason="Linux /proc")
def test_the_helper_is_stopped_before_pelican_copies_the_theme(tmp_path, now_epoch):
    """Pelican copies the theme's files after every plugin generator, checking that a folder exists before making
    it: a helper still making the live output's folders (theme/js, ...) made that fail now and then."""
    (tmp_path / "extra").mkdir()
    found = tmp_path / "helpers"
    (tmp_path / "extra" / "probe.py").write_text(PROBE.format(found=str(found)), encoding="utf-8")
    write_tree(tmp_path / "content", {"releases/2025/a.vi.md": release("Một")})
    base = load_settings(str(ROOT / "pelicanconf.py"), {"PATH": str(tmp_path / "content")})
    overrides = {
        "PATH": str(tmp_path / "content"),
        "OUTPUT_PATH": str(tmp_path / "output"),
        "PLUGIN_PATHS": [str(tmp_path / "extra")],
        "PLUGINS": [*base["PLUGINS"], "probe"],  # after plugins.parallel: its barrier, then the probe
    }
    for _ in range(2):  # the second build has a live output, so a helper
        assert build(load_settings(str(ROOT / "pelicanconf.py"), overrides)) == 0
    assert found.read_text(encoding="utf-8") == ""
