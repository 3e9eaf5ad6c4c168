"""Reading and rendering on every core give exactly the output of one process."""

from __future__ import annotations

import logging
import pickle

import pytest

from conftest import ROOT, release, write_tree
from plugins.parallel.reading import MIN_FILES
from pressroom.build import build, load_settings


def archive(count: int) -> dict[str, str]:
    files = {}
    for number in range(count):
        agency = ("so-y-te", "quan-dong-da", "ubnd-ha-noi")[number % 3]
        body = f"Thông cáo số {number} về **giao thông** và y tế.\n\n| Cột | Giá trị |\n|---|---|\n| a | {number} |"
        files[f"releases/2024/tc-{number:03d}.vi.md"] = release(
            f"Thông cáo {number}",
            f"2024-{1 + number % 12:02d}-{1 + number % 28:02d} 08:{number % 60:02d}",
            agency,
            body,
        )
    return files


def built(tmp_path, monkeypatch, name: str, workers: str) -> dict[str, bytes]:
    monkeypatch.setenv("PRESSROOM_RENDER_WORKERS", workers)
    monkeypatch.setenv("PRESSROOM_CACHE_PATH", str(tmp_path / f"cache-{name}"))
    content, output = tmp_path / "content", tmp_path / name
    settings = load_settings(
        str(ROOT / "pelicanconf.py"), {"PATH": str(content), "OUTPUT_PATH": str(output), "SEARCH_INDEX": False}
    )
    assert build(settings) == 0
    return {str(p.relative_to(output)): p.read_bytes() for p in output.rglob("*") if p.is_file()}


@pytest.mark.parametrize("workers", ["2", "3"])
def test_every_core_gives_the_output_of_one_process(tmp_path, monkeypatch, now_epoch, caplog, workers):
    write_tree(tmp_path / "content", archive(MIN_FILES + 6))
    one = built(tmp_path, monkeypatch, "one", "1")
    caplog.set_level(logging.DEBUG, logger="plugins.parallel.reading")
    many = built(tmp_path, monkeypatch, "many", workers)
    assert f"Parsed {MIN_FILES + 6} uncached file(s) on {workers} cores" in caplog.text
    assert sorted(one) == sorted(many)
    assert [name for name in one if one[name] != many[name]] == []
    # The workers' parses went into Pelican's cache: every release is in it.
    caches = list((tmp_path / "cache-many").rglob("ArticlesGenerator-Readers"))
    with open(caches[0], "rb") as handle:
        cached = pickle.load(handle)
    assert len([path for path in cached if path.endswith(".vi.md")]) == MIN_FILES + 6
