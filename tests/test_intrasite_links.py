"""Pelican's link scans answer at once for text without a link, and as Pelican does for any other."""

from __future__ import annotations

import copy
import datetime
from urllib.parse import urljoin

import feedparser
from bs4 import BeautifulSoup
from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG

from conftest import release
from plugins.intrasite_links import intrasite_links, register

BASE = "http://127.0.0.1:8000"  # pelicanconf.py's FEED_DOMAIN: every page's address, as a browser resolves links


def article(content: str, tmp_path, **settings) -> Article:
    config = copy.deepcopy(DEFAULT_CONFIG)
    config.update(PATH=str(tmp_path), **settings)
    context = {"generated_content": {}, "static_content": {}, "localsiteurl": "", "static_links": set()}
    metadata = {"title": "Thông cáo", "date": datetime.datetime(2025, 5, 9, 16, 30)}
    source = str(tmp_path / "releases/2025/thong-cao.vi.md")
    return Article(content, metadata=metadata, settings=config, source_path=source, context=context)


def test_links_are_found_as_pelican_finds_them(tmp_path):
    register()
    linked = '<p><img src="{static}/images/anh.png"> <a href="{attach}../files/ban-do.pdf">Bản đồ</a></p>'
    plain = "<p>Không có liên kết nào, chỉ chữ: a &lt; b.</p>"
    for content in (linked, plain):
        item = article(content, tmp_path)
        assert item.get_static_links() == intrasite_links.pelicans_static_links(item)
        assert item._update_content(content, "/site") == intrasite_links.pelicans_update_content(item, content, "/site")
    assert article(linked, tmp_path).get_static_links() == {"images/anh.png", "releases/files/ban-do.pdf"}
    assert article(plain, tmp_path).get_static_links() == set()


def test_another_link_pattern_is_always_scanned(tmp_path):
    register()
    content = '<p><img src="[static]/images/anh.png"></p>'  # no { or |: the default pattern's marks
    item = article(content, tmp_path, INTRASITE_LINK_REGEX=r"\[(?P<what>.*?)\]")
    assert item.get_static_links() == {"images/anh.png"}
    assert article(content, tmp_path).get_static_links() == set()


def test_a_link_in_a_summary_leads_to_its_release_from_every_page_and_feed(build_site):
    """Pelican resolves a Summary's links once, against the site's address: with relative URLs (make html, the
    previews) every listing below the site's root linked a folder too deep, and feeds a path under the entry."""
    files = {
        "releases/2025/ke-hoach.vi.md": release("Kế hoạch", "2025-05-02 08:00", tags="Y tế", slug="ke-hoach"),
        "releases/2025/tiem-chung.vi.md": release(
            "Tiêm chủng",
            "2025-05-09 08:00",
            tags="Y tế",
            summary="Theo [kế hoạch đã công bố]({filename}ke-hoach.vi.md).",
            slug="tiem-chung",
        ),
    }
    site = build_site(files)
    assert site.exit_code == 0, site.stderr
    target = "2025/05/ke-hoach/"
    for page in ("", "co-quan/so-y-te/", "chu-de/y-te/"):
        link = site.html(page).find("a", string="kế hoạch đã công bố")
        assert link is not None, page
        assert urljoin(f"{BASE}/{page}", link["href"]) == f"{BASE}/{target}", page
    entry = next(e for e in feedparser.parse(str(site.output / "atom.xml")).entries if e.title == "Tiêm chủng")
    hrefs = [a["href"] for a in BeautifulSoup(entry.summary, "html.parser").find_all("a")]
    assert hrefs == [f"{BASE}/{target}"]
