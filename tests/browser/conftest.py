"""Browser fixtures: the sample site built once, served on 127.0.0.1, and Debian's Chromium.

On a machine without Chromium, Java or the npm tools, these tests skip and say what
to install; CI sets PRESSROOM_REQUIRE_BROWSER=1 (in .ci/run), which turns a missing
tool into a failure instead.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import tempfile
import threading
from pathlib import Path

import pytest

from conftest import ROOT, require
from pressroom.build import build, load_settings

#: 2026-11-26 00:00 UTC: after every sample release, so the whole sample is published.
SAMPLE_NOW = "1795651200"
CHROMIUM = os.environ.get("PRESSROOM_CHROMIUM", "/usr/bin/chromium")
TOOLS = ROOT / "tests" / "browser" / "node_modules"
AXE = TOOLS / "axe-core" / "axe.min.js"
VNU = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def need(available: bool, what: str) -> None:
    """Skip (or, in CI, fail) when a tool the test drives is not installed."""
    require(available, what, "PRESSROOM_REQUIRE_BROWSER")


@pytest.fixture(scope="session")
def sample_output(tmp_path_factory) -> Path:
    """The shipped sample content, built with relative URLs as `make html` builds it."""
    output = tmp_path_factory.mktemp("browser") / "output"
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = SAMPLE_NOW
    try:
        assert build(load_settings(str(ROOT / "pelicanconf.py"), {"OUTPUT_PATH": str(output)})) == 0
    finally:
        if previous is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous
    return output


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="session")
def site_url(sample_output):
    handler = functools.partial(_QuietHandler, directory=str(sample_output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="session")
def playwright_instance():
    need(Path(CHROMIUM).exists(), f"Chromium ({CHROMIUM}; apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture
def browser_context(playwright_instance):
    """A fresh Chromium profile; pass options to get one with JavaScript off, a phone size..."""
    profiles = []
    contexts = []

    def _open(**options):
        profile = tempfile.mkdtemp(prefix="pressroom-chromium-")
        profiles.append(profile)
        context = playwright_instance.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, **options
        )
        contexts.append(context)
        return context

    yield _open
    for context in contexts:
        context.close()
    for profile in profiles:
        shutil.rmtree(profile, ignore_errors=True)
