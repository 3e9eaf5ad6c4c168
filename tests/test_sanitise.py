"""Unsafe HTML in a release never becomes active in a page or a feed."""

from __future__ import annotations

import json

from bs4 import BeautifulSoup

from conftest import release
from plugins.sanitise import Sanitiser

PAYLOADS = """\
Đoạn mở đầu.

<script>alert('XSS-SCRIPT')</script>

<img src="x.jpg" alt="a" onerror="alert('XSS-ONERROR')">

<svg onload="alert('XSS-SVG')"><circle r="1"/></svg>

[bấm vào](javascript:alert(1))

<a href="JaVaScRiPt:alert('XSS-MIXED')">mixed</a> <a href="&#106;avascript:alert(1)">entity</a>

<p style="background:url(javascript:alert('XSS-STYLE'))">kiểu</p>

<iframe src="https://evil.example/XSS-IFRAME"></iframe>

<iframe src="https://XSS-USERINFO@www.youtube.com/embed/abc123"></iframe>

<iframe src="https://www.youtube-nocookie.com/embed/abc123" title="Video"></iframe>

<form action="https://evil.example/"><input name="q"></form>

<a href="data:text/html;base64,PHNjcmlwdD4=">data</a>

<object data="x.swf"></object><embed src="x.swf">
"""


def assert_inert(html: str) -> None:
    soup = BeautifulSoup(html, "html.parser")
    for tag in ("script", "svg", "form", "input", "object", "embed", "style"):
        assert soup.find(tag) is None, tag
    for element in soup.find_all(True):
        for attribute, value in element.attrs.items():
            assert not attribute.lower().startswith("on"), (element.name, attribute)
            assert attribute != "style"
            text = " ".join(value) if isinstance(value, list) else value
            assert not text.strip().lower().startswith(("javascript:", "data:", "vbscript:")), text
    frames = [frame["src"] for frame in soup.find_all("iframe")]
    assert all(src.startswith("https://www.youtube-nocookie.com/") for src in frames)


def test_payloads_are_inert_in_pages_and_feeds(build_site):
    site = build_site({"releases/2025/xss.vi.md": release("Thử", body=PAYLOADS)})
    assert site.exit_code == 0, site.stderr
    body = site.html("/2025/05/thu/").select_one(".release-body")
    assert_inert(str(body))
    assert body.find("iframe", src="https://www.youtube-nocookie.com/embed/abc123")
    assert "XSS-IFRAME" not in str(body) and "XSS-USERINFO" not in str(body)
    for path in ("atom.xml", "rss.xml", "co-quan/so-y-te/atom.xml"):
        xml = BeautifulSoup((site.output / path).read_text(encoding="utf-8"), "xml")
        for node in xml.find_all(["content", "encoded", "summary", "description"]):
            assert_inert(node.get_text())
    feed = json.loads((site.output / "feed.json").read_text(encoding="utf-8"))
    assert_inert(feed["items"][0]["content_html"])


def test_a_script_in_the_summary_is_removed(build_site):
    site = build_site({"releases/2025/a.vi.md": release("Một", summary="Tóm tắt <script>alert('XSS-SUM')</script>")})
    page = site.html("/")
    assert "XSS-SUM" not in str(page)
    assert "Tóm tắt" in page.select_one(".release-item-summary").get_text()


def test_titles_are_escaped_not_interpreted(build_site):
    site = build_site({"releases/2025/a.vi.md": release("<img src=x onerror=alert(1)> Tiêu đề", slug="tieu-de")})
    page = site.html("/2025/05/tieu-de/")
    assert page.h1.find("img") is None
    assert page.h1.get_text() == "<img src=x onerror=alert(1)> Tiêu đề"


def test_removals_are_described_for_staff():
    removed = Sanitiser().removals('<p onclick="x()" style="color:red">a</p><script>b</script>')
    assert removed == ["the onclick= attribute of <p>", "the style= attribute of <p>", "<script>"]
    assert Sanitiser().removals("<p><strong>ok</strong> <a href='https://x.vn'>x</a></p>") == []


def test_foreign_language_snippets_keep_their_lang(build_site):
    body = 'Tên tiếng Anh: <span lang="en">Capital Press Centre</span>.\n\n*Hanoi Metro*{: lang="en" }'
    site = build_site({"releases/2025/a.vi.md": release("Một", body=body)})
    spans = site.html("/2025/05/mot/").select('.release-body [lang="en"]')
    assert [s.get_text() for s in spans] == ["Capital Press Centre", "Hanoi Metro"]
