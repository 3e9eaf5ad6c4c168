"""The shipped sample content builds into a complete site with no broken links."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT
from pressroom.build import build, load_settings


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("sample") / "output"
    settings = load_settings(str(ROOT / "pelicanconf.py"), {"OUTPUT_PATH": str(output)})
    assert build(settings) == 0
    return output


def html_files(output: Path) -> list[Path]:
    return sorted(output.rglob("*.html"))


def target(output: Path, page: Path, href: str) -> Path | None:
    """The file a relative link on ``page`` points to, or None for external links."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith("#"):
        return None
    path = unquote(parts.path)
    resolved = (output / path.lstrip("/")) if path.startswith("/") else (page.parent / path)
    resolved = resolved.resolve()
    return resolved / "index.html" if resolved.is_dir() or path.endswith("/") else resolved


def test_sample_has_what_the_portal_promises():
    releases = list((ROOT / "content" / "releases").rglob("*.md"))
    names = {(p.parent.name, p.name.split(".")[0]) for p in releases}
    years = {year for year, _ in names}
    assert len(names) >= 30 and len(years) >= 2
    bilingual = [n for n in names if sum(1 for p in releases if (p.parent.name, p.name.split(".")[0]) == n) == 2]
    assert len(bilingual) > len(names) / 2
    joint = [
        p for p in releases if "," in next(line for line in p.read_text().splitlines() if line.startswith("Agency:"))
    ]
    assert len(joint) >= 4


def test_every_internal_link_and_image_resolves(sample):
    broken = []
    for page in html_files(sample):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        if page.name == "404.html":
            continue  # root-relative links, checked on a server
        for tag, attribute in (("a", "href"), ("link", "href"), ("img", "src")):
            for element in soup.find_all(tag, attrs={attribute: True}):
                found = target(sample, page, element[attribute])
                if found is not None and not found.is_file():
                    broken.append(f"{page.relative_to(sample)}: {element[attribute]}")
    assert broken == []


def test_hreflang_alternates_are_reciprocal(sample):
    for page in html_files(sample):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for link in soup.select('link[rel="alternate"][hreflang]'):
            other = target(sample, page, link["href"])
            back = BeautifulSoup(other.read_text(encoding="utf-8"), "html.parser")
            hrefs = [target(sample, other, a["href"]) for a in back.select('link[rel="alternate"][hreflang]')]
            assert page.resolve() in hrefs, f"{page} -> {other} has no way back"


def test_press_centre_release_reads_in_both_languages(sample):
    vi = sample / "2025" / "05"
    page = next(p for p in vi.rglob("index.html") if "trung-tam-bao-chi" in str(p))
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    assert "Trần Sỹ Thanh" in soup.get_text()
    assert "Ảnh minh họa" in soup.select_one(".release-body figcaption").get_text()
    english = soup.select_one('link[rel="alternate"][hreflang="en"]')
    assert english is not None


def release_pages(output: Path) -> list[Path]:
    return [
        p
        for p in output.rglob("index.html")
        if re.fullmatch(r"(en/)?\d{4}/\d{2}/[^/]+/index.html", str(p.relative_to(output)))
    ]


def test_a_release_page_weighs_under_60_kb_with_its_css(sample):
    css = (sample / "theme/css/site.css").stat().st_size
    pages = release_pages(sample)
    assert len(pages) >= 60
    heavy = {str(p.relative_to(sample)): p.stat().st_size + css for p in pages if p.stat().st_size + css > 60 * 1024}
    assert heavy == {}


def test_release_images_have_their_size_and_load_lazily(sample):
    images = []
    for page in release_pages(sample):
        images += BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select(".release-body img")
    assert len(images) >= 2
    for image in images:
        assert int(image["width"]) > 0 and int(image["height"]) > 0, image
        assert image["loading"] == "lazy"


def test_the_navigation_marks_the_section_of_each_page_in_its_language(sample):
    """The navigation and footer are rendered once per language and section (plugins/shared_partials):
    every page must still get its own section marked, and its own language's words."""
    shared: dict[tuple[str, str], tuple[list[str], str]] = {}
    marked_somewhere = set()
    for page in html_files(sample):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        lang = soup.html["lang"]
        links = soup.select("nav.site-nav a")
        if not links:  # an old address's redirect page
            assert soup.find("meta", attrs={"http-equiv": "refresh"}), page.relative_to(sample)
            continue
        targets = [target(sample, page, a["href"]) for a in links]
        path = page.resolve()
        expected = [i for i, found in enumerate(targets) if found == path]
        if not expected:  # a page inside a section: an agency or topic (and their later pages), the home's later pages
            inside = [i for i in (1, 2) if targets[i].parent in path.parents]
            home_pages = targets[0].parent / "page"
            expected = inside or ([0] if home_pages in path.parents else [])
        current = [i for i, a in enumerate(links) if a.get("aria-current") == "page"]
        assert current == expected, page.relative_to(sample)
        marked_somewhere.update(current)
        words = ([a.get_text() for a in links], soup.select_one("footer.site-footer").get_text(" ", strip=True))
        assert shared.setdefault((lang, "words"), words) == words, page.relative_to(sample)
        aside = soup.select_one("aside.aside")  # the home page's, on each of its pages
        if aside is not None:
            text = aside.get_text(" ", strip=True)
            assert shared.setdefault((lang, "aside"), text) == text, page.relative_to(sample)
    assert marked_somewhere == set(range(len(links)))  # every item is the current one somewhere
    assert shared[("vi", "words")] != shared[("en", "words")]
    assert shared[("vi", "aside")] != shared[("en", "aside")]


def test_every_feed_in_the_opml_list_has_a_title_of_its_own(sample):
    """The press centre is an agency too: its feed and the whole site's once had the same title."""
    outlines = ElementTree.parse(sample / "feeds.opml").getroot().iter("outline")
    titles = [outline.get("title") or outline.get("text") for outline in outlines if outline.get("xmlUrl")]
    assert len(titles) > 10
    assert len(titles) == len(set(titles)), [title for title in titles if titles.count(title) > 1]
