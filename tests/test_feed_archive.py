"""Feed entries taken again from the last build's feed files (plugins/feeds/archive.py).

Every test compares with a build of the same content from nothing: a feed written
from kept entries is the feed written afresh, byte for byte.
"""

from __future__ import annotations

import os
from pathlib import Path

import feedparser
import pytest

from conftest import REGISTRY, release
from plugins.incremental.ledger import KEEP_RECORDS
from plugins.search.search import SearchIndexError

FEEDS = ("atom.xml", "rss.xml", "feed.json")


def corpus() -> dict[str, str]:
    files = {}
    for day in range(1, 7):
        body = f"Nội dung thông cáo số {day}, với [một liên kết](https://hanoi.gov.vn/{day}) và chữ có dấu."
        files[f"releases/2025/tin-{day}.vi.md"] = release(f"Tin số {day}", date=f"2025-03-0{day} 09:00", body=body)
        files[f"releases/2025/tin-{day}.en.md"] = release(f"News {day}", date=f"2025-03-0{day} 09:00", body=body)
    return files


NEW = {"releases/2025/tin-moi.vi.md": release("Tin mới nhất", date="2025-03-09 10:00", body="Một thông cáo mới.")}


def feeds(output: Path) -> dict[str, bytes]:
    return {str(p.relative_to(output)): p.read_bytes() for p in sorted(output.rglob("*")) if p.name in FEEDS}


def fresh(build_site, files: dict[str, str], registry: str = REGISTRY) -> dict[str, bytes]:
    site = build_site(files, registry=registry, name="fresh")
    assert site.exit_code == 0, site.stderr
    return feeds(site.output)


def test_a_new_release_leaves_the_other_entries_as_the_last_build_wrote_them(build_site, tmp_path):
    first = build_site(corpus())
    assert first.exit_code == 0, first.stderr
    records = sorted(p.name for p in Path(os.environ["PRESSROOM_CACHE_PATH"]).rglob("feed-entries-*.pickle"))
    assert [name.split("-")[2] for name in records] == ["en", "vi"]
    second = build_site(NEW)  # the same content folder and output, one release more
    assert second.exit_code == 0, second.stderr
    written = feeds(second.output)
    assert written == fresh(build_site, {**corpus(), **NEW})
    site_feed = feedparser.parse(written["atom.xml"])
    assert [entry.title for entry in site_feed.entries][:2] == ["Tin mới nhất", "Tin số 6"]
    assert not site_feed.bozo


@pytest.mark.parametrize("as_recorded", [True, False])
def test_entries_are_read_from_the_live_feeds_only_where_a_file_is_as_recorded(build_site, as_recorded):
    """What the archive takes is the live file's bytes, where its size and time are those recorded (as the
    render ledger and rsync trust them); a file changed in any other way is not read."""
    first = build_site(corpus())
    changed = 0
    for path in first.output.rglob("atom.xml"):  # every Atom feed that holds the entry, wherever it is kept
        data = path.read_bytes()
        if "Tin số 3".encode() in data:
            stat = path.stat()
            marked = data.replace("Tin số 3".encode(), "Tin số 8".encode())
            path.write_bytes(marked if as_recorded else marked + b"\n")
            os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
            changed += 1
    assert changed >= 2  # the site's and the agency's feeds
    second = build_site(NEW)
    assert second.exit_code == 0, second.stderr
    titles = [entry.title for entry in feedparser.parse((second.output / "atom.xml").read_bytes()).entries]
    if as_recorded:
        assert "Tin số 8" in titles and "Tin số 3" not in titles  # the entry as the file held it
    else:
        assert "Tin số 3" in titles and "Tin số 8" not in titles  # built again
        assert feeds(second.output) == fresh(build_site, {**corpus(), **NEW})


def test_the_records_of_the_output_folders_built_least_lately_are_pruned(build_site):
    for number in range(KEEP_RECORDS + 2):
        assert build_site(corpus(), name=f"site-{number}").exit_code == 0
    records = sorted(p.name for p in Path(os.environ["PRESSROOM_CACHE_PATH"]).rglob("feed-entries-vi-*.pickle"))
    assert len(records) == KEEP_RECORDS


def test_a_changed_agency_name_builds_every_entry_again(build_site):
    first = build_site(corpus())
    assert first.exit_code == 0, first.stderr
    renamed = REGISTRY.replace("Department of Health", "Hanoi Department of Health")
    second = build_site(NEW, registry=renamed)
    assert second.exit_code == 0, second.stderr
    written = feeds(second.output)
    assert written == fresh(build_site, {**corpus(), **NEW}, registry=renamed)
    assert b"Hanoi Department of Health" in written["en/atom.xml"]


def test_after_a_build_that_failed_once_its_feeds_were_written_the_live_feeds_still_serve(build_site, monkeypatch):
    """The failed build's record points into its own output, which was never published: its places are not
    read (the live files are not as it recorded them), and the next build's feeds are whole."""
    first = build_site(corpus())
    assert first.exit_code == 0, first.stderr
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(first.output.parent / "no-pagefind-here"))  # fails at the end
    with pytest.raises(SearchIndexError):
        build_site(NEW)
    monkeypatch.delenv("PAGEFIND_BINARY_PATH")
    third = build_site({})
    assert third.exit_code == 0, third.stderr
    assert feeds(third.output) == fresh(build_site, {**corpus(), **NEW})
