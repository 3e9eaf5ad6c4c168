"""Nothing embargoed or draft leaks; builds are atomic and reproducible; old URLs work."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, release, run_cli, write_tree
from plugins.security_headers.policy import render_headers_file, render_nginx

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)
FUTURE = "2026-03-01 09:00"  # after the tests' "now", 2026-01-01 07:00 Hanoi
MARKERS = ("zqxembargo", "zqxdraft", "zqxphoto", "zqxtag", "zqxsummary", "zqxalias")


def corpus() -> dict:
    return {
        "releases/2025/cong-khai.vi.md": release("Công khai", tags="Y tế", body="Tin đã công bố."),
        "releases/2025/cong-khai.en.md": release("Public one", tags="Health"),
        "releases/2026/cam-van.vi.md": release(
            "Tin zqxembargo",
            date=FUTURE,
            tags="Zqxtag",
            summary="Tóm tắt zqxsummary",
            agency="quan-dong-da",
            aliases="/2026/03/zqxalias-cu/",
            body='Nội dung zqxembargo.\n\n![Ảnh]({static}/images/zqxphoto-bi-mat.png "Ảnh: zqxembargo")',
        ),
        "releases/2026/cam-van.en.md": release("News zqxembargo", date=FUTURE, tags="Zqxtag", agency="quan-dong-da"),
        "releases/2025/nhap.vi.md": release(
            "Nháp zqxdraft",
            status="draft",
            tags="Zqxtag",
            body="Nháp zqxdraft.\n\n![Ảnh]({static}/images/zqxphoto-nhap.png)",
        ),
        "releases/2025/nua.vi.md": release("Một nửa", date="2025-06-01 10:00"),
        "releases/2026/nua.en.md": release("Half zqxembargo", date="2026-06-01 10:00"),
        "images/zqxphoto-bi-mat.png": PNG,
        "images/zqxphoto-nhap.png": PNG,
        "images/cong-khai.png": PNG,
    }


def every_output_text(output: Path) -> str:
    """Every file's bytes and every path name, decompressed where compressed."""
    chunks = []
    for path in sorted(output.rglob("*")):
        chunks.append(str(path.relative_to(output)))
        if path.is_file():
            data = path.read_bytes()
            if path.suffix == ".gz":
                data = gzip.decompress(data)
            chunks.append(data.decode("utf-8", errors="replace"))
    return "\n".join(chunks).lower()


def test_no_marker_of_a_withheld_release_is_anywhere_in_the_output(build_site):
    site = build_site(corpus())
    assert site.exit_code == 0, site.stderr
    text = every_output_text(site.output)
    for marker in MARKERS:
        assert marker not in text, marker
    assert (site.output / "images/cong-khai.png").is_file(), "photos of published content are still copied"
    assert not (site.output / "drafts").exists()
    assert not (site.output / "2026").exists()
    assert "<dt>" not in text or "0 thông cáo" in site.html("/co-quan/").get_text()


def test_the_same_release_appears_once_its_date_has_come(build_site, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1772330400")  # 2026-03-01 09:00 Hanoi
    site = build_site(corpus())
    text = every_output_text(site.output)
    assert "zqxembargo" in text and "zqxphoto-bi-mat" in text and "zqxtag" in text
    assert (site.output / "images/zqxphoto-bi-mat.png").is_file()
    assert "zqxdraft" not in text and "zqxphoto-nhap" not in text


def test_preview_shows_withheld_releases_marked_and_unindexed(tmp_path):
    write_tree(tmp_path / "content", corpus())
    result = run_cli(
        "-s",
        str(ROOT / "previewconf.py"),
        "-i",
        str(tmp_path / "content"),
        "-o",
        str(tmp_path / "preview"),
        "build",
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "preview/2026/03/tin-zqxembargo/index.html").read_text(encoding="utf-8")
    assert "Chưa được công bố trước" in page and 'content="noindex, nofollow"' in page
    draft = (tmp_path / "preview/2025/05/nhap-zqxdraft/index.html").read_text(encoding="utf-8")
    assert "Bản nháp: chưa công bố." in draft


def test_two_builds_of_the_same_content_are_byte_identical(build_site):
    first = build_site(corpus(), name="one")
    second = build_site(corpus(), name="two")

    def ours(output: Path) -> list[Path]:
        # Pagefind's filter index is not byte-stable between runs upstream (Pagefind
        # issue #638: hash-map order); everything Pressroom writes must be.
        return sorted(p.relative_to(output) for p in output.rglob("*") if p.is_file() and "pagefind" not in p.parts)

    files_one, files_two = ours(first.output), ours(second.output)
    assert files_one == files_two and len(files_one) > 30
    different = [str(p) for p in files_one if (first.output / p).read_bytes() != (second.output / p).read_bytes()]
    assert different == []
    entries = [json.loads((site.output / "pagefind/pagefind-entry.json").read_text()) for site in (first, second)]
    counts = [{lang: data["page_count"] for lang, data in entry["languages"].items()} for entry in entries]
    assert counts[0] == counts[1] and counts[0]["vi"] > 0


def test_a_crashing_build_leaves_the_last_good_output_byte_for_byte(tmp_path):
    content, output = tmp_path / "content", tmp_path / "output"
    write_tree(content, {"releases/2025/a.vi.md": release("Một")})
    assert run_cli("-i", str(content), "-o", str(output), "build", cwd=ROOT).returncode == 0
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    (theme / "templates/article.html").write_text(
        "{% extends 'base.html' %}{% block content %}{{ broken(", encoding="utf-8"
    )
    settings = tmp_path / "broken.py"
    settings.write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *\nTHEME = {str(theme)!r}\n",
        encoding="utf-8",
    )
    write_tree(content, {"releases/2025/b.vi.md": release("Hai", date="2025-05-10 10:00")})
    crashed = run_cli("-s", str(settings), "-i", str(content), "-o", str(output), "build", cwd=ROOT)
    assert crashed.returncode != 0
    assert {p: p.read_bytes() for p in output.rglob("*") if p.is_file()} == before
    assert not list(tmp_path.glob(".pressroom-*"))


