"""Bad content stops the build: non-zero exit, file:line: message (fix), no traceback,
and the last good output untouched."""

from __future__ import annotations

import os
import random

import pytest

from conftest import ROOT, release, run_cli, write_tree

GOOD = {"releases/2025/tot.vi.md": release("Thông cáo tốt")}
PAGE = "Title: Giới thiệu\n\nTrang giới thiệu.\n"

CASES = {
    "missing title": (
        {"releases/2025/x.vi.md": "Date: 2025-05-09 16:30\nAgency: so-y-te\n\nNội dung.\n"},
        "releases/2025/x.vi.md:1: error: the Title is missing (add a line 'Title: ...' to the header)",
    ),
    "empty title": (
        {"releases/2025/x.vi.md": "Title:\nDate: 2025-05-09 16:30\nAgency: so-y-te\n\nNội dung.\n"},
        "releases/2025/x.vi.md:1: error: the Title is missing",
    ),
    "malformed date": (
        {"releases/2025/x.vi.md": release("Một", date="2025-13-45 10:00")},
        "releases/2025/x.vi.md:2: error: Date '2025-13-45 10:00' is not a date and time "
        "(write YYYY-MM-DD HH:MM, Hanoi time, e.g. 2025-05-09 16:30)",
    ),
    "date in another format": (
        {"releases/2025/x.vi.md": release("Một", date="09/05/2025")},
        "releases/2025/x.vi.md:2: error: Date '09/05/2025' is not a date and time",
    ),
    "missing date": (
        {"releases/2025/x.vi.md": "Title: Một\nAgency: so-y-te\n\nNội dung.\n"},
        "releases/2025/x.vi.md:1: error: the Date is missing",
    ),
    "missing agency": (
        {"releases/2025/x.vi.md": "Title: Một\nDate: 2025-05-09 16:30\n\nNội dung.\n"},
        "releases/2025/x.vi.md:1: error: the Agency is missing "
        "(add a line 'Agency: <slug>' with slugs from agencies.yml)",
    ),
    "a header field after a tab": (
        {"releases/2025/x.vi.md": "Title: Một\n\tDate: 2025-05-09 16:30\nAgency: so-y-te\n\nNội dung.\n"},
        "releases/2025/x.vi.md:2: warning: 'Date:' starts with a tab, which ends the header: this line and the lines "
        "after it are read as the text (remove the tab before 'Date:')",
    ),
    "a header field without its colon": (
        {"releases/2025/x.vi.md": "Title: Một\nDate: 2025-05-09 16:30\nAgency so-y-te\n\nNội dung.\n"},
        "releases/2025/x.vi.md:3: warning: 'Agency' has no ':' after it, which ends the header: this line and the "
        "lines after it are read as the text (write 'Agency: so-y-te')",
    ),
    "a file name that is not ascii": (
        {"releases/2025/Bà Đình một cửa.vi.md": release("Một")},
        "releases/2025/Bà Đình một cửa.vi.md:1: error: the file name 'Bà Đình một cửa' is not plain ASCII: it is the "
        "release's permanent identity, in its feeds' ids (rename it ba-dinh-mot-cua.vi.md (its other language's file "
        "too))",
    ),
    "a link to the address of a release under embargo": (
        {
            "releases/2025/x.vi.md": release("Một", body="Xem [sắp tới](/2099/01/sap-toi/)."),
            "releases/2099/y.vi.md": release("Sắp tới", date="2099-01-02 09:00"),
        },
        "releases/2025/x.vi.md:5: error: the link '/2099/01/sap-toi/' is the address of content/releases/2099/y.vi.md, "
        "which is not published yet: the address would be out before the release",
    ),
    "a link to a file outside the content folder": (
        {"releases/2025/x.vi.md": release("Một", body="[Tải]({attach}../../../../../../../../etc/passwd)")},
        "releases/2025/x.vi.md:5: error: the link '{attach}../../../../../../../../etc/passwd' cannot be published: "
        "it is outside the content folder (put photos in content/images/",
    ),
    "a link to the agency registry": (
        {"releases/2025/x.vi.md": release("Một", body="[Tải]({static}/agencies.yml)")},
        "releases/2025/x.vi.md:5: error: the link '{static}/agencies.yml' cannot be published: it is not in images/ "
        "or files/",
    ),
    "an html file among the files": (
        {"files/trang.html": "<script src='x.js'></script>", "releases/2025/x.vi.md": release("Một")},
        "files/trang.html: error: this file cannot be published: a .html file would run or show as the portal's own "
        "page (keep only photos",
    ),
    "an svg image": (
        {"images/logo.svg": "<svg><script>alert(1)</script></svg>", "releases/2025/x.vi.md": release("Một")},
        "images/logo.svg: error: this file cannot be published: a .svg file would run",
    ),
    "an alias with a tab, which would add rules to the redirect map": (
        {"releases/2025/x.vi.md": release("Một", aliases="/x\t//evil.example;\t~^/\t//evil.example;\t#")},
        "releases/2025/x.vi.md:4: error: alias '/x\t//evil.example;\t~^/\t//evil.example;\t#' is not a path on this "
        "site",
    ),
    "an alias that is another page's file": (
        {"releases/2025/x.vi.md": release("Một", aliases="/gioi-thieu/index.html"), "pages/gioi-thieu.vi.md": PAGE},
        "releases/2025/x.vi.md:4: error: alias /gioi-thieu/ is already the address of",
    ),
    "an alias in the search index": (
        {"releases/2025/x.vi.md": release("Một", aliases="/pagefind/pagefind.js")},
        "releases/2025/x.vi.md:4: error: alias /pagefind/pagefind.js is an address of the site's own pages",
    ),
    "a topic without a letter": (
        {"releases/2025/x.vi.md": release("Một", tags="Y tế, !!!")},
        "releases/2025/x.vi.md:4: error: the topic '!!!' makes no address: it has no letter or digit",
    ),
    "unknown agency": (
        {"releases/2025/x.vi.md": release("Một", agency="so-y-tee")},
        "releases/2025/x.vi.md:3: error: unknown agency 'so-y-tee' (did you mean 'so-y-te'?)",
    ),
    "language suffix": (
        {"releases/2025/x.fr.md": release("Un")},
        "releases/2025/x.fr.md: error: language suffix 'fr' is not vi or en (rename it x.vi.md)",
    ),
    "no language suffix": (
        {"releases/2025/x.md": release("Một")},
        "releases/2025/x.md: error: the file name has no language suffix (rename it x.vi.md (vi or en))",
    ),
    "not utf-8": (
        {"releases/2025/x.vi.md": release("Một", body="Dòng một.\n\nHà N\xf4i").encode("cp1258", errors="replace")},
        "releases/2025/x.vi.md:7: error: the file is not UTF-8",
    ),
    "shared url": (
        {"releases/2025/x.vi.md": release("Cùng tên"), "releases/2025/y.vi.md": release("Cùng tên")},
        "releases/2025/x.vi.md:1: error: this would be published at /2025/05/cung-ten/, the same URL as",
    ),
    "shared url, the newer release told to change": (
        {
            "releases/2025/a.vi.md": release("Cùng tên", date="2025-05-20 09:00"),
            "releases/2025/b.vi.md": release("Cùng tên", date="2025-05-02 09:00"),
        },
        "releases/2025/a.vi.md:1: error: this would be published at /2025/05/cung-ten/, the same URL as "
        "content/releases/2025/b.vi.md (give this one a different 'Slug: ...')",
    ),
    "unknown field": (
        {"releases/2025/x.vi.md": release("Một", tag="Y tế")},
        "releases/2025/x.vi.md:4: error: unknown field 'Tag' (did you mean 'Tags'?)",
    ),
    "a title too long for an address": (
        {"releases/2025/x.vi.md": release("Rất dài " * 40)},
        "releases/2025/x.vi.md:1: error: the Title makes an address of 319 characters, more than an address can "
        "hold (255) (add a line 'Slug: a-few-words' with a short address for it)",
    ),
    "a slug too long": (
        {"releases/2025/x.vi.md": release("Một", slug="-".join(["mot"] * 70))},
        "releases/2025/x.vi.md:4: error: Slug is 279 characters long, more than an address can hold (255)",
    ),
    "a topic too long for an address": (
        {"releases/2025/x.vi.md": release("Một", tags="Y tế, " + "chủ đề " * 40)},
        "releases/2025/x.vi.md:4: error: the topic 'chủ đề chủ đề chủ đề chủ đề chủ đề chủ đ...' makes an address "
        "of 279 characters, more than an address can hold (255) (shorten the topic to a few words; topics are "
        "separated by commas)",
    ),
    "an alias too long for an address": (
        {"releases/2025/x.vi.md": release("Một", aliases="/2025/05/" + "a" * 300 + "/")},
        "releases/2025/x.vi.md:4: error: alias '/2025/05/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...' has a "
        "part longer than an address can hold (255 characters)",
    ),
    "an alias that is the home page": (
        {"releases/2025/x.vi.md": release("Một", aliases="/")},
        "releases/2025/x.vi.md:4: error: alias / is an address of the site's own pages (list only former addresses "
        "of this release, like /2025/05/old-slug/)",
    ),
    "an alias that is a listing": (
        {"releases/2025/x.vi.md": release("Một", aliases="/co-quan/so-y-te/")},
        "releases/2025/x.vi.md:4: error: alias /co-quan/so-y-te/ is an address of the site's own pages",
    ),
    "an alias out of the site": (
        {"releases/2025/x.vi.md": release("Một", aliases="/../../etc/")},
        "releases/2025/x.vi.md:4: error: alias '/../../etc/' is not a path on this site",
    ),
    "an id that cannot be an identity": (
        {"releases/2025/x.vi.md": release("Một", id="cms 2019/1")},
        "releases/2025/x.vi.md:4: error: Id 'cms 2019/1' cannot be a release's identity (use letters, digits and - _ "
        ". / only, like 'cms-2019/12345', or remove the line)",
    ),
    "two releases with one id": (
        {"releases/2025/x.vi.md": release("Một", id="cms-1"), "releases/2025/y.vi.md": release("Hai", id="cms-1")},
        "releases/2025/x.vi.md:4: error: this release's identity 'cms-1' is also that of",
    ),
    "no text": (
        {"releases/2025/x.vi.md": "Title: Một\nDate: 2025-05-09 16:30\nAgency: so-y-te\n"},
        "releases/2025/x.vi.md:4: error: the release has no text (write it below the header, after a blank line)",
    ),
    "an id on one language version only": (
        {"releases/2025/x.vi.md": release("Một", id="cms-1"), "releases/2025/x.en.md": release("One")},
        "releases/2025/x.en.md:1: error: this version's identity '2025/x' differs from 'cms-1' in "
        "content/releases/2025/x.vi.md (put the same 'Id: cms-1' line in content/releases/2025/x.en.md)",
    ),
    "translations with different ids": (
        {"releases/2025/x.vi.md": release("Một", id="cms-1"), "releases/2025/x.en.md": release("One", id="cms-2")},
        "releases/2025/x.en.md:4: error: this version's identity 'cms-2' differs from 'cms-1' in "
        "content/releases/2025/x.vi.md (both language versions of a release carry the same Id)",
    ),
    "translations disagree on date": (
        {"releases/2025/x.vi.md": release("Một"), "releases/2025/x.en.md": release("One", date="2025-05-10 16:30")},
        "releases/2025/x.en.md:2: error: Date 2025-05-10 16:30 differs from 2025-05-09 16:30",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_stops_the_build_with_file_line_and_fix(tmp_path, case):
    files, expected = CASES[case]
    content, output = tmp_path / "content", tmp_path / "output"
    write_tree(content, GOOD)
    first = run_cli("-i", str(content), "-o", str(output), "build", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}

    write_tree(content, files)
    result = run_cli("-i", str(content), "-o", str(output), "build", cwd=tmp_path)

    assert result.returncode == 1
    assert f"content/{expected}" in result.stderr
    assert "Traceback" not in result.stderr
    assert "is unchanged" in result.stderr
    after = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    assert after == before
    assert not list(tmp_path.glob(".pressroom-*")), "a failed build leaves no staging directory"


def test_every_problem_is_reported_at_once(tmp_path):
    write_tree(
        tmp_path / "content",
        {
            "releases/2025/a.vi.md": release("Một", date="2025-02-30 10:00"),
            "releases/2025/b.vi.md": release("Hai", agency="khong-co"),
        },
    )
    result = run_cli("-i", str(tmp_path / "content"), "-o", str(tmp_path / "output"), "build", cwd=tmp_path)
    assert result.returncode == 1
    assert "a.vi.md:2: error: Date '2025-02-30 10:00'" in result.stderr
    assert "b.vi.md:3: error: unknown agency 'khong-co'" in result.stderr
    assert "2 content errors" in result.stderr
    assert not (tmp_path / "output").exists()


@pytest.mark.parametrize(
    ("registry", "expected"),
    [
        (
            "- slug: so-y-te\n  kind: department\n  name: {vi: Sở Y tế, en: Health}\n"
            "- slug: so-y-te\n  kind: department\n  name: {vi: Sở Y tế 2, en: Health 2}\n",
            "agencies.yml:4: error: duplicate slug 'so-y-te' (first on line 1)",
        ),
        (
            "- slug: so-y-te\n  kind: department\n  name: {vi: Sở Y tế}\n",
            "agencies.yml:1: error: agency 'so-y-te' has no name in 'en' (add 'en: ...' under name)",
        ),
        (
            "- slug: so-y-te\n  kind: department\n  name: {vi: Sở Y tế, en: Health\n",
            "agencies.yml:4: error: not valid YAML",
        ),
        (
            "- slug: Sở Y tế\n  kind: department\n  name: {vi: Sở Y tế, en: Health}\n",
            "agencies.yml:1: error: slug 'Sở Y tế' is not lowercase ASCII with hyphens",
        ),
        (
            "- slug: so-y-te\n  kind: department\n  name: {vi: Sở Y tế, en: Health}\n  website: javascript:alert(1)\n",
            "agencies.yml:1: error: website 'javascript:alert(1)' of 'so-y-te' is not a web address "
            "(write it in full, like https://soyte.hanoi.gov.vn)",
        ),
    ],
)
def test_bad_registry_names_the_line(tmp_path, registry, expected):
    write_tree(tmp_path / "content", {}, registry=registry)
    result = run_cli("-i", str(tmp_path / "content"), "-o", str(tmp_path / "output"), "build", cwd=tmp_path)
    assert result.returncode == 1
    assert f"content/{expected}" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_tree_without_releases_is_checked_too(tmp_path, workers):
    """With two cores the check starts with the build, beside it; with no file to read, it still rules."""
    write_tree(tmp_path / "content", {}, registry="- slug: so-y-te\n  kind: department\n  name: {vi: Sở Y tế}\n")
    env = {"PRESSROOM_RENDER_WORKERS": workers}
    result = run_cli("-i", str(tmp_path / "content"), "-o", str(tmp_path / "output"), "build", cwd=tmp_path, env=env)
    assert result.returncode == 1
    assert "content/agencies.yml:1: error: agency 'so-y-te' has no name in 'en'" in result.stderr
    assert not (tmp_path / "output").exists()


def test_page_slug_cannot_take_a_site_url(tmp_path):
    write_tree(tmp_path / "content", {"pages/x.vi.md": "Title: Cơ quan\nSlug: co-quan\n\nNội dung.\n"})
    result = run_cli("-i", str(tmp_path / "content"), "-o", str(tmp_path / "output"), "build", cwd=tmp_path)
    assert result.returncode == 1
    assert "pages/x.vi.md:2: error: the page URL /co-quan/ is used by the site itself" in result.stderr


def test_check_command_reports_without_building(tmp_path):
    write_tree(tmp_path / "content", {"releases/2025/x.vi.md": release("Một", agency="so-y-tee")})
    result = run_cli("-i", str(tmp_path / "content"), "-o", str(tmp_path / "output"), "check", cwd=tmp_path)
    assert result.returncode == 1
    assert "content/releases/2025/x.vi.md:3: error: unknown agency 'so-y-tee'" in result.stderr
    assert not (tmp_path / "output").exists()


def test_bad_source_date_epoch_is_a_clear_error(tmp_path):
    write_tree(tmp_path / "content", GOOD)
    result = run_cli(
        "-i",
        str(tmp_path / "content"),
        "-o",
        str(tmp_path / "output"),
        "build",
        cwd=tmp_path,
        env={"SOURCE_DATE_EPOCH": "yesterday"},
    )
    assert result.returncode == 2
    assert "error: SOURCE_DATE_EPOCH='yesterday' is not a Unix timestamp" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("case", ["date in another format", "not utf-8", "unknown agency", "missing title"])
def test_the_check_beside_reading_reports_exactly_what_the_check_before_reading_does(tmp_path, case):
    """With two cores the check runs while Pelican reads; Pelican's own messages about the bad file never show."""
    files, expected = CASES[case]
    content = tmp_path / "content"
    write_tree(content, {**GOOD, **files})
    runs = {
        workers: run_cli("-i", str(content), "-o", str(tmp_path / "output"), "build", cwd=tmp_path, env=env)
        for workers, env in (("1", {"PRESSROOM_RENDER_WORKERS": "1"}), ("2", {"PRESSROOM_RENDER_WORKERS": "2"}))
    }
    for result in runs.values():
        assert result.returncode == 1
        assert expected in result.stderr
        assert "could not be read" not in result.stderr and "Could not process" not in result.stderr
        assert "Traceback" not in result.stderr
    assert runs["2"].stderr == runs["1"].stderr
    assert not (tmp_path / "output").exists()
    assert not list(tmp_path.glob(".pressroom-*")), "a failed build leaves no staging directory"


def test_warnings_and_pelicans_messages_come_out_the_same_beside_reading(tmp_path):
    # A release without its translation (a warning from the check) and a topic spelt two ways.
    content = tmp_path / "content"
    write_tree(
        content,
        {
            **GOOD,
            "releases/2025/mot.vi.md": release("Một", tags="Giao thông"),
            "releases/2025/hai.vi.md": release("Hai", date="2025-05-10 09:00", tags="Giao thong"),
            "releases/2025/hai.en.md": release("Two", date="2025-05-10 09:00", tags="Traffic"),
        },
    )
    runs = {
        workers: run_cli("-i", str(content), "-o", str(tmp_path / f"output-{workers}"), "build", cwd=tmp_path, env=env)
        for workers, env in (("1", {"PRESSROOM_RENDER_WORKERS": "1"}), ("2", {"PRESSROOM_RENDER_WORKERS": "2"}))
    }
    assert runs["1"].returncode == 0, runs["1"].stderr
    assert "warning" in runs["1"].stderr
    assert runs["2"].returncode == 0, runs["2"].stderr
    assert runs["2"].stderr == runs["1"].stderr


@pytest.mark.parametrize("name", ["releases/2025/thong-cao.vi.html", "pages/gioi-thieu.rst"])
def test_a_file_pelican_has_no_reader_for_is_named_with_its_fix(tmp_path, name):
    """The check names it (Pelican's own walk for files of its disabled readers is left out: it said less)."""
    write_tree(tmp_path / "content", {**GOOD, name: "<p>Nội dung.</p>\n"})
    result = run_cli("-i", str(tmp_path / "content"), "-o", str(tmp_path / "output"), "build", cwd=tmp_path)
    assert result.returncode == 1
    section = name.split("/")[0]
    assert f"content/{name}: error: only Markdown files (.md) belong in {section}/" in result.stderr
    assert "name it" in result.stderr
    assert not (tmp_path / "output").exists()


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_file_the_reader_fails_on_unforeseen_is_named_with_the_reason_and_a_fix(tmp_path, workers):
    """What the content check does not foresee: Pelican's own line named the file only ("Could not process")."""
    content, output = tmp_path / "content", tmp_path / "output"
    write_tree(content, {**GOOD, "releases/2025/b.vi.md": release("Hỏng")})
    assert run_cli("-i", str(content), "-o", str(output), "build", cwd=tmp_path).returncode == 0
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    (tmp_path / "extra").mkdir()
    (tmp_path / "extra" / "fails_on_one.py").write_text(
        "from pelican import signals\n\n"
        "def fail(sender, metadata):\n"
        "    if metadata.get('title') == 'Hỏng':\n"
        "        raise ValueError('the reader met something new')\n\n"
        "def register():\n    signals.article_generator_context.connect(fail)\n",
        encoding="utf-8",
    )
    settings = tmp_path / "failing.py"
    settings.write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *\n"
        f"THEME = {str(ROOT / 'theme')!r}\nPLUGIN_PATHS = [{str(tmp_path / 'extra')!r}]\n"
        "PLUGINS = [*PLUGINS, 'fails_on_one']\n",
        encoding="utf-8",
    )
    (content / "releases/2025/b.vi.md").write_text(release("Hỏng", body="Đã sửa."), encoding="utf-8")

    failed = run_cli(
        "-s",
        str(settings),
        "-i",
        str(content),
        "-o",
        str(output),
        "build",
        cwd=tmp_path,
        env={"PRESSROOM_RENDER_WORKERS": workers},
    )

    assert failed.returncode == 1, failed.stderr
    assert (
        "content/releases/2025/b.vi.md: error: this file could not be read (ValueError: the reader met something "
        "new) (check its header and text against the content format in the README; if they look right, report this "
        "line with the file to the site's maintainers)"
    ) in failed.stderr
    assert "Could not process" not in failed.stderr and "Traceback" not in failed.stderr
    assert failed.stderr.strip().splitlines()[-1].endswith(f"{output} is unchanged")
    assert {p: p.read_bytes() for p in output.rglob("*") if p.is_file()} == before


def test_a_failed_build_leaves_nothing_in_the_temp_folder(tmp_path):
    """With a fresh cache the article store is written by a fork while the check rules; a build the check
    stops waits for it (the CLI leaves with os._exit, skipping atexit) and leaves no result file behind."""
    files, expected = CASES["malformed date"]
    content, temp = tmp_path / "content", tmp_path / "tmp"
    write_tree(content, {**GOOD, **files})
    temp.mkdir()
    env = {"TMPDIR": str(temp), "PRESSROOM_CACHE_PATH": str(tmp_path / "cache"), "PRESSROOM_RENDER_WORKERS": "2"}
    result = run_cli("-i", str(content), "-o", str(tmp_path / "output"), "build", cwd=tmp_path, env=env)
    assert result.returncode == 1 and expected in result.stderr
    assert list(temp.iterdir()) == []
    assert list((tmp_path / "cache").rglob("*")), "the store of what was read is kept for the next build"


@pytest.mark.parametrize("where", ["content", "output under a file", "output is a file"])
def test_a_wrong_folder_is_named_with_its_fix_before_any_work(tmp_path, where):
    write_tree(tmp_path / "content", GOOD)
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    content, output = str(tmp_path / "content"), str(tmp_path / "output")
    if where == "content":
        content = str(tmp_path / "contnet")
        expected = f"error: the content folder {content} does not exist: give the folder that holds agencies.yml"
        fix = "(-i FOLDER, or make INPUTDIR=FOLDER)"
    elif where == "output under a file":
        output = str(tmp_path / "a-file" / "output")
        expected = f"error: the output folder {output} cannot be made: {tmp_path / 'a-file'} is a file"
        fix = "(-o FOLDER, or make OUTPUTDIR=FOLDER)"
    else:
        output = str(tmp_path / "a-file")
        expected = f"error: the output {output} is a file, not a folder"
        fix = "(-o FOLDER, or make OUTPUTDIR=FOLDER)"
    result = run_cli("-i", content, "-o", output, "build", cwd=tmp_path)
    assert result.returncode == 2
    assert expected in result.stderr and fix in result.stderr
    assert "Traceback" not in result.stderr
    assert (tmp_path / "a-file").read_text(encoding="utf-8") == "not a folder"
    assert not list(tmp_path.glob(".pressroom-*"))


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs Linux's /proc, where no file can be made")
def test_an_output_folder_where_nothing_can_be_written_is_named_before_any_work(tmp_path):
    write_tree(tmp_path / "content", GOOD)
    result = run_cli("-i", "content", "-o", "/proc/pressroom-output", "build", cwd=tmp_path)
    assert result.returncode == 2
    assert "error: the output folder /proc/pressroom-output cannot be made: " in result.stderr
    assert "(-o FOLDER, or make OUTPUTDIR=FOLDER)" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("where", ["content", "above the content", "inside the content", "someone's files"])
def test_an_output_folder_whose_replacement_would_lose_files_is_refused(tmp_path, where):
    """A build swaps its whole output for the new site: built into the content folder, it deleted the content."""
    site = tmp_path / "site"
    write_tree(site / "content", GOOD)
    (site / "notes.txt").write_text("mine", encoding="utf-8")
    output, expected = {
        "content": (site / "content", "is the content folder"),
        "above the content": (site, "holds the content folder"),
        "inside the content": (site / "content" / "output", "is inside the content folder"),
        "someone's files": (tmp_path / "documents", "holds files a build did not write"),
    }[where]
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "letter.txt").write_text("mine", encoding="utf-8")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    result = run_cli("-i", str(site / "content"), "-o", str(output), "build", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert f"error: the output folder {output} {expected}" in result.stderr
    assert "(-o FOLDER, or make OUTPUTDIR=FOLDER" in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_a_theme_folder_that_is_not_there_names_the_settings_file(tmp_path):
    """Pelican refuses it with a ValueError, which was a traceback."""
    write_tree(tmp_path / "content", GOOD)
    settings = tmp_path / "mysite.py"
    settings.write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *\nTHEME = 'themes/pressrom'\n",
        encoding="utf-8",
    )
    result = run_cli("-s", str(settings), "-i", "content", "-o", "output", "build", cwd=tmp_path)
    assert result.returncode == 2
    assert "error: Could not find the theme themes/pressrom (fix the setting in mysite.py)" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "output").exists()


