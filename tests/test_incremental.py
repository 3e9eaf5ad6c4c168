"""A rebuild renders only what changed, and its output equals a build from scratch.

Each test builds a small site, edits its content, rebuilds it in place (the rebuild
starts from the live output and its record), and compares the result byte for byte
with a fresh build of the edited content in another folder. Unchanged files must be
the live output's own files (same inode: linked, not rendered or rewritten), and the
old output must never be written to.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import random
import shutil
import struct
import tarfile
import time
import zlib
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import REGISTRY, ROOT, finished_pid, release, write_tree
from plugins.article_store.store import READER_CACHE
from pressroom.build import build, load_settings, prune_caches

#: Pagefind's index is not byte-stable between runs (upstream); plugins/search reuses it by its own fingerprint.
SKIP = ("pagefind/",)


def files_of(output: Path) -> dict[str, Path]:
    found = {}
    for path in output.rglob("*"):
        relative = path.relative_to(output).as_posix()
        if path.is_file() and not relative.startswith(SKIP):
            found[relative] = path
    return found


def folders_of(output: Path) -> set[str]:
    return {path.relative_to(output).as_posix() for path in output.rglob("*") if path.is_dir()}


def snapshot(output: Path) -> dict[str, tuple[int, str]]:
    """Every file's inode and hash: what the live output held."""
    return {
        rel: (path.stat().st_ino, hashlib.sha256(path.read_bytes()).hexdigest())
        for rel, path in files_of(output).items()
    }


#: A 1x1 PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082"
)


def releases(count: int = 12) -> dict[str, str | bytes]:
    files = {}
    for number in range(count):
        day = 1 + number
        agency = "so-y-te" if number % 2 else "quan-dong-da"
        body = f"Đoạn mở đầu của thông cáo số {number}.\n\nĐoạn thứ hai, chi tiết."
        files[f"releases/2025/thong-cao-{number:02d}.vi.md"] = release(
            f"Thông cáo số {number}",
            f"2025-03-{day:02d} 09:00",
            agency,
            body,
            tags="Y tế, Giao thông",
            slug=f"thong-cao-{number:02d}",
        )
        if number % 3 == 0:
            files[f"releases/2025/thong-cao-{number:02d}.en.md"] = release(
                f"Release number {number}",
                f"2025-03-{day:02d} 09:00",
                agency,
                f"Opening of release {number}.",
                slug=f"release-{number:02d}",
            )
    files["releases/2025/thong-cao-01.vi.md"] = files["releases/2025/thong-cao-01.vi.md"].replace(
        "Đoạn thứ hai", "![Ảnh minh họa]({static}/images/2025/anh.png)\n\nĐoạn thứ hai"
    )
    files["images/2025/anh.png"] = PNG
    files["pages/gioi-thieu.vi.md"] = "Title: Giới thiệu\n\nTrung tâm Báo chí Thủ đô.\n"
    return files


class Workspace:
    """One site built again and again in place, and fresh builds to compare it with."""

    def __init__(self, root: Path):
        self.root = root
        self.content = root / "content"
        self.output = root / "output"
        self.fresh_count = 0

    def build(self, content: Path | None = None, output: Path | None = None) -> None:
        settings = load_settings(
            str(ROOT / "pelicanconf.py"),
            {"PATH": str(content or self.content), "OUTPUT_PATH": str(output or self.output), "SEARCH_INDEX": False},
        )
        assert build(settings) == 0

    def fresh(self) -> Path:
        """A build of the same content into a new folder, with no earlier output to start from."""
        self.fresh_count += 1
        output = self.root / f"fresh-{self.fresh_count}"
        self.build(output=output)
        return output

    def edit(self, name: str, text: str | None) -> None:
        path = self.content / name
        if text is None:
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")


@pytest.fixture
def site(tmp_path, now_epoch) -> Workspace:
    workspace = Workspace(tmp_path)
    write_tree(workspace.content, releases())
    workspace.build()
    return workspace


def rebuild_and_compare(site: Workspace) -> tuple[set[str], set[str]]:
    """Rebuild in place; assert it equals a fresh build; return (linked, rendered) paths."""
    before = snapshot(site.output)
    keep = site.root / "kept-old-output"  # the old output's inodes, held after it is retired
    shutil.rmtree(keep, ignore_errors=True)
    shutil.copytree(site.output, keep, copy_function=os.link)
    site.build()
    after = files_of(site.output)
    fresh_output = site.fresh()
    fresh = files_of(fresh_output)
    assert sorted(after) == sorted(fresh)
    # The live output's folders were made ahead (pressroom/folders.py): those left empty are gone.
    assert folders_of(site.output) == folders_of(fresh_output)
    different = [rel for rel in after if after[rel].read_bytes() != fresh[rel].read_bytes()]
    assert different == [], f"the rebuild differs from a fresh build in {different[:5]}"
    for rel, (_inode, digest) in before.items():  # nothing was written through a link into the old output
        assert hashlib.sha256((keep / rel).read_bytes()).hexdigest() == digest, rel
    linked = {rel for rel, path in after.items() if rel in before and path.stat().st_ino == before[rel][0]}
    return linked, set(after) - linked