@pytest.mark.parametrize("when", ["all_generators_finalized", "article_writer_finalized"])
def test_an_error_logged_before_or_while_rendering_stops_the_build_with_a_clear_line(tmp_path, when):
    """Before the render workers fork (each inherited the count and failed with a traceback), or in every process
    while rendering: the build says what it logged and that nothing was published."""
    content, output = tmp_path / "content", tmp_path / "output"
    write_tree(content, {"releases/2025/a.vi.md": release("Một")})
    assert run_cli("-i", str(content), "-o", str(output), "build", cwd=ROOT).returncode == 0
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    (tmp_path / "logs_an_error.py").write_text(
        "import logging\nfrom pelican import signals\n\n"
        "def log_an_error(*args, **kwargs):\n    logging.getLogger('plugin').error('something went wrong')\n\n"
        f"def register():\n    signals.{when}.connect(log_an_error)\n",
        encoding="utf-8",
    )
    settings = tmp_path / "with_plugin.py"
    settings.write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nsys.path.insert(0, {str(tmp_path)!r})\n"
        "from pelicanconf import *\nPLUGINS = [*PLUGINS, 'logs_an_error']\n",
        encoding="utf-8",
    )
    failed = run_cli(
        "-s", str(settings), "-i", str(content), "-o", str(output), "build", env={"PRESSROOM_RENDER_WORKERS": "2"}
    )
    assert failed.returncode == 1
    assert "something went wrong" in failed.stderr and "Traceback" not in failed.stderr
    last = failed.stderr.strip().splitlines()[-1]
    assert last.startswith("error: ") and last.endswith(f"{output} is unchanged"), last
    assert {p: p.read_bytes() for p in output.rglob("*") if p.is_file()} == before


def test_an_alias_redirects_to_the_current_url(build_site):
    site = build_site(
        {
            "releases/2025/a.en.md": release(
                "New title", slug="new-title", aliases="/en/2025/05/old-title/, /2024/12/very-old"
            ),
        }
    )
    page = site.html("/en/2025/05/old-title/")
    refresh = page.find("meta", attrs={"http-equiv": "refresh"})["content"]
    assert refresh == "0; url=../../../../en/2025/05/new-title/"
    assert page.find("link", rel="canonical")["href"] == "/en/2025/05/new-title/"
    assert page.html["lang"] == "en"
    assert site.exists("/2024/12/very-old/")
    assert (site.output / "_redirects").read_text().splitlines() == [
        "/2024/12/very-old/ /en/2025/05/new-title/ 301",
        "/en/2025/05/old-title/ /en/2025/05/new-title/ 301",
    ]


def test_make_redirects_writes_the_nginx_map(tmp_path):
    write_tree(tmp_path / "content", {"releases/2025/a.vi.md": release("Mới", aliases="/2025/05/cu/")})
    result = run_cli("-i", str(tmp_path / "content"), "redirects", "--file", str(tmp_path / "redirects"), cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "redirects").read_text().splitlines()[1:] == ["/2025/05/cu/ /2025/05/moi/;"]


def test_committed_deploy_files_are_up_to_date(tmp_path):
    result = run_cli("redirects", "--file", str(tmp_path / "redirects"), cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "redirects").read_text() == (ROOT / "deploy/redirects").read_text()
    assert (ROOT / "deploy/_headers").read_text() == render_headers_file()
    assert (ROOT / "deploy/security-headers.conf").read_text() == render_nginx()


def test_an_alias_cannot_take_another_release_url(tmp_path):
    write_tree(
        tmp_path / "content",
        {
            "releases/2025/a.vi.md": release("Một"),
            "releases/2025/b.vi.md": release("Hai", aliases="/2025/05/mot/"),
        },
    )
    result = run_cli("-i", str(tmp_path / "content"), "check", cwd=tmp_path)
    assert result.returncode == 1
    assert "b.vi.md:4: error: alias /2025/05/mot/ is already the address of" in result.stderr


