"""The header parser reads what Pelican's Markdown reader reads, with line numbers."""

from __future__ import annotations

from plugins.content_check.header import parse_header
from plugins.content_check.rules import parse_date


def test_fields_carry_their_line_and_lowercase_key():
    header = parse_header("Title: Một\nDate: 2025-05-09 16:30\nAgency: so-y-te\n\nBody: not a field\n")
    assert [(f.key, f.value, f.line) for f in header.fields] == [
        ("title", "Một", 1),
        ("date", "2025-05-09 16:30", 2),
        ("agency", "so-y-te", 3),
    ]
    assert header.body_line == 5


def test_continuation_lines_join_the_previous_field():
    header = parse_header("Title: Một\nSummary: dòng một\n    dòng hai\n\nThân bài\n")
    assert header.first("summary").value == "dòng một dòng hai"


def test_fenced_header_is_accepted():
    header = parse_header("---\nTitle: Một\n---\nThân bài\n")
    assert header.first("title").line == 2


def test_a_file_without_header_has_no_fields():
    assert parse_header("Chỉ có thân bài.\n").fields == []


def test_dates_are_strict_and_real():
    assert parse_date("2025-05-09 16:30").isoformat() == "2025-05-09T16:30:00"
    assert parse_date("2025-02-29 10:00") is None
    assert parse_date("9 May 2025") is None
    assert parse_date("2024-02-29 23:59").day == 29
