"""The benchmark's generator and harness, run at a tiny size so they cannot rot."""

from __future__ import annotations

import json
import os
import time

import pytest

from benchmarks.bench import FORGET_AFTER, FORGET_DELETIONS, THEME_CHANGE, Trash, changed_theme
from benchmarks.bench import main as bench
from benchmarks.generate import generate
from conftest import ROOT
from plugins.content_check.content_check import check_tree
from plugins.incremental.keys import build_key, unthemed_key
from pressroom.build import load_settings


def test_generator_is_deterministic_and_follows_the_content_format(tmp_path):
    first = generate(tmp_path / "a", 40)
    second = generate(tmp_path / "b", 40)
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)
    releases = [f for f in files if f.parts[0] == "releases"]
    vi = {f.name.split(".")[0] for f in releases if f.name.endswith(".vi.md")}
    en = {f.name.split(".")[0] for f in releases if f.name.endswith(".en.md")}
    assert len(vi | en) == 40 and len(vi & en) >= 25
    assert any(
        "Đ" in (first / f).read_text(encoding="utf-8") or "ố" in (first / f).read_text(encoding="utf-8")
        for f in releases
    )
    settings = load_settings(str(ROOT / "pelicanconf.py"), {"PATH": str(first)})
    errors = [p for p in check_tree(settings) if p.severity == "error"]
    assert errors == []


def test_bench_measures_stock_full_and_rebuild_and_writes_json(tmp_path, capsys):
    report = tmp_path / "results.json"
    assert bench(["12", "--workdir", str(tmp_path / "work"), "--json", str(report), "--repeat", "2"]) == 0
    data = json.loads(report.read_text())
    assert data["repeat"] == 2
    result = data["results"][0]
    for build in ("stock", "full", "full_warm", "rebuild", "publish", "ci_rebuild", "sitewide"):
        assert result[build]["seconds"] > 0 and result[build]["peak_mib"] > 0 and result[build]["pages"] > 0
        assert result[build]["cpu_seconds"] > 0 and len(result[build]["cpu_runs"]) == 2
        runs = result[build]["runs"]
        assert len(runs) == 2 and min(runs) <= result[build]["seconds"] <= max(runs)  # the median of two
    assert result["full"]["pages"] > result["releases"]
    # Ratios are the median of each round's, every build of a round set beside that round's stock build.
    assert len(result["rounds"]) == 2
    for build in ("full", "full_warm", "rebuild", "publish", "ci_rebuild", "sitewide"):
        paired = [run / stock for run, stock in zip(result[build]["runs"], result["stock"]["runs"], strict=True)]
        assert result["ratios"][f"{build}_vs_stock_time"] == pytest.approx(sum(paired) / 2, abs=0.002)
    assert set(result["ratios"]) >= {
        "full_vs_stock_time",
        "full_warm_vs_stock_time",
        "rebuild_vs_stock_time",
        "ci_rebuild_vs_stock_time",
        "publish_vs_stock_time",
        "sitewide_vs_stock_time",
        "full_vs_stock_memory",
    }
    peaks = [
        result[build]["peak_mib"] for build in ("full", "full_warm", "rebuild", "publish", "ci_rebuild", "sitewide")
    ]
    assert result["ratios"]["full_vs_stock_memory"] == pytest.approx(
        max(peaks) / result["stock"]["peak_mib"], abs=0.002
    )
    printed = capsys.readouterr().out
    assert "ratios: full/stock" in printed and "for a new release" in printed and "every page changed" in printed
    # The last build of a round had the changed theme's line on every page.
    home = (tmp_path / "work" / "pressroom-12" / "index.html").read_text(encoding="utf-8")
    assert THEME_CHANGE in home
    # Each round added a release after every other; a run starts from the generated archive again.
    added = sorted(p.name for p in (tmp_path / "work" / "content-12").rglob("thong-cao-moi-*.vi.md"))
    assert added == ["thong-cao-moi-00.vi.md", "thong-cao-moi-01.vi.md"]
    # The outputs the rebuilds replaced were put aside, not deleted under the next build, and deleted at the end.
    work = tmp_path / "work"
    assert not list(work.glob(".pressroom-old-*")) and not (work / ".bench-trash").exists()


def test_the_theme_change_build_differs_from_the_others_by_its_theme_alone(tmp_path, monkeypatch):
    """Another setting would make it a settings change: every key new, the articles and feeds made again."""
    monkeypatch.setenv("PRESSROOM_BENCH_THEME", str(changed_theme(tmp_path)))
    plain = load_settings(str(ROOT / "pelicanconf.py"), {"PATH": str(tmp_path)})
    themed = load_settings(str(ROOT / "benchmarks" / "themedconf.py"), {"PATH": str(tmp_path)})
    assert themed["THEME"] != plain["THEME"]
    assert unthemed_key(themed) == unthemed_key(plain)
    assert build_key(themed) != build_key(plain)


def test_trash_waits_out_only_a_bulk_deletion_and_remembers_it_across_runs(tmp_path):
    trash = Trash(tmp_path)
    trash.deleted(FORGET_AFTER - 1)  # a tiny archive's folders: nothing to wait for
    assert not trash.mark.exists()
    trash.deleted(FORGET_AFTER)
    assert trash.mark.exists()
    # The next run's harness finds the time of the deletion in the work folder.
    later = Trash(tmp_path)
    assert later.mark.exists()
    past = time.time() - FORGET_DELETIONS - 1  # deleted long enough ago: no wait
    os.utime(later.mark, (past, past))
    started = time.monotonic()
    later.wait_out()
    assert time.monotonic() - started < 5 and not later.mark.exists()
    almost = time.time() - FORGET_DELETIONS + 1.5  # a second and a half left to wait
    trash.deleted(FORGET_AFTER)
    os.utime(trash.mark, (almost, almost))
    started = time.monotonic()
    trash.wait_out()
    assert 1.0 <= time.monotonic() - started < 5
