"""Reading a content file's metadata header with the line of every field.

It follows Python-Markdown's ``meta`` extension (what Pelican reads): ``Key: value``
lines, continuation lines indented by four spaces, an optional ``---`` fence, ended by
a blank line. Pelican keeps no line numbers, so the checks read the header here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

BEGIN_RE = re.compile(r"^-{3}(\s.*)?$")
END_RE = re.compile(r"^(-{3}|\.{3})(\s.*)?$")
FIELD_RE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)$")
CONTINUATION_RE = re.compile(r"^[ ]{4,}(?P<value>.*)$")
#: A line shaped like a field whose name the meta extension does not take (not ASCII, or with a space): it ends
#: the header and starts the text ("Thẻ: Y tế" for "Tags: Y tế").
FIELD_LIKE_RE = re.compile(r"^[ ]{0,3}(?P<key>[^\W\d_][^\W_]*(?: [^\W\d_][^\W_]*){0,2}):\s*\S")


@dataclass
class Field:
    key: str
    value: str
    line: int


@dataclass
class Header:
    fields: list[Field] = field(default_factory=list)
    body_line: int = 1
    stray: Field | None = None  # a field-like line that ended the header without a blank line
    ended_by: Field | None = None  # any line that ended the header without a blank line (its text as value)

    def first(self, key: str) -> Field | None:
        for item in self.fields:
            if item.key == key:
                return item
        return None

    def all(self, key: str) -> list[Field]:
        return [item for item in self.fields if item.key == key]


def split_list(value: str | None, unique: bool = True) -> tuple[str, ...]:
    """A comma-separated header value (``Agency``, ``Tags``, ``Aliases``) as its items."""
    items = tuple(part.strip() for part in (value or "").split(",") if part.strip())
    return tuple(dict.fromkeys(items)) if unique else items


def parse_header(text: str) -> Header:
    """Split the header off a Markdown source; keys are lower-cased as Pelican does."""
    header = Header()
    lines = text.splitlines()
    number = 0
    if lines and BEGIN_RE.match(lines[0]):
        number = 1
    current: Field | None = None
    while number < len(lines):
        line = lines[number]
        if not line.strip() or (number and END_RE.match(line)):
            number += 1
            break
        match = FIELD_RE.match(line)
        continuation = CONTINUATION_RE.match(line)
        if match:
            current = Field(match["key"].lower(), match["value"].strip(), number + 1)
            header.fields.append(current)
        elif continuation and current is not None:
            current.value = f"{current.value} {continuation['value'].strip()}".strip()
        else:  # the body starts without a blank line, as the meta extension allows
            header.ended_by = Field("", line, number + 1)
            stray = FIELD_LIKE_RE.match(line) if header.fields else None
            if stray:
                header.stray = Field(stray["key"], line.split(":", 1)[1].strip(), number + 1)
            break
        number += 1
    header.body_line = number + 1
    return header
