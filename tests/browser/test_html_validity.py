"""Every page of the sample site is valid HTML by the Nu HTML Checker (vnu-jar)."""

from __future__ import annotations

import json
import shutil
import subprocess

from .conftest import VNU, need


def test_nu_html_checker_reports_no_errors_on_any_page(sample_output):
    need(VNU.exists(), "vnu-jar (make test installs it with npm)")
    need(shutil.which("java") is not None, "Java (apt-get install default-jre-headless)")
    pages = list(sample_output.rglob("*.html"))
    assert len(pages) > 100
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--skip-non-html", "--format", "json", str(sample_output)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    report = json.loads(result.stderr)
    errors = [
        f"{m.get('url', '').split('/output/')[-1]}:{m.get('lastLine')}: {m['message']}"
        for m in report["messages"]
        if m.get("type") in ("error", "non-document-error")
    ]
    assert errors == []
    assert result.returncode == 0
