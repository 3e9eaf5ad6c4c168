"""The search index in bundles: one Pagefind index per year of releases, one for the rest, reused when unchanged."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from pelican import Pelican

from conftest import ROOT, release, write_tree
from plugins.search.digests import PageDigests, indexed_part
from plugins.search.search import SearchIndexError, marks_body
from pressroom.build import build, load_settings


def corpus() -> dict[str, str]:
    return {
        "releases/2023/cu.vi.md": release("Tin năm cũ", date="2023-03-02 09:00"),
        "releases/2024/giua.vi.md": release("Tin năm giữa", date="2024-04-02 09:00"),
        "releases/2024/giua.en.md": release("Middle year news", date="2024-04-02 09:00"),
        "releases/2024/hai.vi.md": release("Tin thứ hai", date="2024-08-02 09:00", body="Nội dung đầu tiên."),
        "releases/2025/moi.vi.md": release("Tin mới", date="2025-05-09 16:30"),
        "releases/2025/moi.en.md": release("New release", date="2025-05-09 16:30"),
        "pages/gioi-thieu.vi.md": "Title: Giới thiệu\nSlug: gioi-thieu\n\nVề trung tâm.\n",
        "pages/gioi-thieu.en.md": "Title: About\nSlug: about\n\nAbout the centre.\n",
    }


#: The 2024 release above, corrected: only the 2024 bundle reads it.
CORRECTED = {"releases/2024/hai.vi.md": release("Tin thứ hai", date="2024-08-02 09:00", body="Nội dung đã sửa.")}


def settings(content: Path, output: Path, **overrides) -> dict:
    return load_settings(str(ROOT / "pelicanconf.py"), {"PATH": str(content), "OUTPUT_PATH": str(output), **overrides})


def entry(output: Path, folder: str) -> dict[str, int]:
    """Pages per language in the bundle at ``pagefind/<folder>``."""
    data = json.loads((output / "pagefind" / folder / "pagefind-entry.json").read_text(encoding="utf-8"))
    return {lang: index["page_count"] for lang, index in data["languages"].items()}


def inodes(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_ino for p in folder.rglob("*") if p.is_file()}


def own_files(output: Path, folder: str) -> dict[str, int]:
    """The inodes of one bundle's files, without the year bundles inside the primary one."""
    files = inodes(output / "pagefind" / folder)
    if not folder:
        files = {name: ino for name, ino in files.items() if not name[:4].isdigit() and name != "bundles.json"}
    return files


@pytest.mark.parametrize("workers", ["1", "2", "3"])
def test_one_bundle_per_year_and_language_and_one_for_the_pages_and_the_newest_year(build_site, monkeypatch, workers):
    """Indexing starts once every render worker has written its releases and pages: none is missing."""
    monkeypatch.setenv("PRESSROOM_RENDER_WORKERS", workers)
    site = build_site(corpus())
    assert site.exit_code == 0, site.stderr
    assert entry(site.output, "") == {"vi": 2, "en": 1}  # the pages, and 2025 in the default language
    assert entry(site.output, "2025-en") == {"en": 1}  # the newest year in another language: its own bundle
    assert entry(site.output, "2024") == {"vi": 2}  # an older year: a bundle per language
    assert entry(site.output, "2024-en") == {"en": 1}
    assert entry(site.output, "2023") == {"vi": 1}
    assert not (site.output / "pagefind/2025").exists()
    manifest = json.loads((site.output / "pagefind/bundles.json").read_text(encoding="utf-8"))
    assert manifest == {
        "bundles": [
            {"folder": "", "root": "", "years": [2025], "languages": {"en": 1, "vi": 2}},
            {"folder": "2025-en/", "root": "en/2025/", "years": [2025], "languages": {"en": 1}},
            {"folder": "2024/", "root": "2024/", "years": [2024], "languages": {"vi": 2}},
            {"folder": "2024-en/", "root": "en/2024/", "years": [2024], "languages": {"en": 1}},
            {"folder": "2023/", "root": "2023/", "years": [2023], "languages": {"vi": 1}},
        ]
    }
    for folder in ("", "2025-en", "2024", "2024-en", "2023"):
        assert (site.output / "pagefind" / folder / "pagefind.js").is_file()
        record = json.loads((site.output / "pagefind" / folder / "pressroom-bundle.json").read_text())
        assert len(record["fingerprint"]) == 64 and "pagefind-entry.json" in record["files"]
        assert all((site.output / "pagefind" / folder / name).is_file() for name in record["files"])
    primary = json.loads((site.output / "pagefind/pressroom-bundle.json").read_text())["files"]
    assert not any(name.startswith(("2023/", "2024/", "2024-en/", "2025-en/")) for name in primary)


