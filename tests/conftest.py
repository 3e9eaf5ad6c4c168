"""Fixtures that build tiny real sites with Pelican in a temporary directory."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from pressroom.build import build, load_settings

ROOT = Path(__file__).resolve().parent.parent

REGISTRY = """\
- slug: ubnd-ha-noi
  kind: committee
  name: {vi: Ủy ban nhân dân thành phố Hà Nội, en: Hanoi People's Committee}
  website: https://hanoi.gov.vn
  email: vanphong@hanoi.gov.vn
  phone: "+84 24 3825 3536"
- slug: so-y-te
  kind: department
  name: {vi: Sở Y tế, en: Department of Health}
  email: soyte@hanoi.gov.vn
- slug: quan-dong-da
  kind: district
  name: {vi: Quận Đống Đa, en: Dong Da District}
"""

#: 2026-01-01 00:00 UTC: the build's "now" in tests, so embargo tests do not age.
NOW_EPOCH = "1767225600"


def require(available: bool, what: str, strict_variable: str) -> None:
    """Skip a test whose tool is not installed, or fail it where ``strict_variable`` is set (CI sets it)."""
    if available:
        return
    if os.environ.get(strict_variable):
        pytest.fail(f"{what} is required here ({strict_variable} is set)")
    pytest.skip(f"{what} is not installed")


def release(
    title: str, date: str = "2025-05-09 16:30", agency: str = "so-y-te", body: str = "Nội dung.", **fields: str
) -> str:
    """The text of a release file with the given header fields."""
    lines = [f"Title: {title}", f"Date: {date}", f"Agency: {agency}"]
    lines += [f"{key.title()}: {value}" for key, value in fields.items()]
    return "\n".join(lines) + "\n\n" + textwrap.dedent(body).strip() + "\n"


@dataclass
class Site:
    content: Path
    output: Path
    exit_code: int
    stderr: str

    def exists(self, url: str) -> bool:
        return self.file(url).is_file()

    def file(self, url: str) -> Path:
        path = url.lstrip("/")
        if path == "" or path.endswith("/"):
            path += "index.html"
        return self.output / path

    def html(self, url: str) -> BeautifulSoup:
        return BeautifulSoup(self.file(url).read_text(encoding="utf-8"), "html.parser")

    def pages(self) -> list[str]:
        return sorted(
            "/" + str(p.relative_to(self.output)).replace("index.html", "") for p in self.output.rglob("*.html")
        )


def write_tree(root: Path, files: dict[str, str | bytes], registry: str | None = REGISTRY) -> None:
    root.mkdir(parents=True, exist_ok=True)
    if registry is not None:
        (root / "agencies.yml").write_text(registry, encoding="utf-8")
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")


@pytest.fixture(autouse=True)
def test_cache(tmp_path_factory, monkeypatch):
    """Every test builds with its own content cache, never the developer's."""
    monkeypatch.setenv("PRESSROOM_CACHE_PATH", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture
def now_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", NOW_EPOCH)
    return int(NOW_EPOCH)


@pytest.fixture
def build_site(tmp_path, now_epoch, capsys):
    """Build a content tree given as {path: text} and return the :class:`Site`."""

    def _build(files: dict[str, str | bytes], registry: str | None = REGISTRY, name: str = "site") -> Site:
        content = tmp_path / name / "content"
        output = tmp_path / name / "output"
        write_tree(content, files, registry)
        settings = load_settings(str(ROOT / "pelicanconf.py"), {"PATH": str(content), "OUTPUT_PATH": str(output)})
        code = build(settings)
        captured = capsys.readouterr()
        return Site(content, output, code, captured.err)

    return _build


def cli_command(*args: str) -> list[str]:
    """``python -m pressroom`` with the project's settings."""
    return [sys.executable, "-m", "pressroom", "-s", str(ROOT / "pelicanconf.py"), *args]


def cli_environment(base: dict[str, str], env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment a test runs the CLI in: the tests' "now", the project importable."""
    return {**base, "SOURCE_DATE_EPOCH": NOW_EPOCH, "PYTHONPATH": str(ROOT), **(env or {})}


def run_cli(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run ``python -m pressroom`` as staff and CI do."""
    return subprocess.run(
        cli_command(*args),
        cwd=cwd,
        env=cli_environment(dict(os.environ), env),
        capture_output=True,
        text=True,
        check=False,
    )


def finished_pid() -> int:
    """The number of a process that has ended (what a killed build leaves its files named by)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid
