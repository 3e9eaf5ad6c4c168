"""Checks on a release body: links and images to local files, alt text, raw HTML.

The body is read with markdown-it-py, which keeps the line of every block, so each
problem points at its line. (Rendering stays with Python-Markdown; this only reads.)
"""

from __future__ import annotations

import difflib
import functools
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from plugins.sanitise import Sanitiser
from plugins.static_files import unpublishable_reason
from pressroom.diagnostics import Diagnostic, error, warning

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

PLACEHOLDER_RE = re.compile(r"^\{(static|attach|filename)\}(.*)$")
SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
#: Endings of files staff attach; a plain relative link to one cannot work on the site.
FILE_EXTENSIONS = frozenset(
    {
        "jpg", "jpeg", "png", "gif", "webp", "svg", "avif", "pdf", "doc", "docx", "xls", "xlsx",
        "ppt", "pptx", "odt", "ods", "zip", "mp3", "mp4", "webm", "csv", "txt",
    }
)  # fmt: skip
SAFE_SCHEMES = ("http", "https", "mailto", "tel")


@dataclass(frozen=True)
class Reference:
    kind: str  # "link", "image" or "html"
    target: str
    line: int
    alt: str = ""


@functools.cache
def _parser() -> MarkdownIt:
    """Made on first use: the build imports this module, but checks in a forked process (0.04 s)."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    md.validateLink = lambda url: True  # report every link; the sanitiser decides later
    md.normalizeLink = lambda url: url  # keep {static} placeholders as written
    return md


def _line_of(lines: list[str], span: list[int] | None, needle: str, offset: int) -> int:
    start, end = span or (0, 1)
    for number in range(start, min(end, len(lines))):
        if needle and needle in lines[number]:
            return number + offset
    return start + offset


def references(body: str, first_line: int) -> Iterator[Reference]:
    """Every link, image and raw HTML fragment of ``body``, with its file line."""
    if "[" not in body and "<" not in body:
        # Every CommonMark link and image opens with "[" ("![" for images), or is an
        # autolink in "<>", as is all raw HTML: a body without either has none. Most
        # releases are plain text, and parsing was most of the check's time.
        return
    lines = body.splitlines()
    offset = first_line  # body line 0 is file line ``first_line``
    for token in _parser().parse(body):
        if token.type == "html_block":
            yield Reference("html", token.content, _line_of(lines, token.map, "<", offset))
        for child in token.children or []:
            if child.type == "link_open":
                target = child.attrGet("href") or ""
                yield Reference("link", target, _line_of(lines, token.map, target, offset))
            elif child.type == "image":
                target = child.attrGet("src") or ""
                yield Reference("image", target, _line_of(lines, token.map, target, offset), alt=child.content)
            elif child.type == "html_inline":
                yield Reference("html", child.content, _line_of(lines, token.map, child.content, offset))


def _resolve(root: str, file_dir: str, path: str) -> str:
    path = path.split("#", 1)[0].split("?", 1)[0]
    return os.path.normpath(
        os.path.join(root, path.lstrip("/")) if path.startswith("/") else os.path.join(file_dir, path)
    )


def _suggest(missing: str, root: str) -> str:
    folder = os.path.dirname(missing)
    if os.path.isdir(folder):
        near = difflib.get_close_matches(os.path.basename(missing), sorted(os.listdir(folder)), n=1, cutoff=0.6)
        if near:
            return f"did you mean '{near[0]}'?"
    return f"put the file at {os.path.relpath(missing, os.path.dirname(root))} or fix the path"


def check_body(
    path: str, body: str, first_line: int, root: str, sanitiser: Sanitiser, settings: Mapping[str, Any]
) -> tuple[list[Diagnostic], list[str], list[tuple[str, str, int]]]:
    """The body's problems; the files its {static}, {attach} and {filename} links name (resolved), the only
    other files its check looks at; and what its links name of the site, with their lines (the cross-file rules
    look at what those are): content files ({filename}, resolved) and addresses (starting with '/')."""
    problems: list[Diagnostic] = []
    linked: list[str] = []
    named: list[tuple[str, str, int]] = []
    file_dir = os.path.dirname(path)
    for ref in references(body, first_line):
        if ref.kind == "html":
            for removed in sanitiser.removals(ref.target):
                problems.append(
                    warning(
                        path,
                        ref.line,
                        f"raw HTML: {removed} will be removed when published",
                        "use Markdown, or only the HTML the portal allows (see docs/publishing.md)",
                    )
                )
            for image in re.finditer(r"<img\b[^>]*>", ref.target, re.I):
                if not re.search(r"\balt\s*=\s*(\"[^\"]+\"|'[^']+'|[^\s>\"']+)", image.group(0)):
                    problems.append(error(path, ref.line, "an image has no alt text", 'add alt="what the photo shows"'))
            continue
        if ref.kind == "image" and not ref.alt.strip():
            problems.append(
                error(
                    path,
                    ref.line,
                    f"the image '{ref.target}' has no alt text",
                    "describe what it shows between the brackets: ![Mặt tiền tòa nhà](...)",
                )
            )
        placeholder = PLACEHOLDER_RE.match(ref.target)
        what = "image" if ref.kind == "image" else "link"
        if placeholder:
            local = _resolve(root, file_dir, placeholder.group(2))
            if placeholder.group(1) != "filename":
                refused = unpublishable_reason(os.path.relpath(local, root), settings)
                if refused:
                    problems.append(
                        error(
                            path,
                            ref.line,
                            f"the {what} '{ref.target}' cannot be published: {refused}",
                            "put photos in content/images/ and documents (PDF, Word, Excel...) in content/files/, "
                            "and link them with {static}/images/... or {static}/files/...",
                        )
                    )
                    continue
            linked.append(local)
            if placeholder.group(1) == "filename":
                named.append(("file", local, ref.line))
            if not os.path.isfile(local):
                problems.append(
                    error(
                        path,
                        ref.line,
                        f"the {what} '{ref.target}' points to a file that does not exist",
                        _suggest(local, root),
                    )
                )
            continue
        scheme = SCHEME_RE.match(ref.target)
        if scheme and ref.kind == "image" and scheme.group(0)[:-1].lower() in ("http", "https"):
            problems.append(
                warning(
                    path,
                    ref.line,
                    f"the image '{ref.target}' is on another site and will not be shown",
                    "the portal shows only its own photos: put the file in content/images/ and use {static}",
                )
            )
            continue
        if scheme:
            name = scheme.group(0)[:-1].lower()
            if name not in SAFE_SCHEMES:
                problems.append(
                    warning(
                        path,
                        ref.line,
                        f"the {what} '{ref.target[:40]}' will be removed when published",
                        "links may only use http, https, mailto or tel",
                    )
                )
            continue
        if ref.target.startswith(("#", "//")) or not ref.target:
            continue
        if ref.target.startswith("/") and ref.kind == "link":
            named.append(("address", ref.target, ref.line))  # on the site: the cross-file rules look at it
        extension = os.path.splitext(ref.target.split("#", 1)[0].split("?", 1)[0])[1].lstrip(".").lower()
        if extension in FILE_EXTENSIONS:
            name = os.path.basename(ref.target)
            problems.append(
                error(
                    path,
                    ref.line,
                    f"the {what} '{ref.target}' is not a link the site can follow",
                    f"put the file under content/images/ or content/files/ and write {{static}}/images/{name}",
                )
            )
    return problems, linked, named
