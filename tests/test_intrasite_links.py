"""Pelican's link scans answer at once for text without a link, and as Pelican does for any other."""

from __future__ import annotations

import copy
import datetime

from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG

from plugins.intrasite_links import intrasite_links, register


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