def test_an_unchanged_rebuild_links_every_file_from_the_live_output(site):
    mtimes = {rel: path.stat().st_mtime_ns for rel, path in files_of(site.output).items()}
    linked, rendered = rebuild_and_compare(site)
    assert rendered == set()
    assert {"2025/03/thong-cao-05/index.html", "atom.xml", "sitemap.xml", "images/2025/anh.png"} <= linked
    assert {rel: path.stat().st_mtime_ns for rel, path in files_of(site.output).items()} == mtimes


def test_a_changed_image_is_copied_afresh(site):
    site.edit("images/2025/anh.png", None)
    (site.content / "images/2025/anh.png").write_bytes(PNG + b"\0")
    _linked, rendered = rebuild_and_compare(site)
    assert "images/2025/anh.png" in rendered


def png(width: int, height: int) -> bytes:
    """A blank PNG of the given size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\0" + b"\0\0\0\0" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def test_a_photo_replaced_by_one_of_another_size_gives_the_page_its_new_size(site):
    """The width and height are written into the release's HTML when it is parsed: a kept parse is not used
    once a photo it measured has another size, though the release's own file did not change."""
    # A page too: pages are served by Pelican's reader cache, releases by the article store.
    site.edit("pages/gioi-thieu.vi.md", "Title: Giới thiệu\n\n![Trụ sở]({static}/images/2025/anh.png)\n")
    site.build()
    release, page = site.output / "2025/03/thong-cao-01/index.html", site.output / "gioi-thieu/index.html"
    assert all('width="1"' in path.read_text(encoding="utf-8") for path in (release, page))
    (site.content / "images/2025/anh.png").write_bytes(png(8, 2))
    _linked, rendered = rebuild_and_compare(site)
    assert {"2025/03/thong-cao-01/index.html", "gioi-thieu/index.html"} <= rendered
    for path in (release, page):
        assert 'height="2"' in path.read_text(encoding="utf-8") and 'width="8"' in path.read_text(encoding="utf-8")


def test_a_changed_body_renders_that_release_and_its_feeds_only(site):
    name = "releases/2025/thong-cao-05.vi.md"
    text = (site.content / name).read_text(encoding="utf-8")
    site.edit(name, text.replace("Đoạn thứ hai, chi tiết.", "Đoạn thứ hai, đã sửa chi tiết."))
    linked, rendered = rebuild_and_compare(site)
    assert "2025/03/thong-cao-05/index.html" in rendered
    assert {"atom.xml", "co-quan/so-y-te/atom.xml"} <= rendered  # its full text is in the feeds
    # The summary did not change: listings and the other releases are linked, not rendered.
    assert {"index.html", "co-quan/so-y-te/index.html", "2025/03/thong-cao-04/index.html"} <= linked
    assert not any(rel.startswith("en/") for rel in rendered)


def test_a_new_release_writes_again_only_the_feeds_it_is_in(site):
    """Publishing, the most common build: the other feeds of its language keep their keys, so they are linked
    without being rendered (a feed rendered again to the same bytes is linked too, but costs its rendering)."""
    site.edit("releases/2025/thong-cao-20.vi.md", release("Thông cáo mới", "2025-04-01 08:00", "so-y-te", tags="Y tế"))
    before = recorded_keys(site.output)
    linked, rendered = rebuild_and_compare(site)
    after = recorded_keys(site.output)
    changed = {rel for rel in after if rel.endswith("atom.xml") and after[rel] != before.get(rel)}
    # Its language's, its agency's and its topic's; and an agency's without releases, whose updated time is the
    # language's newest.
    feeds = {"atom.xml", "co-quan/so-y-te/atom.xml", "chu-de/y-te/atom.xml", "co-quan/ubnd-ha-noi/atom.xml"}
    assert {rel for rel in rendered if rel.endswith("atom.xml")} == feeds
    assert changed == feeds
    assert {"co-quan/quan-dong-da/atom.xml", "chu-de/giao-thong/atom.xml", "en/atom.xml"} <= linked


def test_a_changed_title_reaches_every_page_that_shows_it(site):
    name = "releases/2025/thong-cao-05.vi.md"
    text = (site.content / name).read_text(encoding="utf-8")
    site.edit(name, text.replace("Title: Thông cáo số 5", "Title: Thông cáo số năm"))
    linked, rendered = rebuild_and_compare(site)
    # Its page, its neighbours (their pager shows its title), and the listings it is in.
    assert {
        "2025/03/thong-cao-05/index.html",
        "2025/03/thong-cao-04/index.html",
        "2025/03/thong-cao-06/index.html",
        "index.html",
        "co-quan/so-y-te/index.html",
    } <= rendered
    assert "2025/03/thong-cao-02/index.html" in linked