def test_without_a_release_in_the_default_language_the_newest_year_is_one_bundle(build_site):
    """The bundle search.js loads first, at pagefind/, exists as long as anything is searchable."""
    site = build_site({"releases/2025/moi.en.md": release("New release", date="2025-05-09 16:30")})
    assert site.exit_code == 0, site.stderr
    manifest = json.loads((site.output / "pagefind/bundles.json").read_text(encoding="utf-8"))
    assert manifest == {"bundles": [{"folder": "", "root": "", "years": [2025], "languages": {"en": 1}}]}
    assert (site.output / "pagefind/pagefind.js").is_file()


def test_a_site_of_pages_alone_has_a_search_of_its_pages(build_site):
    site = build_site({"pages/lien-he.vi.md": "Title: Liên hệ\nSlug: lien-he\n\nĐịa chỉ.\n"})
    assert site.exit_code == 0, site.stderr
    assert entry(site.output, "") == {"vi": 1}  # the page, never the listing pages around it
    manifest = json.loads((site.output / "pagefind/bundles.json").read_text(encoding="utf-8"))
    assert manifest == {"bundles": [{"folder": "", "root": "", "years": [], "languages": {"vi": 1}}]}


def test_a_rebuild_reindexes_only_the_year_and_language_that_changed(build_site):
    first = build_site(corpus())
    folders = ("", "2025-en", "2024", "2024-en", "2023")
    before = {folder: own_files(first.output, folder) for folder in folders}
    second = build_site(CORRECTED)  # the same content folder and output, one release corrected
    assert second.exit_code == 0, second.stderr
    after = {folder: own_files(second.output, folder) for folder in folders}
    for unchanged in ("", "2025-en", "2024-en", "2023"):  # hard links to the same files
        assert after[unchanged] == before[unchanged], unchanged
    assert after["2024"].keys() >= {"pagefind-entry.json", "pagefind.js"}
    assert not set(after["2024"].values()) & set(before["2024"].values())  # written anew by Pagefind
    assert entry(second.output, "2024") == {"vi": 2}


def test_a_new_release_of_the_newest_year_reindexes_only_its_language(build_site):
    """Publishing, the most common build: an English release leaves the default language's pages alone."""
    first = build_site(corpus())
    folders = ("", "2025-en", "2024", "2024-en", "2023")
    before = {folder: own_files(first.output, folder) for folder in folders}
    second = build_site({"releases/2025/them.en.md": release("Another release", date="2025-06-01 08:00")})
    assert second.exit_code == 0, second.stderr
    after = {folder: own_files(second.output, folder) for folder in folders}
    for unchanged in ("", "2024", "2024-en", "2023"):
        assert after[unchanged] == before[unchanged], unchanged
    assert not set(after["2025-en"].values()) & set(before["2025-en"].values())
    assert entry(second.output, "2025-en") == {"en": 2}


def test_a_change_around_every_pages_text_leaves_the_bundles_of_their_text_alone(build_site):
    """The footer lists the archive's years: a year's first release changes every page of its language, but not
    what Pagefind reads of them (each bundle of 9,300 pages had been indexed again: 10 CPU-seconds)."""
    first = build_site(corpus())
    folders = ("2024", "2024-en", "2023")
    before = {folder: own_files(first.output, folder) for folder in folders}
    (old_page,) = (first.output / "2023").glob("*/*/index.html")
    old_bytes = old_page.read_bytes()
    second = build_site({"releases/2026/nam-moi.vi.md": release("Tin năm mới", date="2026-01-01 06:00")})
    assert second.exit_code == 0, second.stderr
    assert b"2026" not in old_bytes and b"2026" in old_page.read_bytes()  # the footer's years
    after = {folder: own_files(second.output, folder) for folder in folders}
    for unchanged in folders:
        assert after[unchanged] == before[unchanged], unchanged  # the same files, linked
    assert entry(second.output, "") == {"vi": 2, "en": 1}  # the new year's release and the pages
    assert entry(second.output, "2025") == {"vi": 1}


def test_a_page_is_cut_to_what_pagefind_reads_only_when_nothing_it_reads_lies_around_its_text():
    body = b'<article class="release" data-pagefind-body><h1>T</h1><article>x</article><p>Text</p></article>'
    page = b'<!doctype html><html lang="vi"><head><title>T</title></head><body><nav>Menu</nav>%s<footer>2025'
    cut = indexed_part(page % body + b"</footer></body></html>")
    assert cut == b'<html lang="vi">\0' + body
    assert indexed_part((page % body).replace(b"2025", b"2026")) == cut  # the footer is not read
    for around in (b'<img src="logo.png">', b"<h1>Site</h1>", b'<meta data-pagefind-meta="x:y">'):
        whole = (page % body).replace(b"<nav>", around + b"<nav>")
        assert indexed_part(whole) == whole, around
    for odd in (body.replace(b"</article><p>", b"<p>"), body + body, b"<p>no marked text</p>"):
        assert indexed_part(page % odd) == page % odd, odd


