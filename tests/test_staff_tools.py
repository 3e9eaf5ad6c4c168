"""The staff's commands, run as staff run them: `make check`, `make new`, `make schedule`,
`make translations`, `make codeowners`, and the pull-request workflows."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import NOW_EPOCH, REGISTRY, ROOT, release, run_cli, write_tree

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)
BASE = {
    "images/anh.png": PNG,
    "releases/2025/nen.vi.md": release("Nền", tags="Y tế"),
    "releases/2025/nen.en.md": release("Base", tags="Health"),
}


def make(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    environ = {**os.environ, "SOURCE_DATE_EPOCH": NOW_EPOCH, **(env or {})}
    environ.pop("MAKEFLAGS", None)
    return subprocess.run(["make", "-s", *args], cwd=ROOT, env=environ, capture_output=True, text=True, check=False)


def tree(tmp_path: Path, files: dict, registry: str = REGISTRY) -> Path:
    content = tmp_path / "content"
    write_tree(content, {**BASE, **files}, registry)
    return content


ERRORS = {
    "missing title": (
        {"releases/2025/x.vi.md": "Date: 2025-05-09 16:30\nAgency: so-y-te\n\nNội dung.\n"},
        "releases/2025/x.vi.md:1: error: the Title is missing (add a line 'Title: ...' to the header)",
    ),
    "missing date": (
        {"releases/2025/x.vi.md": "Title: Một\nAgency: so-y-te\n\nNội dung.\n"},
        "releases/2025/x.vi.md:1: error: the Date is missing",
    ),
    "missing agency": (
        {"releases/2025/x.vi.md": "Title: Một\nDate: 2025-05-09 16:30\n\nNội dung.\n"},
        "releases/2025/x.vi.md:1: error: the Agency is missing",
    ),
    "translations disagree on date": (
        {"releases/2025/x.vi.md": release("Một"), "releases/2025/x.en.md": release("One", date="2025-05-09 17:30")},
        "releases/2025/x.en.md:2: error: Date 2025-05-09 17:30 differs from 2025-05-09 16:30",
    ),
    "missing image file": (
        {"releases/2025/x.vi.md": release("Một", body="Mở đầu.\n\n![Ảnh]({static}/images/anh-khac.png)")},
        "releases/2025/x.vi.md:7: error: the image '{static}/images/anh-khac.png' points to a file that does not exist",
    ),
    "missing linked release": (
        {"releases/2025/x.vi.md": release("Một", body="Xem [bài trước]({filename}/releases/2025/khong-co.vi.md).")},
        "releases/2025/x.vi.md:5: error: the link '{filename}/releases/2025/khong-co.vi.md' points to a file",
    ),
    "relative file link": (
        {"releases/2025/x.vi.md": release("Một", body="Tải [văn bản](van-ban.pdf).")},
        "releases/2025/x.vi.md:5: error: the link 'van-ban.pdf' is not a link the site can follow "
        "(put the file under content/images/ or content/files/ and write {static}/images/van-ban.pdf)",
    ),
    "image without alt": (
        {"releases/2025/x.vi.md": release("Một", body="Mở đầu.\n\n![]({static}/images/anh.png)")},
        "releases/2025/x.vi.md:7: error: the image '{static}/images/anh.png' has no alt text",
    ),
    "raw img without alt": (
        {"releases/2025/x.vi.md": release("Một", body='Mở đầu.\n\n<img src="{static}/images/anh.png">')},
        "releases/2025/x.vi.md:7: error: an image has no alt text",
    ),
    "placeholder left in a published release": (
        {"releases/2025/x.vi.md": release("Một", body="Viết đoạn mở đầu ở đây. (make new)")},
        "releases/2025/x.vi.md:5: error: the body still holds the placeholder text from make new",
    ),
    "a translation stub's title left in a published release": (
        {"releases/2025/x.en.md": release("Translation of: Một (make new)", body="Opening.")},
        "releases/2025/x.en.md:1: error: the title still holds the placeholder from make new (write the title in "
        "this language, or keep 'Status: draft' until it is translated)",
    ),
    "translations disagree on agency": (
        {"releases/2025/x.vi.md": release("Một"), "releases/2025/x.en.md": release("One", agency="ubnd-ha-noi")},
        "releases/2025/x.en.md:3: error: Agency 'ubnd-ha-noi' differs from 'so-y-te'",
    ),
    "unknown agency": (
        {"releases/2025/x.vi.md": release("Một", agency="so-yte")},
        "releases/2025/x.vi.md:3: error: unknown agency 'so-yte' (did you mean 'so-y-te'?)",
    ),
    "unknown field": (
        {"releases/2025/x.vi.md": release("Một", summery="Tóm tắt")},
        "releases/2025/x.vi.md:4: error: unknown field 'Summery' (did you mean 'Summary'?)",
    ),
    "language suffix": (
        {"releases/2025/x.de.md": release("Eins")},
        "releases/2025/x.de.md: error: language suffix 'de' is not vi or en",
    ),
    "two releases share a URL": (
        {"releases/2025/x.vi.md": release("Trùng"), "releases/2025/y.vi.md": release("Trùng")},
        "releases/2025/y.vi.md:1: error: this would be published at /2025/05/trung/, the same URL as",
    ),
    "not utf-8": (
        {"releases/2025/x.vi.md": "Title: Hà Nội\nDate: 2025-05-09 16:30\n".encode("utf-16")},
        "releases/2025/x.vi.md:1: error: the file is not UTF-8",
    ),
    "malformed date": (
        {"releases/2025/x.vi.md": release("Một", date="2025-5-9 4pm")},
        "releases/2025/x.vi.md:2: error: Date '2025-5-9 4pm' is not a date and time",
    ),
}

WARNINGS = {
    "no translation": (
        {"releases/2025/x.vi.md": release("Một")},
        "releases/2025/x.vi.md:1: warning: this release has no English version (add x.en.md beside it",
    ),
    "tag differing only in accents": (
        {
            "releases/2025/a.vi.md": release("Một", tags="Y tế"),
            "releases/2025/b.vi.md": release("Hai", tags="Ý tế", date="2025-05-10 10:00"),
        },
        "releases/2025/b.vi.md:4: warning: tag 'Ý tế' differs only in accents from 'y tế'",
    ),
    "tag misspelt": (
        {
            "releases/2025/a.vi.md": release("Một", tags="Giao thông"),
            "releases/2025/b.vi.md": release("Hai", tags="Giao thông", date="2025-05-10 10:00"),
            "releases/2025/c.vi.md": release("Ba", tags="Giao thôngg", date="2025-05-11 10:00"),
        },
        "releases/2025/c.vi.md:4: warning: tag 'Giao thôngg' looks like a misspelling of 'giao thông'",
    ),
    "raw html removed": (
        {"releases/2025/x.vi.md": release("Một", body='<p onclick="alert(1)">Mở đầu.</p>\n\n<script>x()</script>')},
        "releases/2025/x.vi.md:5: warning: raw HTML: the onclick= attribute of <p> will be removed when published",
    ),
    "script removed": (
        {"releases/2025/x.vi.md": release("Một", body="Mở đầu.\n\n<script>x()</script>")},
        "releases/2025/x.vi.md:7: warning: raw HTML: <script> will be removed when published",
    ),
    "long summary": (
        {"releases/2025/x.vi.md": release("Một", summary="Rất dài. " * 40)},
        "releases/2025/x.vi.md:4: warning: the Summary is 359 characters long (keep it under 300",
    ),
    "javascript link": (
        {"releases/2025/x.vi.md": release("Một", body="[Bấm](javascript:alert(1))")},
        "releases/2025/x.vi.md:5: warning: the link 'javascript:alert(1)' will be removed when published",
    ),
    "modified in the future": (
        {"releases/2025/x.vi.md": release("Một", modified="2099-01-01 10:00")},
        "releases/2025/x.vi.md:4: warning: Modified 2099-01-01 10:00 is later than now and than the Date: it is "
        "left out until then (Modified is when a correction was made: set that time, or remove the line)",
    ),
    "link to a release under embargo": (
        {
            "releases/2025/x.vi.md": release("Một", body="Mở đầu.\n\nXem [sắp tới]({filename}../2099/y.vi.md)."),
            "releases/2099/y.vi.md": release("Sắp tới", date="2099-01-02 09:00"),
        },
        "releases/2025/x.vi.md:7: warning: the link to <content>/releases/2099/y.vi.md names a release under embargo "
        "until 2099-01-02 09:00: until then its words are published without the link (nothing to do if that is "
        "meant: the first build after that time adds the link)",
    ),
    "link to an address no release has": (
        {"releases/2025/x.vi.md": release("Một", body="Xem [bài cũ](/2025/05/khong-co/).")},
        "releases/2025/x.vi.md:5: warning: the link '/2025/05/khong-co/' is the address of no release (link the "
        "release's file instead, like [words]({filename}../2025/name.vi.md): its address is then kept right)",
    ),
    "vietnamese text in the english file": (
        {
            "releases/2025/x.en.md": release(
                "Press centre opens",
                body="Trung tâm Báo chí Thủ đô chính thức đi vào hoạt động từ ngày hôm nay, phục vụ các cơ quan "
                "báo chí trong nước và quốc tế đến tác nghiệp tại Hà Nội trong suốt cả năm.",
            )
        },
        "releases/2025/x.en.md:5: warning: this text reads as Vietnamese (87% of its words have Vietnamese letters), "
        "in a file for en (if it is the Vietnamese version, name the file x.vi.md)",
    ),
    "link to a draft": (
        {
            "releases/2025/x.vi.md": release("Một", body="Xem [bản nháp]({filename}y.vi.md)."),
            "releases/2025/y.vi.md": release("Nháp", status="draft"),
        },
        "releases/2025/x.vi.md:5: warning: the link to <content>/releases/2025/y.vi.md names a draft: its words are "
        "published without the link (publish that release first, or remove the link)",
    ),
}


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_make_check_reports_each_error(tmp_path, case):
    files, expected = ERRORS[case]
    content = tree(tmp_path, files)
    result = make("check", f"INPUTDIR={content}")
    assert result.returncode != 0
    assert f"{content}/{expected}" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("case", sorted(WARNINGS))
def test_make_check_reports_each_warning_and_passes(tmp_path, case):
    files, expected = WARNINGS[case]
    content = tree(tmp_path, files)
    result = make("check", f"INPUTDIR={content}")
    assert result.returncode == 0, result.stderr
    assert f"{content}/{expected}".replace("<content>", str(content)) in result.stderr
    assert "0 error(s)" in result.stderr


def test_make_check_reports_a_malformed_registry(tmp_path):
    registry = REGISTRY + "- slug: so-y-te\n  kind: department\n  name: {vi: Sở Y tế}\n"
    content = tree(tmp_path, {}, registry=registry)
    result = make("check", f"INPUTDIR={content}")
    assert result.returncode != 0
    assert f"{content}/agencies.yml:14: error: agency 'so-y-te' has no name in 'en'" in result.stderr
    assert f"{content}/agencies.yml:14: error: duplicate slug 'so-y-te' (first on line 7)" in result.stderr


def test_a_registry_that_is_not_yaml_is_one_error_not_one_per_release(tmp_path):
    files = {f"releases/2025/x{n}.vi.md": release(f"Một {n}", date=f"2025-05-{n + 1:02d} 09:00") for n in range(3)}
    content = tree(tmp_path, files, registry=REGISTRY.replace("- slug: so-y-te", "- slug: so-y-te\n  name: [", 1))
    result = make("check", f"INPUTDIR={content}")
    assert result.returncode != 0
    assert f"{content}/agencies.yml:" in result.stderr and "not valid YAML" in result.stderr
    assert "unknown agency" not in result.stderr
    assert "1 error(s)" in result.stderr


def test_a_clean_tree_passes_make_check(tmp_path):
    content = tree(tmp_path, {})
    result = make("check", f"INPUTDIR={content}")
    assert result.returncode == 0, result.stderr
    assert "0 error(s), 0 warning(s)" in result.stderr


def test_the_build_refuses_what_make_check_rejects(tmp_path):
    files, _ = ERRORS["missing image file"]
    content = tree(tmp_path, files)
    result = make("html", f"INPUTDIR={content}", f"OUTPUTDIR={tmp_path / 'out'}")
    assert result.returncode != 0
    assert "points to a file that does not exist" in result.stderr
    assert not (tmp_path / "out").exists()


def test_make_new_scaffolds_a_release_that_checks_and_builds(tmp_path):
    content = tree(tmp_path, {})
    result = make(
        "new",
        f"INPUTDIR={content}",
        "AGENCY=so-y-te, quan-dong-da",
        "TITLE=Đợt tiêm vắc-xin sởi bổ sung",
        "DATE=2025-06-02 09:00",
        "TAGS=Y tế",
        "TRANSLATION=1",
    )
    assert result.returncode == 0, result.stderr
    vi = content / "releases/2025/dot-tiem-vac-xin-soi-bo-sung.vi.md"
    en = content / "releases/2025/dot-tiem-vac-xin-soi-bo-sung.en.md"
    assert vi.read_text(encoding="utf-8").startswith(
        "Title: Đợt tiêm vắc-xin sởi bổ sung\nDate: 2025-06-02 09:00\nAgency: so-y-te, quan-dong-da\nTags: Y tế\n"
        "Status: draft\n\n"
    )
    assert "Status: draft" in en.read_text(encoding="utf-8")
    checked = make("check", f"INPUTDIR={content}")
    assert checked.returncode == 0, checked.stderr
    built = make("html", f"INPUTDIR={content}", f"OUTPUTDIR={tmp_path / 'out'}")
    assert built.returncode == 0, built.stderr
    assert not (tmp_path / "out/2025/06").exists(), "a draft is not published"

    vi.write_text(vi.read_text(encoding="utf-8").replace("Status: draft\n", ""), encoding="utf-8")
    unfinished = make("check", f"INPUTDIR={content}")
    assert unfinished.returncode != 0
    assert "placeholder text from make new" in unfinished.stderr


def test_make_new_language_and_bad_agency(tmp_path):
    content = tree(tmp_path, {})
    made = make(
        "new", f"INPUTDIR={content}", "AGENCY=so-y-te", "TITLE=Health notice", "LANG=en", "DATE=2025-07-01 08:00"
    )
    assert made.returncode == 0, made.stderr
    assert (content / "releases/2025/health-notice.en.md").is_file()
    again = make(
        "new", f"INPUTDIR={content}", "AGENCY=so-y-te", "TITLE=Health notice", "LANG=en", "DATE=2025-07-01 08:00"
    )
    assert again.returncode != 0 and "already exists" in again.stderr
    wrong = make("new", f"INPUTDIR={content}", "AGENCY=so-yte", "TITLE=Một")
    assert wrong.returncode != 0 and "unknown agency 'so-yte' (did you mean 'so-y-te'?)" in wrong.stderr


def test_make_schedule_lists_embargoed_releases_soonest_first(tmp_path):
    content = tree(
        tmp_path,
        {
            "releases/2026/sau.vi.md": release("Tin sau", date="2026-02-01 08:00"),
            "releases/2026/som.vi.md": release("Tin sớm", date="2026-01-01 09:30"),
            "releases/2026/nhap.vi.md": release("Nháp", date="2026-01-05 08:00", status="draft"),
        },
    )
    result = make("schedule", f"INPUTDIR={content}")  # now: 2026-01-01 07:00 Hanoi
    lines = result.stdout.splitlines()
    assert lines[0].startswith("2026-01-01 09:30  in 2 h 30 min") and lines[0].endswith("Tin sớm")
    assert lines[1].startswith("2026-02-01 08:00  in 31 d 1 h") and "releases/2026/sau.vi.md" in lines[1]
    assert len(lines) == 2


def test_make_translations_reports_per_agency(tmp_path):
    content = tree(
        tmp_path,
        {
            "releases/2025/chi-viet.vi.md": release("Chỉ tiếng Việt", agency="so-y-te, quan-dong-da"),
            "releases/2025/only-english.en.md": release("Only English", agency="ubnd-ha-noi"),
        },
    )
    lines = make("translations", f"INPUTDIR={content}").stdout.splitlines()
    assert lines[0] == "Ủy ban nhân dân thành phố Hà Nội (ubnd-ha-noi): 1 missing"
    assert lines[1].startswith("  no Vietnamese: ") and lines[1].endswith("only-english.en.md  Only English")
    assert "Sở Y tế (so-y-te): 1 missing" in lines
    assert "Quận Đống Đa (quan-dong-da): 1 missing" in lines


def test_make_codeowners_maps_releases_to_agency_reviewers(tmp_path):
    registry = REGISTRY.replace(
        "  email: soyte@hanoi.gov.vn\n", "  email: soyte@hanoi.gov.vn\n  reviewers: ['@hanoi/so-y-te']\n"
    )
    registry = registry.replace(
        "name: {vi: Quận Đống Đa, en: Dong Da District}\n",
        "name: {vi: Quận Đống Đa, en: Dong Da District}\n  reviewers: '@hanoi/dong-da'\n",
    )
    content = tree(
        tmp_path, {"releases/2025/chung.vi.md": release("Chung", agency="so-y-te, quan-dong-da")}, registry=registry
    )
    from plugins.content_check.content_check import scan_tree
    from pressroom.build import load_settings
    from pressroom.codeowners import render

    scan = scan_tree(load_settings(str(ROOT / "pelicanconf.py"), {"PATH": str(content)}))
    text = render(scan, str(content), str(tmp_path), ["@hanoi/editors"])
    lines = text.splitlines()
    assert "* @hanoi/editors" in lines
    assert "/content/agencies.yml @hanoi/editors" in lines
    assert "/content/releases/2025/chung.vi.md @hanoi/so-y-te @hanoi/dong-da" in lines
    assert "/content/releases/2025/nen.vi.md @hanoi/so-y-te" in lines


def test_committed_codeowners_is_up_to_date(tmp_path):
    fresh = tmp_path / "CODEOWNERS"
    result = run_cli("codeowners", "--file", str(fresh))
    assert result.returncode == 0, result.stderr
    committed = (ROOT / ".github/CODEOWNERS").read_text(encoding="utf-8")
    assert fresh.read_text(encoding="utf-8") == committed, "run `make codeowners` and commit .github/CODEOWNERS"


def makefile_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([a-z][\w-]*):", text, re.M))


@pytest.mark.parametrize("workflow", sorted((ROOT / ".github/workflows").glob("*.yml")), ids=lambda p: p.name)
def test_workflows_are_valid_and_call_only_existing_make_targets(workflow):
    data = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    assert data["jobs"]
    targets = makefile_targets()
    called = set()
    for job in data["jobs"].values():
        for step in job.get("steps", []):
            assert "run" in step or "uses" in step, step
            for line in step.get("run", "").splitlines():
                called.update(re.findall(r"\bmake\s+([a-z][\w-]*)", line))
    assert called, "a workflow that calls no make target"
    assert called <= targets, called - targets


def test_pull_requests_are_checked_and_publishing_runs_every_fifteen_minutes():
    pr = yaml.safe_load((ROOT / ".github/workflows/pull-request.yml").read_text())
    runs = " ".join(s.get("run", "") for s in pr["jobs"]["check"]["steps"])
    # The tests run as the project's CI runs them: .ci/run installs what they need, and they fail, not skip,
    # without it; in the Debian image the project's CI machines have.
    ci = (ROOT / ".ci/run").read_text(encoding="utf-8")
    assert "make check" in runs and "bash .ci/run" in runs and "make test" in ci
    assert "PRESSROOM_REQUIRE_BROWSER=1" in ci and "bookworm" in pr["jobs"]["check"]["container"]
    assert any(s.get("uses", "").startswith("actions/upload-artifact") for s in pr["jobs"]["check"]["steps"])
    assert True in pr and "pull_request" in pr[True]  # YAML reads the key `on` as True
    publish = yaml.safe_load((ROOT / ".github/workflows/publish.yml").read_text())
    cron = publish[True]["schedule"][0]["cron"]
    minutes = sorted(int(minute) for minute in cron.split()[0].split(","))
    gaps = [later - earlier for earlier, later in zip(minutes, [*minutes[1:], minutes[0] + 60], strict=True)]
    assert cron.split()[1:] == ["*", "*", "*", "*"] and max(gaps) <= 15
    assert 0 not in minutes  # off the top of the hour, when GitHub's schedules run late most


def test_only_the_deploy_job_may_deploy():
    publish = yaml.safe_load((ROOT / ".github/workflows/publish.yml").read_text())
    assert publish["permissions"] == {"contents": "read"}
    assert publish["jobs"]["build"]["permissions"] == {"contents": "read", "pages": "read"}
    assert publish["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert "refs/heads/main" in publish["jobs"]["build"]["if"] and "fork" in publish["jobs"]["build"]["if"]


@pytest.mark.parametrize(("workflow", "build"), [("publish.yml", "make publish"), ("pull-request.yml", ".ci/run")])
def test_ci_builds_from_the_last_build_restored(workflow, build):
    """A CI job starts from nothing: the last build's output and cache are restored first, so that the build
    renders only what changed (a restored output is taken file by file, by its bytes: plugins/incremental)."""
    from pelican.settings import read_settings

    cache = os.path.relpath(read_settings(str(ROOT / "pelicanconf.py"))["CACHE_PATH"], ROOT)
    output = re.search(r"^OUTPUTDIR \?= (\S+)$", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M).group(1)
    data = yaml.safe_load((ROOT / ".github/workflows" / workflow).read_text(encoding="utf-8"))
    (steps,) = [job["steps"] for job in data["jobs"].values() if any(build in s.get("run", "") for s in job["steps"])]
    restoring = [
        i
        for i, step in enumerate(steps)
        if step.get("uses", "").startswith(("actions/cache@", "actions/cache/restore@"))
    ]
    building = [i for i, step in enumerate(steps) if build in step.get("run", "")]
    assert restoring and restoring[0] < building[0]
    restore = steps[restoring[0]]["with"]
    assert set(restore["path"].split()) == {cache, output}
    assert restore["restore-keys"].strip()  # the newest entry restored
    assert "run_id" not in restore["key"]  # not a new entry each run: 96 a day filled GitHub's 10 GB
    if steps[restoring[0]]["uses"].startswith("actions/cache/restore@"):  # saved after the build, by what it made
        (saving,) = [i for i, step in enumerate(steps) if step.get("uses", "").startswith("actions/cache/save@")]
        assert saving > building[0] and "output/" in steps[saving]["with"]["key"]


def test_serve_shows_the_built_site_on_localhost(tmp_path):
    """`python -m pressroom serve`: what staff open to look at a build before they push."""
    import socket
    import time
    import urllib.request

    from conftest import cli_command, cli_environment

    content, output = tmp_path / "content", tmp_path / "output"
    write_tree(content, {"releases/2025/mot.vi.md": release("Thông cáo thử")})
    built = run_cli("-i", str(content), "-o", str(output), "build", env={"PRESSROOM_CACHE_PATH": str(tmp_path / "c")})
    assert built.returncode == 0, built.stderr
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = cli_command("-i", str(content), "-o", str(output), "serve", "--port", str(port))
    server = subprocess.Popen(command, env=cli_environment(dict(os.environ)), stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    page = response.read().decode("utf-8")
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("the server never answered")
        assert '<html lang="vi">' in page and "Thông cáo thử" in page
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_serving_a_folder_with_no_site_says_to_build_it_first(tmp_path):
    result = run_cli("-o", str(tmp_path / "nothing"), "serve", "-p", "0", cwd=tmp_path)
    assert result.returncode == 2
    assert f"{tmp_path / 'nothing'} holds no built site: build it first (make html)" in result.stderr