def test_every_home_page_follows_the_agency_counts_its_aside_shows(site):
    """The home page's aside counts each agency's releases on every page of the home listing, most of which list
    none of the releases that changed the counts (found by random edits compared with fresh builds)."""
    for number in range(12, 26):  # 26 releases: two pages of the home listing
        site.edit(
            f"releases/2025/thong-cao-{number:02d}.vi.md",
            release(f"Thông cáo số {number}", f"2025-04-{number - 11:02d} 09:00", "so-y-te", slug=f"tc-{number}"),
        )
    rebuild_and_compare(site)
    oldest = "releases/2025/thong-cao-02.vi.md"  # on the second page: the first lists none it changes
    text = (site.content / oldest).read_text(encoding="utf-8")
    site.edit(oldest, text.replace("Agency: quan-dong-da", "Agency: ubnd-ha-noi"))
    _linked, rendered = rebuild_and_compare(site)
    assert {"index.html", "page/2/index.html"} <= rendered
    counts = BeautifulSoup((site.output / "index.html").read_text(encoding="utf-8"), "html.parser")
    shown = [item.get_text(" ", strip=True) for item in counts.select("aside .aside-list li")]
    assert shown == ["Ủy ban nhân dân thành phố Hà Nội (1)", "Sở Y tế (20)", "Quận Đống Đa (5)"]


def test_links_in_an_unchanged_release_follow_the_release_they_name(site):
    """The article store keeps the hashes of each release's text and metadata as read; what its links
    resolve to, in its body or in its Summary, is keyed again by every build."""
    link = "[thông cáo số 9]({filename}thong-cao-09.vi.md)"
    in_body, in_summary = "releases/2025/thong-cao-02.vi.md", "releases/2025/thong-cao-04.vi.md"
    site.edit(in_body, (site.content / in_body).read_text(encoding="utf-8") + f"\nXem thêm {link}.\n")
    text = (site.content / in_summary).read_text(encoding="utf-8")
    site.edit(in_summary, text.replace("\n\n", f"\nSummary: Xem {link}.\n\n", 1))
    rebuild_and_compare(site)
    target = "releases/2025/thong-cao-09.vi.md"
    site.edit(target, (site.content / target).read_text(encoding="utf-8").replace("thong-cao-09\n", "thong-cao-chin\n"))
    _linked, rendered = rebuild_and_compare(site)
    assert {"2025/03/thong-cao-02/index.html", "co-quan/quan-dong-da/index.html"} <= rendered
    page = (site.output / "2025/03/thong-cao-02/index.html").read_text(encoding="utf-8")
    assert "2025/03/thong-cao-chin/" in page and "thong-cao-09/" not in page
    listing = (site.output / "co-quan/quan-dong-da/index.html").read_text(encoding="utf-8")
    assert "2025/03/thong-cao-chin/" in listing and "thong-cao-09/" not in listing


def test_a_link_to_a_release_under_embargo_follows_it_out_of_embargo(site, monkeypatch):
    """Left out while the release it names is withheld (plugins/intrasite_links/withheld.py), a link is
    published with the build whose clock lifts the embargo: the page that holds it is rendered again."""
    site.edit("releases/2025/thong-cao-20.vi.md", release("Sắp công bố", "2026-02-01 09:00", "so-y-te"))
    linking = "releases/2025/thong-cao-02.vi.md"
    text = (site.content / linking).read_text(encoding="utf-8")
    site.edit(linking, text + "\nXem [thông cáo sắp tới]({filename}thong-cao-20.vi.md).\n")
    rebuild_and_compare(site)
    page = (site.output / "2025/03/thong-cao-02/index.html").read_text(encoding="utf-8")
    assert "thông cáo sắp tới" in page and "thong-cao-20" not in page and "2026/02/" not in page
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1769911200")  # 2026-02-01 09:00 Hanoi
    _linked, rendered = rebuild_and_compare(site)
    assert "2025/03/thong-cao-02/index.html" in rendered
    page = (site.output / "2025/03/thong-cao-02/index.html").read_text(encoding="utf-8")
    assert "2026/02/sap-cong-bo/" in page


def test_adding_removing_and_withholding_releases_matches_a_fresh_build(site):
    site.edit("releases/2025/thong-cao-20.vi.md", release("Thông cáo mới", "2025-04-01 08:00", "so-y-te"))
    rebuild_and_compare(site)
    site.edit("releases/2025/thong-cao-03.en.md", None)
    rebuild_and_compare(site)
    site.edit(
        "releases/2025/thong-cao-07.vi.md",
        release("Thông cáo số 7", "2026-06-01 09:00", "so-y-te", "Chưa được công bố."),  # now under embargo
    )
    _linked, rendered = rebuild_and_compare(site)
    assert "2025/03/thong-cao-07/index.html" not in files_of(site.output)
    assert not (site.output / "2025/03/thong-cao-07").exists(), "an empty folder would still name it"
    assert "index.html" in rendered


