"""Reading and rendering on every core give exactly the output of one process."""

from __future__ import annotations

import logging
import os
import pickle
import time

import pytest

from conftest import ROOT, release, write_tree
from plugins.article_store.store import READER_CACHE
from plugins.content_check import content_check
from plugins.content_check.content_check import MIN_PARALLEL_FILES, RESAVE_MISSES, check_tree
from plugins.parallel.parallel import fork_writers
from plugins.parallel.reading import MIN_FILES
from pressroom import stamps
from pressroom.build import build, load_settings
from pressroom.forking import fork_map


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
    # The workers' parses went into Pelican's reader cache (kept by plugins/article_store): every release is in it.
    assert not list((tmp_path / "cache-many").rglob("ArticlesGenerator-Readers"))
    caches = list((tmp_path / "cache-many").rglob(READER_CACHE))
    with open(caches[0], "rb") as handle:
        cached = pickle.load(handle)
    assert len([path for path in cached if path.endswith(".vi.md")]) == MIN_FILES + 6
    # Built again: plugins/article_store hands over every article, so nothing is parsed ahead.
    caplog.clear()
    again = built(tmp_path, monkeypatch, "many", workers)
    assert "Parsed" not in caplog.text
    assert again == many


def checked(tmp_path, monkeypatch, name: str, workers: str) -> list[str]:
    monkeypatch.setenv("PRESSROOM_RENDER_WORKERS", workers)
    monkeypatch.setenv("PRESSROOM_CACHE_PATH", str(tmp_path / f"cache-{name}"))
    settings = load_settings(str(ROOT / "pelicanconf.py"), {"PATH": str(tmp_path / "content")})
    return [str(problem) for problem in check_tree(settings)]


@pytest.mark.parametrize("workers", ["2", "3"])
def test_content_checked_on_every_core_finds_what_one_process_finds(tmp_path, monkeypatch, now_epoch, workers):
    files = archive(MIN_PARALLEL_FILES + 5)
    # Problems in files that land in different shares: an unknown agency, a broken
    # link and a missing title.
    files["releases/2024/tc-001.vi.md"] = files["releases/2024/tc-001.vi.md"].replace("quan-dong-da", "so-khong-co")
    files["releases/2024/tc-002.vi.md"] += "\n[Xem thêm](khong-co.md)\n"
    files["releases/2024/tc-003.vi.md"] = files["releases/2024/tc-003.vi.md"].replace("Title: Thông cáo 3\n", "")
    write_tree(tmp_path / "content", files)
    one = checked(tmp_path, monkeypatch, "one", "1")
    many = checked(tmp_path, monkeypatch, "many", workers)
    assert any("tc-001.vi.md" in problem and "so-khong-co" in problem for problem in one)
    assert any("tc-002.vi.md" in problem for problem in one)
    assert any("tc-003.vi.md" in problem for problem in one)
    assert many == one
    # And from the cache the workers filled, again the same.
    assert checked(tmp_path, monkeypatch, "many", workers) == one


def test_an_edit_is_checked_on_every_build_though_the_check_cache_is_not_rewritten_for_it(
    tmp_path, monkeypatch, now_epoch
):
    files = archive(MIN_PARALLEL_FILES + 5)
    write_tree(tmp_path / "content", files)
    assert not any("error" in problem for problem in checked(tmp_path, monkeypatch, "cache", "1"))
    [cache] = (tmp_path / "cache-cache").rglob("content-check.pickle")
    written = cache.stat().st_mtime_ns
    edited = tmp_path / "content/releases/2024/tc-004.vi.md"
    edited.write_text(files["releases/2024/tc-004.vi.md"].replace("quan-dong-da", "so-khong-co"), encoding="utf-8")
    for _ in range(2):  # a few edits cost more to save than to check again: the cache stays, the edit is seen
        problems = checked(tmp_path, monkeypatch, "cache", "1")
        assert any("tc-004.vi.md" in problem and "so-khong-co" in problem for problem in problems)
        assert cache.stat().st_mtime_ns == written
    for number in range(1, RESAVE_MISSES + 1):  # many new files: the cache is written again
        name = f"releases/2024/tc-{number:03d}.vi.md"
        (tmp_path / "content" / name).write_text(files[name] + "\nThêm.\n", encoding="utf-8")
    assert any("tc-004.vi.md" in problem for problem in checked(tmp_path, monkeypatch, "cache", "1"))
    assert cache.stat().st_mtime_ns != written