def test_a_field_named_in_vietnamese_is_a_warning_that_names_the_english_one(tmp_path):
    """Python-Markdown reads 'Thẻ: Y tế' as the first line of the text: the topics would be lost without a word."""
    text = "Title: Một\nDate: 2025-05-09 16:30\nAgency: so-y-te\nThẻ: Y tế\n\nNội dung.\n"
    content, output = tmp_path / "content", tmp_path / "output"
    write_tree(
        content, {"releases/2025/x.vi.md": text, "releases/2025/y.vi.md": release("Hai", body="Hà Nội: nội dung.")}
    )
    result = run_cli("-i", str(content), "-o", str(output), "build", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (
        "content/releases/2025/x.vi.md:4: warning: 'Thẻ:' is read as the first line of the text, not as a header "
        "field (write 'Tags:')"
    ) in result.stderr
    assert "y.vi.md:5" not in result.stderr  # text after the blank line is text, whatever it looks like


#: Ways staff (and editors) mangle a release file; each took the build down with a traceback once, or nearly.
MANGLINGS = {
    "a character dropped": lambda text, rng: text[: (i := rng.randrange(len(text)))] + text[i + 1 :],
    "a line twice": lambda text, rng: text.replace("\n", "\n" + text.split("\n")[rng.randrange(3)] + "\n", 1),
    "no text": lambda text, rng: text.split("\n\n")[0],
    "only a table": lambda text, rng: text.split("\n\n")[0] + "\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
    "an empty field": lambda text, rng: text.replace("\n", f"\n{rng.choice(['Tags', 'Slug', 'Status', 'Id'])}:\n", 1),
    "a title far too long": lambda text, rng: text.replace("Title: ", "Title: " + "Rất dài " * 50, 1),
    "an alias of the site's own": lambda text, rng: text.replace("\n", f"\nAliases: {rng.choice(['/', '/en/'])}\n", 1),
    "an alias out of the site": lambda text, rng: text.replace("\n", "\nAliases: /../..\n", 1),
    "Windows line ends": lambda text, rng: text.replace("\n", "\r\n"),
    "a byte order mark": lambda text, rng: "\ufeff" + text,
    "not UTF-8": lambda text, rng: text.encode("utf-8")[:20] + b"\xff\xfe" + text.encode("utf-8")[20:],
    "a field in Vietnamese": lambda text, rng: text.replace("Tags:", "Thẻ:", 1),
}  # fmt: skip


def test_mangled_release_files_build_or_stop_with_the_file_named_never_a_traceback(tmp_path):
    """Each mangling, to a random release of a small site (seeded): the build succeeds, or it stops naming the file
    with an error and leaves the output as it was; never a traceback."""
    rng = random.Random(16)
    content, output = tmp_path / "content", tmp_path / "output"
    files = {
        f"releases/2025/tc-{n}.vi.md": release(f"Số {n}", f"2025-03-0{n + 1} 09:00", tags="Y tế") for n in range(4)
    }
    write_tree(content, files)
    assert run_cli("-i", str(content), "-o", str(output), "build", cwd=tmp_path).returncode == 0
    for name, mangle in MANGLINGS.items():
        target = content / f"releases/2025/tc-{rng.randrange(4)}.vi.md"
        original = target.read_bytes()
        mangled = mangle(original.decode("utf-8"), rng)
        target.write_bytes(mangled if isinstance(mangled, bytes) else mangled.encode("utf-8"))
        before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
        result = run_cli("-i", str(content), "-o", str(output), "build", cwd=tmp_path)
        assert "Traceback" not in result.stderr, (name, result.stderr[-2000:])
        if result.returncode != 0:
            errors = [line for line in result.stderr.splitlines() if ": error: " in line]
            assert any(f"content/releases/2025/{target.name}:" in line for line in errors), (name, result.stderr)
            assert {p: p.read_bytes() for p in output.rglob("*") if p.is_file()} == before, name
        target.write_bytes(original)


def test_publishing_without_the_sites_address_names_the_command_to_give_it(tmp_path):
    write_tree(tmp_path / "content", GOOD)
    env = {"SITEURL": ""}
    result = run_cli(
        "-s", str(ROOT / "publishconf.py"), "-i", "content", "-o", "output", "build", cwd=tmp_path, env=env
    )
    assert result.returncode == 2
    assert result.stderr.strip().endswith("make publish SITEURL=https://baochi.hanoi.gov.vn"), result.stderr
    assert not (tmp_path / "output").exists()