def test_registry_tags_pages_and_images_changes_match_a_fresh_build(site):
    write_tree(site.content, {}, REGISTRY.replace("Sở Y tế", "Sở Y tế Hà Nội"))
    _linked, rendered = rebuild_and_compare(site)
    assert "2025/03/thong-cao-05/index.html" in rendered  # it names the agency
    name = "releases/2025/thong-cao-08.vi.md"
    site.edit(name, (site.content / name).read_text(encoding="utf-8").replace("Y tế, Giao thông", "Y tế"))
    rebuild_and_compare(site)
    site.edit("pages/gioi-thieu.vi.md", "Title: Về chúng tôi\n\nTrung tâm Báo chí Thủ đô.\n")
    _linked, rendered = rebuild_and_compare(site)
    assert "2025/03/thong-cao-01/index.html" in rendered  # the navigation names the page


def test_an_agencys_record_renders_again_only_the_pages_that_show_it(site):
    """A phone number, a website: its agency's page shows them, no release does (every page was rendered again)."""
    write_tree(site.content, {}, REGISTRY.replace("  email: soyte@hanoi.gov.vn\n", '  phone: "+84 24 3998 5765"\n'))
    _linked, rendered = rebuild_and_compare(site)
    pages = {path for path in rendered if path.endswith(".html")}
    assert pages, "the agency's page shows its phone"
    assert all(
        "so-y-te" in path or path.startswith(("co-quan/", "en/agencies/", "search/", "en/search/")) for path in pages
    ), pages
    assert "2025/03/thong-cao-05/index.html" not in rendered  # one of its releases: it shows the name alone


def header_field(text: str, key: str) -> str | None:
    header = text.split("\n\n", 1)[0]
    return next((line.split(": ", 1)[1] for line in header.splitlines() if line.startswith(f"{key}: ")), None)


def with_field(text: str, key: str, value: str | None) -> str:
    """The release's text with the header field set (None: removed)."""
    header, body = text.split("\n\n", 1)
    lines = [line for line in header.splitlines() if not line.startswith(f"{key}: ")]
    return "\n".join(lines + ([f"{key}: {value}"] if value is not None else [])) + "\n\n" + body


def random_edit(site: Workspace, rng: random.Random, number: int) -> str:
    """One edit of the kind staff make, to a random release; both language versions keep one Date and Agency."""
    vi = rng.choice(sorted((site.content / "releases/2025").glob("*.vi.md")))
    en = vi.with_name(vi.name.replace(".vi.md", ".en.md"))
    text = vi.read_text(encoding="utf-8")
    kind = rng.choice(
        ["body", "title", "embargo", "publish", "add", "delete", "tags", "agency", "draft", "undraft",
         "translate", "untranslate", "registry", "summary", "link"]
    )  # fmt: skip
    day = f"2025-0{rng.randint(1, 9)}-{rng.randint(10, 28)} {rng.randint(10, 18)}:00"
    agencies = ", ".join(rng.sample(["so-y-te", "quan-dong-da"], rng.randint(1, 2)))
    other = rng.choice(sorted(vi.parent.glob("*.vi.md"))).name
    edits = {
        "body": lambda: text + f"\nĐoạn thêm {number}.\n",
        "title": lambda: with_field(text, "Title", f"Tiêu đề {number}"),
        "embargo": lambda: with_field(text, "Date", "2026-06-01 09:00"),  # after the tests' "now"
        "publish": lambda: with_field(text, "Date", day),
        "tags": lambda: with_field(text, "Tags", ", ".join(rng.sample(["Y tế", "Giao thông", "Giáo dục"], 2))),
        "agency": lambda: with_field(text, "Agency", agencies),
        "draft": lambda: with_field(text, "Status", "draft"),
        "undraft": lambda: with_field(text, "Status", None),
        "summary": lambda: with_field(text, "Summary", f"Tóm tắt {number}."),
        "link": lambda: text + f"\nXem [thông cáo khác]({{filename}}{other}).\n",
    }
    if kind in edits:
        vi.write_text(edits[kind](), encoding="utf-8")
    elif kind == "add":
        site.edit(f"releases/2025/moi-{number}.vi.md", release(f"Mới {number}", day, "so-y-te", tags="Y tế"))
    elif kind == "delete":
        vi.unlink()
    elif kind == "translate" and not en.exists():
        en.write_text(release(f"New {number}", "2025-01-01 08:00", "so-y-te"), encoding="utf-8")
    elif kind == "untranslate" and en.exists():
        en.unlink()
    elif kind == "registry":
        registry = (site.content / "agencies.yml").read_text(encoding="utf-8")
        (site.content / "agencies.yml").write_text(registry.replace("Sở Y tế", f"Sở Y tế {number}", 1), "utf-8")
    if vi.exists() and en.exists():
        pair = vi.read_text(encoding="utf-8")
        english = en.read_text(encoding="utf-8")
        for key in ("Date", "Agency"):
            english = with_field(english, key, header_field(pair, key))
        en.write_text(english, encoding="utf-8")
    return f"{kind} {vi.name}"


