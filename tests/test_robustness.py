"""Random and hostile content never crashes the loader: it becomes a clear content error."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REGISTRY, ROOT, write_tree
from plugins.agencies.registry import load_registry
from plugins.content_check.content_check import check_tree
from plugins.content_check.header import parse_header
from plugins.content_check.rules import check_header
from pressroom.build import build, load_settings

SETTINGS = load_settings(str(ROOT / "pelicanconf.py"))
SLUGS = ["so-y-te", "ubnd-ha-noi", "quan-dong-da"]
KEYS = ["Title", "Date", "Agency", "Tags", "Summary", "Slug", "Modified", "Status", "Id", "Aliases", "Lang", "X"]

text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
values = st.one_of(
    text,
    st.sampled_from(["2025-05-09 16:30", "2025-02-30 10:00", "so-y-te", "so-y-te, ubnd-ha-noi", "draft", ""]),
    st.text(alphabet="Đđàáạảãâầấậẩẫăắằặẳẵêềếệểễôồốộổỗơờớợởỡưừứựửữ ,-:/", max_size=80),
    st.just("x" * 20000),
)
headers = st.lists(st.tuples(st.sampled_from(KEYS), values), max_size=10)


def as_file(fields, body: str) -> str:
    return "".join(f"{key}: {value}\n" for key, value in fields) + "\n" + body


@settings(max_examples=300, deadline=None)
@given(text)
def test_header_parser_accepts_any_text(source):
    header = parse_header(source)
    assert all(field.line >= 1 for field in header.fields)


@settings(max_examples=300, deadline=None)
@given(headers, text)
def test_header_rules_turn_any_header_into_entries_and_diagnostics(fields, body):
    entry, problems = check_header(
        "x.vi.md", as_file(fields, body), "release", "releases/2025/x", "vi", SLUGS, SETTINGS
    )
    for problem in problems:
        assert problem.path == "x.vi.md" and problem.severity in ("error", "warning")
        assert problem.line is None or problem.line >= 1
        assert problem.message and problem.fix
    assert entry.lang == "vi"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(text, st.binary(max_size=200).map(lambda b: b.decode("latin-1"))))
def test_any_registry_text_gives_a_registry_or_diagnostics(raw):
    folder = Path(tempfile.mkdtemp())
    try:
        (folder / "agencies.yml").write_text(raw, encoding="utf-8")
        registry, problems = load_registry(str(folder), ("vi", "en"))
        assert all(p.path.endswith("agencies.yml") for p in problems)
        assert all(agency.slug for agency in registry.agencies)
    finally:
        shutil.rmtree(folder)


@settings(max_examples=25, deadline=None)
@given(headers, text, st.binary(max_size=40))
def test_a_release_either_builds_or_is_refused_with_diagnostics(fields, body, raw_tail):
    folder = Path(tempfile.mkdtemp())
    try:
        content, output = folder / "content", folder / "output"
        data = as_file(fields, body).encode("utf-8") + raw_tail
        write_tree(content, {"releases/2025/x.vi.md": data}, REGISTRY)
        overrides = {"PATH": str(content), "OUTPUT_PATH": str(output)}
        local = load_settings(str(ROOT / "pelicanconf.py"), overrides)
        errors = [p for p in check_tree(local) if p.severity == "error"]
        with open(os.devnull, "w") as sink:
            code = build(local, stderr=sink)
        assert code == (1 if errors else 0)
        assert output.exists() == (not errors)
    finally:
        shutil.rmtree(folder)
