"""The release reader's faster inline processing and heading ids give Python-Markdown's own output, byte for byte."""

from __future__ import annotations

import functools

import markdown
import pytest
from markdown.extensions.toc import TocExtension, TocTreeprocessor
from markdown.treeprocessors import InlineProcessor

from conftest import ROOT
from plugins.release_markdown.extension import ReleaseExtension, heading_slug
from plugins.release_markdown.headings import HeadingIdsProcessor
from plugins.release_markdown.inline import TRIGGERS, SkippingInlineProcessor
from pressroom.build import load_settings

#: Every inline pattern, alone, nested and next to text that only looks like it.
SAMPLES = [
    "Plain Vietnamese text: Sở Y tế Hà Nội thông báo lịch tiêm chủng.",
    "`code` and ``co`de`` and \\`not code\\` and \\\\`code after an escaped backslash`",
    "Escapes: \\* \\_ \\[ \\] \\< \\& \\\\ and a lone \\ at the end \\",
    'A [link](https://example.org/a_b*c) and [one with *emphasis* inside](/x "Title & more").',
    'An ![image](/images/a.png "Caption. Photo: X") and ![ref image][img] and [ref][r] and [r] and ![img]',
    '[not a link] and [another](<> "") and [nested [brackets]](/n) and a footnote[^1].',
    '<https://example.org/?a=1&b=2> and <staff@hanoi.gov.vn> and <span class="x">html</span> <br/>',
    "Entities &amp; &#39; &#x27; &copy; and bare & ampersands && and 5 < 6 > 4",
    "Line one with a break  \nline two  \n\nNew paragraph",
    "*em* **strong** ***both*** _em_ __strong__ ___both___ snake_case_word 2*3*4 * lone * star",
    "**strong with _nested em_ inside** and *em with `code` inside* and _under*mixed_",
    "Text with [^1] and [^missing] footnotes, and HTML abbr: HTML.",
    "Hà Nội: *Quận* **Ba Đình** và `mã` cùng [liên kết](https://hanoi.gov.vn) &amp; ảnh ![ảnh](a.jpg)",
    "> quoted *em* with [link](/q)\n\n- item **one**\n- item `two`\n\n1. first _a_\n2. second <b>b</b>",
    "| a | *b* |\n|---|---|\n| `c` | [d](/d) |",
    "Term\n:   Definition with *em* and &amp;",
    '<div markdown="1">*em in html* and [link](/l)</div>',
    "{: .cls } paragraph with attributes\n{: #an-id }",
    "Trailing backslash in code `\\` and star in code `*a*` and link text [`code`](/c)",
    "# Tiêu đề *một*\n\n## Mục [hai](/h)\n\n### Mục hai\n\n#### &amp; ba {: #own-id }\n\n##### Four[^1]\n\nText",
    "[TOC]\n\n# Đầu\n\n## Giữa\n\nText\n\n# Cuối",
    "Not a marker: \\[TOC\\] and `[TOC]` and &#91;TOC&#93;\n\n<p>[TOC]</p>\n\n# Heading",
]
DEFINITIONS = '\n\n[r]: /ref "Ref"\n[img]: /images/b.png\n[^1]: The note, with *em*.\n*[HTML]: HyperText'


@functools.cache
def options() -> dict:
    return dict(load_settings(str(ROOT / "pelicanconf.py"), {"PATH": str(ROOT / "content")})["MARKDOWN"])


def converter(skipping: bool) -> markdown.Markdown:
    """The site's Markdown options and the release extension, with or without the skipping (Python-Markdown's own
    inline processing and table of contents)."""
    md = markdown.Markdown(**options(), extensions=[ReleaseExtension(content_root=str(ROOT / "content"))])
    if not skipping:
        md.treeprocessors.register(InlineProcessor(md), "inline", 20)
        configs = TocExtension(slugify=heading_slug).getConfigs()
        md.treeprocessors.register(TocTreeprocessor(md, configs), "toc", 5)
    return md


def test_the_release_extension_skips_patterns_that_cannot_match():
    md = converter(skipping=True)
    assert isinstance(md.treeprocessors["inline"], SkippingInlineProcessor)
    assert isinstance(md.treeprocessors["toc"], HeadingIdsProcessor)
    assert set(md.inlinePatterns._data) <= set(TRIGGERS)  # a new pattern of an upgrade would be tried every time


@pytest.mark.parametrize("text", [*SAMPLES, "\n\n".join(SAMPLES) + DEFINITIONS])
def test_inline_output_is_python_markdowns(text):
    ours, theirs = converter(skipping=True), converter(skipping=False)
    assert ours.convert(text + DEFINITIONS) == theirs.convert(text + DEFINITIONS)


def test_every_sample_release_converts_as_python_markdown_converts_it():
    ours, theirs = converter(skipping=True), converter(skipping=False)
    files = sorted((ROOT / "content").rglob("*.md"))
    assert len(files) > 20
    for path in files:
        text = path.read_text(encoding="utf-8")
        ours.reset()
        theirs.reset()
        assert ours.convert(text) == theirs.convert(text), path