def test_random_edits_rebuilt_in_place_each_match_a_fresh_build_with_its_own_cache(site, monkeypatch):
    """Edits of every kind, chosen at random (seeded: the same ones on every run), each rebuilt in place and
    compared with a fresh build whose cache is empty: how the stale counts of the home page's aside were found
    (with this seed, the twelve edits find them again if the home pages' keys leave the aside out)."""
    for number in range(12, 26):  # two pages of the home listing, and of the agency's
        site.edit(f"releases/2025/thong-cao-{number:02d}.vi.md", release(f"Số {number}", f"2025-04-{number:02d} 09:00"))
    site.build()
    shared_cache = os.environ["PRESSROOM_CACHE_PATH"]
    fresh = site.fresh

    def fresh_with_its_own_cache() -> Path:
        monkeypatch.setenv("PRESSROOM_CACHE_PATH", f"{shared_cache}-fresh-{site.fresh_count}")
        try:
            return fresh()
        finally:
            monkeypatch.setenv("PRESSROOM_CACHE_PATH", shared_cache)

    site.fresh = fresh_with_its_own_cache
    rng = random.Random(5)
    done = []
    for number in range(12):
        done.append(random_edit(site, rng, number))
        try:
            rebuild_and_compare(site)
        except AssertionError as error:
            raise AssertionError(f"after {done}: {error}") from error


def test_a_file_changed_by_hand_in_the_output_is_rendered_again(site):
    page = site.output / "2025/03/thong-cao-05/index.html"
    original = page.read_bytes()
    page.unlink()
    page.write_bytes(b"<p>changed by hand</p>")
    _linked, rendered = rebuild_and_compare(site)
    assert "2025/03/thong-cao-05/index.html" in rendered
    assert page.read_bytes() == original


def restore_as_ci_does(site: Workspace, keep_times: bool = False) -> None:
    """What a CI job starts from: a fresh checkout, and the output and cache as its cache step restores them.

    Both folders come back from a tar archive (new inodes, the times kept, as with
    actions/cache). Every content file gets a new time (a checkout's), and unless
    ``keep_times`` so does every output file (a restore that did not keep them).
    """
    for folder in (site.output, Path(os.environ["PRESSROOM_CACHE_PATH"])):
        archive = folder.parent / f"{folder.name}.tar"
        with tarfile.open(archive, "w") as tar:
            tar.add(folder, arcname=folder.name)
        shutil.rmtree(folder)
        with tarfile.open(archive) as tar:
            tar.extractall(folder.parent, filter="tar")
        archive.unlink()
    checkout, restore = time.time() + 120, time.time() + 60
    for folder, when in ((site.content, checkout), (site.output, None if keep_times else restore)):
        for path in folder.rglob("*") if when else ():
            os.utime(path, (when, when))


def files_rendered(build, caplog) -> int:
    """Run ``build``; how many files it rendered (not linked from the live output), as its ledger logs it."""
    from pelican.log import LimitFilter

    LimitFilter._ignore.clear()  # Pelican drops a message it logged before: the count may be the same
    LimitFilter._raised_messages.clear()
    caplog.clear()
    build()
    (counted,) = [r.args[0] for r in caplog.records if r.msg.startswith("Rendered %d file(s)")]
    return counted


@pytest.mark.parametrize("keep_times", [True, False], ids=["times kept", "times lost"])
def test_a_restored_output_and_cache_are_reused_file_by_file(site, caplog, keep_times):
    """CI keeps no output between jobs: with both restored, an unchanged build renders nothing. A file with its
    recorded size and time is taken as it is; one with another time, if its bytes hash to the recorded ones."""
    caplog.set_level(logging.INFO, logger="plugins.incremental.ledger")
    unkeyed = files_rendered(site.build, caplog)  # made on every build (the 404 page, the headers...)
    restore_as_ci_does(site, keep_times)
    mtimes = {rel: path.stat().st_mtime_ns for rel, path in files_of(site.output).items()}
    assert files_rendered(site.build, caplog) == unkeyed  # the release with a photo too: a new time is no change
    linked, rendered = rebuild_and_compare(site)
    assert rendered == set()
    assert {"2025/03/thong-cao-05/index.html", "atom.xml", "index.html", "images/2025/anh.png"} <= linked
    assert {rel: path.stat().st_mtime_ns for rel, path in files_of(site.output).items()} == mtimes
    # The record now stamps the restored files: the next build takes them without reading them.
    linked, rendered = rebuild_and_compare(site)
    assert rendered == set()