def test_a_new_file_is_checked_alone_but_a_link_follows_the_files_it_names(tmp_path, monkeypatch, now_epoch):
    """Publishing a release checks that release (and the files that link another), not every file again:
    the cache, rewritten when 32 files or more were checked, stays as it is."""
    files = archive(MIN_PARALLEL_FILES + 5)
    files["releases/2024/tc-002.vi.md"] += "\n![Ảnh trụ sở]({static}/images/tru-so.png)\n"
    for number in range(10, 10 + RESAVE_MISSES):  # photos that are there: checked again only if one goes
        files[f"releases/2024/tc-{number:03d}.vi.md"] += "\n![Ảnh chung]({static}/images/chung.png)\n"
    files["images/chung.png"] = b"\x89PNG\r\n\x1a\n"
    write_tree(tmp_path / "content", files)
    problems = checked(tmp_path, monkeypatch, "cache", "1")
    assert [p for p in problems if "error" in p] == [p for p in problems if "tc-002.vi.md" in p and "not exist" in p]
    [cache] = (tmp_path / "cache-cache").rglob("content-check.pickle")
    written = cache.stat().st_mtime_ns
    new = tmp_path / "content/releases/2024/tc-moi.vi.md"
    new.write_text(release("Thông cáo mới", "2024-12-30 08:00", "so-khong-co"), encoding="utf-8")
    problems = checked(tmp_path, monkeypatch, "cache", "1")
    assert any("tc-moi.vi.md" in problem and "so-khong-co" in problem for problem in problems)
    assert cache.stat().st_mtime_ns == written
    (tmp_path / "content/images/tru-so.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    assert not any("not exist" in problem for problem in checked(tmp_path, monkeypatch, "cache", "1"))
    (tmp_path / "content/images/chung.png").unlink()
    gone = [problem for problem in checked(tmp_path, monkeypatch, "cache", "1") if "not exist" in problem]
    assert len(gone) == RESAVE_MISSES and all("chung.png" in problem for problem in gone)


def files_read(monkeypatch) -> list[str]:
    """The names of the files the content check reads from now on, as it reads them."""
    read, read_bytes = [], content_check.read_bytes

    def reading(path):
        read.append(os.path.basename(path))
        return read_bytes(path)

    monkeypatch.setattr(content_check, "read_bytes", reading)
    return read


def test_the_check_reads_only_files_whose_stamp_cannot_vouch_for_their_text(tmp_path, monkeypatch, now_epoch):
    files = archive(MIN_PARALLEL_FILES + 5)
    write_tree(tmp_path / "content", files)
    ten_seconds_ago = time.time_ns() - 10**10
    for path in (tmp_path / "content").rglob("*.md"):
        os.utime(path, ns=(ten_seconds_ago, ten_seconds_ago))
    recent = tmp_path / "content/releases/2024/tc-004.vi.md"
    os.utime(recent, ns=(time.time_ns(), time.time_ns()))  # changed in the tick the check records it
    checked(tmp_path, monkeypatch, "stamps", "1")
    read = files_read(monkeypatch)
    # An edit that keeps the size and the time: seen, as the file was that recent when it was recorded.
    stamp = recent.stat()
    recent.write_text(files["releases/2024/tc-004.vi.md"].replace("quan-dong-da", "quan-dong-dx"), encoding="utf-8")
    os.utime(recent, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert recent.stat().st_size == stamp.st_size
    problems = checked(tmp_path, monkeypatch, "stamps", "1")
    assert any("tc-004.vi.md" in problem and "quan-dong-dx" in problem for problem in problems)
    assert read == ["tc-004.vi.md"]  # every other file is known by its stamp


def test_files_checked_as_they_were_written_are_read_again_only_until_their_stamps_can_vouch(
    tmp_path, monkeypatch, now_epoch
):
    """A check right after a checkout or a generator wrote the files records stamps too recent to vouch for the
    text. Once the files are older, the next check reads them again and keeps their stamps; the one after reads
    none (the cache was left as it was, and every build read every file)."""
    monkeypatch.setattr(stamps, "RACY_NS", 300_000_000)
    files = archive(MIN_PARALLEL_FILES + 5)
    write_tree(tmp_path / "content", files)
    checked(tmp_path, monkeypatch, "racy", "1")
    read = files_read(monkeypatch)
    time.sleep(0.4)
    checked(tmp_path, monkeypatch, "racy", "1")
    assert len(read) == len([name for name in files if name.endswith(".md")])
    read.clear()
    checked(tmp_path, monkeypatch, "racy", "1")
    assert read == []


def test_a_fresh_checkout_keeps_the_new_stamps_beside_the_check_cache_and_the_next_check_reads_nothing(
    tmp_path, monkeypatch, now_epoch
):
    """A checkout gives every file a new time: each is read and hashed once, and only the new stamps are written
    (the whole cache took 0.2 s to write, which a CI build waited for before rendering)."""
    files = archive(MIN_PARALLEL_FILES + 5)
    write_tree(tmp_path / "content", files)
    for age in (60, 10):  # checked once, then "checked out" again: same text, new times, old enough to vouch
        then = time.time_ns() - age * 10**9
        for path in (tmp_path / "content").rglob("*.md"):
            os.utime(path, ns=(then, then))
        if age == 60:
            checked(tmp_path, monkeypatch, "checkout", "1")
            [cache] = (tmp_path / "cache-checkout").rglob("content-check.pickle")
            written = cache.stat().st_mtime_ns
    read = files_read(monkeypatch)
    checked(tmp_path, monkeypatch, "checkout", "1")
    assert len(read) == len([name for name in files if name.endswith(".md")])
    assert cache.stat().st_mtime_ns == written and cache.with_name("content-check.stamps.pickle").is_file()
    read.clear()
    assert not any("error" in problem for problem in checked(tmp_path, monkeypatch, "checkout", "1"))
    assert read == []


def test_a_share_whose_worker_fails_is_done_in_the_main_process():
    parent = os.getpid()

    def double(share: list[int]) -> list[int]:
        if os.getpid() != parent:
            raise RuntimeError("a worker that cannot finish")
        return [2 * n for n in share]

    assert sorted(fork_map(double, list(range(10)), 3)) == [2 * n for n in range(10)]
    assert sorted(fork_map(lambda share: [n + 1 for n in share], list(range(10)), 3)) == list(range(1, 11))


def meet(tmp_path, workers: int, late: set[int], absent: set[int]) -> tuple[bool, list[str]]:
    """Fork render writers; workers in ``late`` arrive after a pause, those in ``absent`` end without coming.
    Returns whether the main process saw everyone, and which workers had arrived when it went on."""
    tmp_path.mkdir(exist_ok=True)
    settings = load_settings(str(ROOT / "pelicanconf.py"), {"OUTPUT_PATH": str(tmp_path / "out")})
    pelican = type("Build", (), {"settings": settings})()
    os.environ["PRESSROOM_RENDER_WORKERS"] = str(workers)
    try:
        writer = fork_writers(pelican)(str(tmp_path / "out"), settings=settings)
    finally:
        del os.environ["PRESSROOM_RENDER_WORKERS"]
    if writer.shard:  # a worker: never back into pytest
        try:
            if writer.shard in absent:
                os._exit(0)
            if writer.shard in late:
                time.sleep(0.5)
            (tmp_path / f"worker-{writer.shard}").write_text("here", encoding="utf-8")
            os._exit(0 if writer.every_shard_here() is False else 1)
        finally:
            os._exit(1)
    met = writer.every_shard_here()
    arrived = sorted(path.name for path in tmp_path.glob("worker-*"))
    for pid in writer.children:
        assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
    return met, arrived


def test_the_main_process_goes_on_only_once_every_worker_has_come(tmp_path):
    """The search index starts there: every worker's pages must be written by then."""
    assert meet(tmp_path / "a", 3, late={2}, absent=set()) == (True, ["worker-1", "worker-2"])
    assert meet(tmp_path / "b", 1, late=set(), absent=set()) == (True, [])


def test_a_worker_that_ends_before_the_meeting_does_not_hang_the_main_process(tmp_path):
    assert meet(tmp_path, 2, late=set(), absent={1}) == (False, [])


def test_a_build_leaves_nothing_frozen_for_the_garbage_collector(tmp_path, monkeypatch, now_epoch):
    """Render workers fork with what was read frozen; the dev server builds again and again in one process,
    so a build that left it frozen would keep every earlier build's site in memory."""
    import gc

    write_tree(tmp_path / "content", archive(4))
    built(tmp_path, monkeypatch, "one", "2")
    assert gc.get_freeze_count() == 0