def test_a_previous_bundle_missing_a_file_is_indexed_again_whole(build_site):
    first = build_site(corpus())
    before = own_files(first.output, "2023")
    lost = next(name for name in before if name.startswith("fragment/"))
    os.remove(first.output / "pagefind" / "2023" / lost)  # by hand, in the live output
    second = build_site(CORRECTED)
    assert second.exit_code == 0, second.stderr
    after = own_files(second.output, "2023")
    assert lost in after  # Pagefind wrote the bundle again, the lost fragment too (named by its content)
    assert not set(after.values()) & set(before.values())  # nothing of the broken bundle was kept
    assert entry(second.output, "2023") == {"vi": 1}


def test_the_previous_output_is_only_read(tmp_path, now_epoch):
    content, live, staging = tmp_path / "content", tmp_path / "live", tmp_path / "staging"
    write_tree(content, corpus())
    assert build(settings(content, live)) == 0

    def state(folder: Path) -> dict[str, tuple]:
        return {
            str(p.relative_to(folder)): (p.stat().st_ino, p.stat().st_mtime_ns, p.stat().st_mode, p.read_bytes())
            for p in sorted(folder.rglob("*"))
            if p.is_file()
        }

    before = state(live)
    write_tree(content, CORRECTED)
    # What build() does, without the swap: a new folder, told where the live output is.
    Pelican(settings(content, staging, PRESSROOM_PREVIOUS_OUTPUT=str(live))).run()
    assert state(live) == before
    for folder in ("", "2023"):
        assert own_files(staging, folder) == own_files(live, folder)
        assert all(os.stat(live / "pagefind" / folder / name).st_nlink == 2 for name in own_files(live, folder))
    assert not set(own_files(staging, "2024").values()) & set(own_files(live, "2024").values())


def test_a_pagefind_failure_fails_the_build_and_publishes_nothing(build_site, tmp_path):
    site = build_site(corpus())
    before = {p: p.read_bytes() for p in site.output.rglob("*") if p.is_file()}
    with pytest.raises(SearchIndexError, match="no-such-option"):
        build(settings(site.content, site.output, SEARCH_INDEX_OPTIONS=["--no-such-option"]))
    assert {p: p.read_bytes() for p in site.output.rglob("*") if p.is_file()} == before
    assert [p.name for p in site.output.parent.iterdir() if p.name.startswith(".pressroom")] == []


def test_a_missing_pagefind_program_fails_the_build_and_publishes_nothing(build_site, tmp_path, monkeypatch):
    """Pagefind's program is run directly; where it is not, the build says so and keeps the live site."""
    site = build_site(corpus())
    before = {p: p.read_bytes() for p in site.output.rglob("*") if p.is_file()}
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-pagefind-here"))
    with pytest.raises(SearchIndexError, match="Pagefind does not run"):
        build(settings(site.content, site.output))
    assert {p: p.read_bytes() for p in site.output.rglob("*") if p.is_file()} == before
    assert [p.name for p in site.output.parent.iterdir() if p.name.startswith(".pressroom")] == []


def test_page_digests_are_read_again_only_for_pages_whose_stamp_changed(tmp_path):
    output = tmp_path / "output"
    write_tree(output, {"2024/04/a/index.html": "<main data-pagefind-body>A</main>", "2024/04/b/index.html": "B"})
    settings = {"CACHE_CONTENT": True, "CACHE_PATH": str(tmp_path / "cache")}
    read: list[bytes] = []

    def searchable(content: bytes) -> bool:
        read.append(content)
        return marks_body(content)

    first = PageDigests(settings, str(output), searchable)
    a, b = first("2024/04/a/index.html"), first("2024/04/b/index.html")
    assert a[1] is True and b[1] is False
    first.save()
    # b is replaced by a new file (as the build writes: a new inode); a is untouched.
    (output / "2024/04/b/index.html.new").write_text("B, corrected", encoding="utf-8")
    os.replace(output / "2024/04/b/index.html.new", output / "2024/04/b/index.html")
    read.clear()
    second = PageDigests(settings, str(output), searchable)
    assert second("2024/04/a/index.html") == a
    b2 = second("2024/04/b/index.html")
    assert read == [b"B, corrected"]  # only b was read again
    assert b2[0] != b[0] and b2[0] == hashlib.sha256(b"B, corrected").hexdigest()
    # Without a cache folder nothing is remembered, and every page is read.
    read.clear()
    PageDigests({}, str(output), searchable)("2024/04/a/index.html")
    assert read == [b"<main data-pagefind-body>A</main>"]


def test_a_build_without_a_search_index_keeps_no_list_of_its_pages(tmp_path, now_epoch):
    """The release pages are noted for the index when they are written; a build without an index drops them too
    (the dev server builds again and again in one process)."""
    from plugins.search import early

    write_tree(tmp_path / "content", corpus())
    assert build(settings(tmp_path / "content", tmp_path / "output", SEARCH_INDEX=False)) == 0
    assert early._releases == {} and early._started == {}
    assert not (tmp_path / "output" / "pagefind").exists()