def test_after_a_restore_a_changed_release_renders_only_what_shows_it(site):
    restore_as_ci_does(site)
    name = "releases/2025/thong-cao-05.vi.md"
    text = (site.content / name).read_text(encoding="utf-8")
    site.edit(name, text.replace("Đoạn thứ hai, chi tiết.", "Đoạn thứ hai, đã sửa chi tiết."))
    linked, rendered = rebuild_and_compare(site)
    assert {"2025/03/thong-cao-05/index.html", "atom.xml", "co-quan/so-y-te/atom.xml"} <= rendered
    assert {"index.html", "co-quan/so-y-te/index.html", "2025/03/thong-cao-04/index.html"} <= linked


def test_a_restored_file_whose_bytes_differ_is_rendered_again(site):
    """Same size, same time, other bytes: only the record's sha256 tells, and the page is made again."""
    restore_as_ci_does(site)
    page = site.output / "2025/03/thong-cao-05/index.html"
    original = page.read_bytes()
    stat = page.stat()
    page.write_bytes(original.replace("Đoạn".encode(), "ĐOẠN".encode()[: len("Đoạn".encode())], 1))
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert page.read_bytes() != original and page.stat().st_size == stat.st_size
    _linked, rendered = rebuild_and_compare(site)
    assert rendered == {"2025/03/thong-cao-05/index.html"}
    assert page.read_bytes() == original


def test_a_record_is_used_only_for_the_output_it_describes(site):
    """The cache serves several outputs (site, preview, tests): a folder is matched to its record by inode, else
    (a restored copy) by path."""
    from plugins.incremental import Ledger

    (record,) = Path(os.environ["PRESSROOM_CACHE_PATH"]).rglob(f"renders-{site.output.stat().st_ino}.pickle")

    def ledger_for(output: Path) -> Ledger:
        settings = {"CACHE_CONTENT": True, "CACHE_PATH": str(record.parent), "PRESSROOM_PREVIOUS_OUTPUT": str(output)}
        return Ledger(settings, str(site.root / "staging"))

    own = ledger_for(site.output)
    assert "index.html" in own.previous
    copy = site.root / "copy"
    shutil.copytree(site.output, copy)
    assert ledger_for(copy).previous == {}
    shutil.rmtree(site.output)
    copy.rename(site.output)  # a new folder at the output's path
    assert ledger_for(site.output).previous == own.previous


def test_a_rebuild_after_a_failed_build_starts_from_the_live_output(site):
    site.edit("releases/2025/hong.vi.md", "Title: Thiếu ngày\n\nNội dung.\n")
    settings = load_settings(str(ROOT / "pelicanconf.py"), {"PATH": str(site.content), "OUTPUT_PATH": str(site.output)})
    assert build(settings) == 1
    site.edit("releases/2025/hong.vi.md", None)
    _linked, rendered = rebuild_and_compare(site)
    assert rendered == set()


def test_a_template_edited_between_builds_in_one_process_renders_everything_again(site):
    theme = site.root / "theme"
    shutil.copytree(ROOT / "theme", theme)
    settings = load_settings(
        str(ROOT / "pelicanconf.py"),
        {"PATH": str(site.content), "OUTPUT_PATH": str(site.output), "SEARCH_INDEX": False, "THEME": str(theme)},
    )
    assert build(settings) == 0
    footer = theme / "templates/partials/footer.html"
    footer.write_text(footer.read_text(encoding="utf-8") + "<!-- edited -->\n", encoding="utf-8")
    assert build(settings) == 0  # as the dev server does: same process, same settings
    pages = [path for path in site.output.rglob("*.html") if b"<html" in path.read_bytes()]
    assert pages and all(b"<!-- edited -->" in path.read_bytes() for path in pages)


def test_a_build_prunes_the_caches_of_reading_code_no_longer_used(tmp_path, now_epoch):
    base = tmp_path / "cache"
    current = base / "0123456789abcdef"
    current.mkdir(parents=True)
    hour_ago = time.time() - 3600
    for number, name in enumerate(["aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb", "cccccccccccccccc"]):
        folder = base / name
        (folder / "ArticlesGenerator-Readers").parent.mkdir()
        (folder / "ArticlesGenerator-Readers").write_bytes(b"old parse")
        os.utime(folder, (hour_ago - number * 60, hour_ago - number * 60))
    # Two other builds used these in the last minutes: neither is deleted under them.
    for name, seconds in (("dddddddddddddddd", 30), ("eeeeeeeeeeeeeeee", 90)):
        (base / name).mkdir()
        os.utime(base / name, (time.time() - seconds, time.time() - seconds))
    keep_anyway = base / "not-a-cache"  # not a cache folder: never touched
    keep_anyway.mkdir()
    os.utime(keep_anyway, (hour_ago - 600, hour_ago - 600))
    prune_caches(str(current))
    assert sorted(path.name for path in base.iterdir()) == [
        "0123456789abcdef",
        "dddddddddddddddd",
        "eeeeeeeeeeeeeeee",
        "not-a-cache",
    ]


