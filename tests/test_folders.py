"""The live output's folders made ahead in the staging folder (pressroom/folders.py)."""

from __future__ import annotations

import time
from pathlib import Path

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
    for wait in (False, True):
        staging = tmp_path / f"staging-{wait}"
        staging.mkdir()
        maker = FolderMaker(str(live), str(staging))
        page = staging / "0007" / "00007" / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)  # as the build does, beside the helper
        page.write_text("x", encoding="utf-8")
        if wait:  # let it make some first (it is niced); either way the outcome is the same
            deadline = time.monotonic() + 60
            while len(list(staging.iterdir())) < 40 and time.monotonic() < deadline:
                time.sleep(0.01)
        maker.finish(prune=True)
        assert maker.pid is None
        assert tree(staging) == ["0007", "0007/00007", "0007/00007/index.html"]