def test_check_warns_when_a_published_url_changes_without_an_alias(tmp_path):
    content = tmp_path / "content"
    write_tree(content, {"releases/2025/a.vi.md": release("Tên cũ")})

    def git(*args):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q")
    git("-c", "user.email=t@example.org", "-c", "user.name=t", "add", ".")
    git("-c", "user.email=t@example.org", "-c", "user.name=t", "commit", "-qm", "first")
    write_tree(content, {"releases/2025/a.vi.md": release("Tên mới")})
    warned = run_cli("-i", str(content), "check", cwd=tmp_path)
    assert warned.returncode == 0
    assert (
        "a.vi.md:1: warning: the published address /2025/05/ten-cu/ would change to /2025/05/ten-moi/ "
        "(add a line 'Aliases: /2025/05/ten-cu/'"
    ) in warned.stderr
    write_tree(content, {"releases/2025/a.vi.md": release("Tên mới", aliases="/2025/05/ten-cu/")})
    fixed = run_cli("-i", str(content), "check", cwd=tmp_path)
    assert "would change" not in fixed.stderr


def test_check_refuses_a_published_release_moved_without_its_identity(tmp_path):
    content = tmp_path / "content"
    write_tree(content, {"releases/2025/a.vi.md": release("Một")})

    def git(*args):
        subprocess.run(["git", "-c", "user.email=t@example.org", "-c", "user.name=t", *args], cwd=tmp_path, check=True)

    git("init", "-q")
    git("add", ".")
    git("commit", "-qm", "first")
    (content / "releases/2026").mkdir()
    git("mv", "content/releases/2025/a.vi.md", "content/releases/2026/b.vi.md")
    moved = run_cli("-i", str(content), "check", cwd=tmp_path)
    assert moved.returncode == 1
    assert (
        "releases/2026/b.vi.md:1: error: this published release was content/releases/2025/a.vi.md: moved, its "
        "identity '2025/a' would become '2026/b', and every feed would show it again as a new item (move it back, "
        "or add a line 'Id: 2025/a' to both its language versions)"
    ) in moved.stderr
    (content / "releases/2026/b.vi.md").write_text(release("Một", id="2025/a"), encoding="utf-8")
    kept = run_cli("-i", str(content), "check", cwd=tmp_path)
    assert kept.returncode == 0, kept.stderr


def test_pages_carry_the_security_policy_and_no_inline_code(build_site):
    site = build_site(corpus())
    for path in site.output.rglob("*.html"):
        page = site.html("/" + str(path.relative_to(site.output)))
        if page.find("meta", attrs={"http-equiv": "refresh"}):
            continue
        csp = page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert csp is not None and "script-src 'self'" in csp["content"], path
        assert "unsafe-inline" not in csp["content"]
        # Only external scripts run; JSON-LD is a data block (not executed, not subject to CSP).
        scripts = [s for s in page.find_all("script") if s.get("type") != "application/ld+json"]
        assert all(script.get("src") for script in scripts), path
        assert page.find("style") is None and page.find(style=True) is None, path
    headers = (site.output / "_headers").read_text()
    for name in (
        "Content-Security-Policy",
        "Referrer-Policy",
        "X-Content-Type-Options: nosniff",
        "frame-ancestors 'none'",
    ):
        assert name in headers


def test_the_build_copies_only_photos_and_documents_whatever_links_them(tmp_path):
    """The content check refuses these files and links; the build itself stops on them too, and publishes
    nothing (here built without the check, as a plugin set without it would; in a process of its own, as
    Pelican's plugins stay connected in the process that loaded them)."""
    (tmp_path / "secret.txt").write_text("SECRET-OUTSIDE", encoding="utf-8")
    files = {
        "releases/2025/x.vi.md": release(
            "Một", body="[a]({attach}../../../secret.txt) [b]({static}/files/trang.html) [c]({static}/agencies.yml)"
        ),
        "files/trang.html": "<script>SCRIPT-MARKER</script>",
        "images/logo.svg": "<svg><script>SVG-MARKER</script></svg>",
    }
    write_tree(tmp_path / "content", files)
    settings = tmp_path / "unchecked.py"
    settings.write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *\n"
        f"THEME = {str(ROOT / 'theme')!r}\nPLUGINS = [name for name in PLUGINS if name != 'plugins.content_check']\n",
        encoding="utf-8",
    )
    result = run_cli("-s", str(settings), "-i", "content", "-o", "output", "build", cwd=tmp_path)
    assert result.returncode == 1
    assert "content/files/trang.html: error: this file cannot be published: a .html file would run" in result.stderr
    assert "secret.txt: error: this file cannot be published: it is outside the content folder" in result.stderr
    assert "content/images/logo.svg: error: this file cannot be published" in result.stderr
    assert not (tmp_path / "output").exists()
    leftovers = [p.name for p in tmp_path.rglob("*") if p.is_file() and "content" not in p.parts]
    assert sorted(leftovers) == [".output.pressroom-lock", "secret.txt", "unchecked.py"]  # no staging folder left