def test_a_real_build_keeps_its_own_cache(tmp_path, monkeypatch, now_epoch):
    monkeypatch.setenv("PRESSROOM_CACHE_PATH", str(tmp_path / "cache"))
    old = tmp_path / "cache" / "ffffffffffffffff"
    old.mkdir(parents=True)
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    older = tmp_path / "cache" / "eeeeeeeeeeeeeeee"
    older.mkdir()
    os.utime(older, (time.time() - 9000, time.time() - 9000))
    write_tree(tmp_path / "content", {"releases/2025/a.vi.md": release("Thông cáo")})
    settings = load_settings(
        str(ROOT / "pelicanconf.py"),
        {"PATH": str(tmp_path / "content"), "OUTPUT_PATH": str(tmp_path / "output"), "SEARCH_INDEX": False},
    )
    assert build(settings) == 0
    kept = tmp_path / "cache" / os.path.basename(settings["CACHE_PATH"])
    assert (kept / READER_CACHE).is_file() and list(kept.glob("articles-*.pickle"))  # plugins/article_store
    assert old.is_dir() and not older.exists()


def test_the_ledger_never_writes_through_a_link_into_the_live_output(tmp_path):
    """A new file is written in place; a file already in the build (maybe a live file's link) is replaced."""
    from plugins.incremental import Ledger

    live, staging = tmp_path / "output", tmp_path / "staging"
    (live / "a").mkdir(parents=True)
    (live / "a" / "index.html").write_bytes(b"live page")
    (live / "b.xml").write_bytes(b"same bytes")
    staging.mkdir()
    ledger = Ledger({"PRESSROOM_PREVIOUS_OUTPUT": str(live)}, str(staging))

    assert ledger.write("new/deep/index.html", b"fresh") is True  # its folders are made
    assert (staging / "new" / "deep" / "index.html").read_bytes() == b"fresh"

    assert ledger.write("b.xml", b"same bytes") is False  # unchanged bytes: the live file, linked
    assert (staging / "b.xml").stat().st_ino == (live / "b.xml").stat().st_ino

    (staging / "a").mkdir()
    os.link(live / "a" / "index.html", staging / "a" / "index.html")  # as a reused page is, earlier in the build
    assert ledger.write("a/index.html", b"new page") is True
    assert (staging / "a" / "index.html").read_bytes() == b"new page"
    assert (live / "a" / "index.html").read_bytes() == b"live page"
    assert (staging / "a" / "index.html").stat().st_ino != (live / "a" / "index.html").stat().st_ino


def recorded_keys(output: Path) -> dict[str, str]:
    """The key the ledger recorded for every file of ``output`` (what a rebuild compares with)."""
    cache = Path(os.environ["PRESSROOM_CACHE_PATH"])
    (record,) = cache.rglob(f"renders-{output.stat().st_ino}.pickle")
    files = pickle.loads(record.read_bytes())["files"]
    return {relative: entry[0] for relative, entry in files.items()}


def test_every_file_has_the_same_key_whatever_the_number_of_render_workers(site, monkeypatch):
    """A release's links resolve against one base in its key, not against the page its process rendered last:
    otherwise feeds rendered by another process than the release's page get another key, and are rendered again
    after the number of workers changes (the bytes are the same, so only the output's inodes could not tell)."""
    image = "\n\n![Ảnh]({static}/images/2025/anh.png)\n"
    for path in sorted(site.content.glob("releases/2025/*.md")):  # a link in every release: some in each shard
        site.edit(path.relative_to(site.content).as_posix(), path.read_text(encoding="utf-8") + image)
    keys = {}
    for workers in ("1", "2", "1"):
        monkeypatch.setenv("PRESSROOM_RENDER_WORKERS", workers)
        site.build()
        keys[workers] = recorded_keys(site.output)
    assert "atom.xml" in keys["1"] and "2025/03/thong-cao-05/index.html" in keys["1"]
    different = sorted(relative for relative in keys["1"] if keys["1"][relative] != keys["2"].get(relative))
    assert different == []


def test_equal_values_have_equal_digests_whether_or_not_they_are_one_object():
    from plugins.incremental.keys import digest

    shared = "Thông cáo " * 20
    copy = "".join(["Thông cáo "] * 20)
    assert shared is not copy
    assert digest([shared, shared], (1, None)) == digest([shared, copy], (1, None))
    assert digest([shared, shared]) != digest([shared, shared + "."])


def test_compiled_templates_are_kept_and_an_edited_one_is_compiled_again(tmp_path, now_epoch, monkeypatch):
    """Jinja's bytecode cache, in a folder named by the build key: a build loads what the last one compiled."""
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    write_tree(tmp_path / "content", releases(2))
    output = tmp_path / "output"

    def built() -> str:
        overrides = {"PATH": str(tmp_path / "content"), "OUTPUT_PATH": str(output), "THEME": str(theme)}
        settings = load_settings(str(ROOT / "pelicanconf.py"), {**overrides, "SEARCH_INDEX": False})
        assert build(settings) == 0
        return (output / "2025/03/thong-cao-00/index.html").read_text(encoding="utf-8")

    built()
    compiled = {path: path.stat().st_mtime_ns for path in Path(os.environ["PRESSROOM_CACHE_PATH"]).rglob("*.cache")}
    assert len(compiled) >= 10  # every template the build used: article, listings, partials
    built()  # loaded, not compiled and written again
    assert {path: path.stat().st_mtime_ns for path in compiled} == compiled
    article = theme / "templates" / "article.html"
    article.write_text(article.read_text(encoding="utf-8").replace("<article ", "<article data-edited ", 1))
    assert "data-edited" in built()


def test_the_cache_follows_the_slug_settings_it_keeps_slugs_for():
    """Slugs made from titles are kept in the cache with the parse: a slug setting changed starts a new cache."""
    from pressroom.build import cache_path

    settings = load_settings(str(ROOT / "pelicanconf.py"))
    other = {**settings, "SLUG_REGEX_SUBSTITUTIONS": [*settings["SLUG_REGEX_SUBSTITUTIONS"], (r"-", "_")]}
    assert cache_path(settings) == cache_path(dict(settings))
    assert cache_path(other) != cache_path(settings)


def test_a_failed_replacement_keeps_the_old_file_and_leaves_nothing_behind(tmp_path):
    """pressroom.output.replace_file: the store, the reader cache and the records are written whole or not at all."""
    from pressroom.output import replace_file

    target = tmp_path / "store.pickle"
    target.write_bytes(b"old")

    def fails(handle) -> None:
        handle.write(b"half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        replace_file(str(target), fails)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["store.pickle"]
    replace_file(str(target), lambda handle: handle.write(b"new"))
    assert target.read_bytes() == b"new"


def test_the_replaced_output_can_be_left_for_the_caller(site, monkeypatch):
    """The benchmark removes a replaced output itself, away from the builds it times."""
    before = snapshot(site.output)
    monkeypatch.setenv("PRESSROOM_KEEP_REPLACED_OUTPUT", "1")
    site.edit(
        "releases/2025/thong-cao-02.vi.md",
        release("Thông cáo đã sửa", "2025-03-03 09:00", "so-y-te", "Nội dung mới.", slug="thong-cao-02"),
    )
    site.build()
    kept = [folder / "output" for folder in site.root.glob(".pressroom-old-*")]
    assert len(kept) == 1
    assert snapshot(kept[0]) == before  # the last output as it was, every file its own
    assert "Thông cáo đã sửa" in (site.output / "2025/03/thong-cao-02/index.html").read_text(encoding="utf-8")


def test_a_workers_share_of_the_record_left_by_a_stopped_build_is_removed(site, monkeypatch):
    """A worker writes its share of the record before the main process gathers it; a build stopped in between
    leaves the share (a megabyte at 5,000 releases) in the cache, for the next build to remove."""
    monkeypatch.setenv("PRESSROOM_RENDER_WORKERS", "2")
    (record,) = Path(os.environ["PRESSROOM_CACHE_PATH"]).rglob(f"renders-{site.output.stat().st_ino}.pickle")
    ended = finished_pid()
    stale, live = record.parent / f"part-{ended}-1.pickle", record.parent / f"part-{os.getpid()}-1.pickle"
    for part in (stale, live):  # named by the main process; the second's still runs (a build into another output)
        part.write_bytes(pickle.dumps({"written": {}}))
    name = "releases/2025/thong-cao-01.vi.md"
    site.edit(name, (site.content / name).read_text(encoding="utf-8") + "\nThêm.\n")
    site.build()
    assert not stale.exists() and live.exists()


def test_a_cache_file_left_half_written_by_a_killed_build_is_removed(site, monkeypatch):
    (record,) = Path(os.environ["PRESSROOM_CACHE_PATH"]).rglob(f"renders-{site.output.stat().st_ino}.pickle")
    half = record.parent / f"content-check.pickle.{finished_pid()}.tmp"  # as pressroom.output.replace_file names it
    writing = record.parent / f"content-check.pickle.{os.getpid()}.tmp"  # another build, still writing it
    for path in (half, writing):
        path.write_bytes(b"half a pickle")
    site.build()
    assert not half.exists() and writing.exists()


def test_a_cache_pickle_that_this_code_cannot_read_is_nothing_not_a_crash(tmp_path):
    import pickle

    from pressroom.output import read_pickle, replace_pickle

    good = tmp_path / "good.pickle"
    replace_pickle(str(good), {"files": {}})
    assert read_pickle(str(good)) == {"files": {}}
    data = good.read_bytes()
    (tmp_path / "half.pickle").write_bytes(data[: len(data) // 2])  # a writer killed meanwhile
    # Written by other code: a module this code does not have (ImportError).
    foreign = pickle.dumps(pickle.PickleError).replace(b"_pickle", b"_nowher")  # the same length
    (tmp_path / "foreign.pickle").write_bytes(foreign)
    for name in ("half.pickle", "foreign.pickle", "missing.pickle"):
        assert read_pickle(str(tmp_path / name)) is None, name
