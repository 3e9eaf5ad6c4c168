"""Feeds journalists can trust: valid, complete, stable ids, nothing early, nothing twice."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from xml.etree import ElementTree

import feedparser
import pytest
from bs4 import BeautifulSoup
from lxml import etree

from conftest import release
from plugins.feeds.entries import Category, Enclosure, FeedEntry, Person
from plugins.feeds.formats import (
    FeedInfo,
    FeedRenderer,
    feed_head,
    feedgen_entry,
    json_head,
    json_item,
    restore_links,
    with_stylesheet,
)

ATOM = "{http://www.w3.org/2005/Atom}"
BASE = "http://127.0.0.1:8000"  # FEED_DOMAIN in pelicanconf.py
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


def sample_files(**overrides) -> dict:
    files = {
        "releases/2025/tiem-chung.vi.md": release(
            "Chiến dịch tiêm chủng",
            tags="Y tế",
            agency="so-y-te, quan-dong-da",
            body='Mở đầu [chi tiết](../chi-tiet/).\n\n![Ảnh tiêm]({static}/images/tiem.png "Ảnh: Sở Y tế")',
        ),
        "releases/2025/tiem-chung.en.md": release(
            "Vaccination campaign",
            tags="Health",
            agency="so-y-te, quan-dong-da",
            modified="2025-05-20 08:00",
            body='First [details](#details).\n\n![Vaccination]({static}/images/tiem.png "Photo: DoH")'
            "\n\n![Vaccination, again]({static}/images/tiem.png)",
        ),
        "releases/2025/le-hoi.vi.md": release(
            "Lễ hội", date="2025-04-01 08:00", agency="ubnd-ha-noi", tags="Văn hóa", summary="Lễ hội **lớn** & vui."
        ),
        "releases/2026/cam-van.vi.md": release("EMBARGO-MARKER", date="2026-06-01 08:00", tags="Y tế"),
        "releases/2025/nhap.en.md": release("DRAFT-MARKER", status="draft", tags="Health"),
        "images/tiem.png": PNG,
    }
    files.update(overrides)
    return files


def feed_files(output: Path) -> list[Path]:
    return sorted([*output.rglob("atom.xml"), *output.rglob("rss.xml"), *output.rglob("feed.json")])


def titles(output: Path, path: str) -> list[str]:
    return [e.title for e in feedparser.parse(str(output / path)).entries]


@pytest.fixture
def site(build_site):
    built = build_site(sample_files())
    assert built.exit_code == 0, built.stderr
    return built


def test_every_listing_has_its_three_feeds_beside_it(site):
    for folder in [
        "",
        "en/",
        "co-quan/so-y-te/",
        "en/agencies/so-y-te/",
        "co-quan/ubnd-ha-noi/",
        "en/agencies/ubnd-ha-noi/",
        "chu-de/y-te/",
        "en/tags/health/",
        "chu-de/van-hoa/",
    ]:
        for name in ("atom.xml", "rss.xml", "feed.json"):
            assert (site.output / folder / name).is_file(), folder + name


def test_atom_feeds_have_the_required_elements(site):
    for path in site.output.rglob("atom.xml"):
        parsed = feedparser.parse(str(path))
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        root = ElementTree.parse(path).getroot()
        for name in ("id", "title", "updated"):
            assert root.find(f"{ATOM}{name}").text, (path, name)
        assert root.find(f"{ATOM}author/{ATOM}name").text
        assert root.find(f"{ATOM}link[@rel='self']").get("href") == f"{BASE}/{path.relative_to(site.output)}"
        for entry in root.iter(f"{ATOM}entry"):
            for name in ("id", "title", "updated", "published", "content", "summary"):
                assert entry.find(f"{ATOM}{name}") is not None, (path, name)
            alternates = [
                (link.get("type"), link.get("hreflang"))
                for link in entry.iter(f"{ATOM}link")
                if link.get("rel") == "alternate"
            ]
            assert len(alternates) == len(set(alternates)), "RFC 4287: one alternate per type and hreflang"


def test_rss_feeds_have_the_channel_elements_and_opaque_guids(site):
    for path in site.output.rglob("rss.xml"):
        parsed = feedparser.parse(str(path))
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        channel = ElementTree.parse(path).getroot().find("channel")
        for name in ("title", "link", "description", "language", "lastBuildDate"):
            assert channel.find(name).text, (path, name)
        for item in channel.iter("item"):
            guid = item.find("guid")
            assert guid.get("isPermaLink") == "false" and guid.text.startswith("tag:")
            assert item.find("link").text.startswith(BASE)


def test_json_feeds_follow_json_feed_1_1(site):
    for path in site.output.rglob("feed.json"):
        feed = json.loads(path.read_text(encoding="utf-8"))
        assert feed["version"] == "https://jsonfeed.org/version/1.1"
        assert feed["title"] and feed["feed_url"] == f"{BASE}/{path.relative_to(site.output)}"
        assert feed["home_page_url"].startswith(BASE)
        for item in feed["items"]:
            assert item["id"].startswith("tag:") and item["content_html"] and item["url"].startswith(BASE)
            # A plain text sentence or two, as the specification has it (the markup is content_html's).
            assert item["summary"] and "<" not in item["summary"]
    items = json.loads((site.output / "feed.json").read_text(encoding="utf-8"))["items"]
    assert [item["summary"] for item in items if item["title"] == "Lễ hội"] == ["Lễ hội lớn & vui."]


def test_feeds_hold_exactly_the_right_entries(site):
    out = site.output
    assert titles(out, "atom.xml") == ["Chiến dịch tiêm chủng", "Lễ hội"]
    assert titles(out, "en/atom.xml") == ["Vaccination campaign"]
    assert titles(out, "co-quan/so-y-te/atom.xml") == ["Chiến dịch tiêm chủng"]
    assert titles(out, "co-quan/quan-dong-da/rss.xml") == ["Chiến dịch tiêm chủng"]
    assert titles(out, "en/agencies/quan-dong-da/atom.xml") == ["Vaccination campaign"]
    assert titles(out, "en/agencies/ubnd-ha-noi/atom.xml") == []
    assert titles(out, "chu-de/y-te/atom.xml") == ["Chiến dịch tiêm chủng"]
    assert titles(out, "en/tags/health/rss.xml") == ["Vaccination campaign"]
    json_titles = [i["title"] for i in json.loads((out / "en/tags/health/feed.json").read_text())["items"]]
    assert json_titles == ["Vaccination campaign"]


def test_embargoed_and_draft_releases_are_in_no_feed(site):
    for path in [*feed_files(site.output), site.output / "feeds.opml"]:
        text = path.read_text(encoding="utf-8")
        assert "EMBARGO-MARKER" not in text and "DRAFT-MARKER" not in text, path


def test_entry_content_links_and_images_are_absolute(site):
    entry = feedparser.parse(str(site.output / "en/atom.xml")).entries[0]
    soup = BeautifulSoup(entry.content[0].value, "html.parser")
    urls = [a["href"] for a in soup.find_all("a")] + [img["src"] for img in soup.find_all("img")]
    assert urls and all(url.startswith(BASE + "/") for url in urls)
    assert f"{BASE}/images/tiem.png" in urls
    assert f"{BASE}/en/2025/05/vaccination-campaign/#details" in urls


def test_entries_carry_agencies_tags_language_translation_and_enclosure(site):
    entry = feedparser.parse(str(site.output / "en/atom.xml")).entries[0]
    assert [a.name for a in entry.authors] == ["Department of Health", "Dong Da District"]
    assert [t.label for t in entry.tags] == ["Health"]
    links = {(link.rel, link.get("hreflang")): link for link in entry.links}
    assert links[("alternate", "en")].href == f"{BASE}/en/2025/05/vaccination-campaign/"
    assert links[("alternate", "vi")].href == f"{BASE}/2025/05/chien-dich-tiem-chung/"
    assert links[("enclosure", None)].href == f"{BASE}/images/tiem.png"
    assert links[("enclosure", None)].length == str(len(PNG))
    assert [link.rel for link in entry.links].count("enclosure") == 1  # the photo is shown twice, enclosed once
    rss_item = feedparser.parse(str(site.output / "en/rss.xml")).entries[0]
    assert [enclosure.href for enclosure in rss_item.enclosures] == [f"{BASE}/images/tiem.png"]
    # RSS 2.0 has one author an item: the first agency's (Atom names them all).
    item = etree.parse(str(site.output / "en/rss.xml")).find("channel/item")
    assert [author.text for author in item.findall("author")] == [rss_item.author]
    assert "Department of Health" in rss_item.author
    assert rss_item.link == f"{BASE}/en/2025/05/vaccination-campaign/"


def test_updated_follows_modified_and_feed_updated_is_the_newest_entry(site):
    en = feedparser.parse(str(site.output / "en/atom.xml"))
    assert en.entries[0].updated == "2025-05-20T08:00:00+07:00"
    assert en.entries[0].published == "2025-05-09T16:30:00+07:00"
    assert en.feed.updated == "2025-05-20T08:00:00+07:00"
    vi = feedparser.parse(str(site.output / "atom.xml"))
    assert vi.entries[0].updated == vi.entries[0].published == "2025-05-09T16:30:00+07:00"
    assert vi.feed.updated == "2025-05-09T16:30:00+07:00"


def test_feed_level_ids_and_titles_are_distinct_and_in_the_feed_language(site):
    ids = {}
    for path in site.output.rglob("atom.xml"):
        parsed = feedparser.parse(str(path))
        ids.setdefault(parsed.feed.id, path)
    assert len(ids) == len(list(site.output.rglob("atom.xml")))
    assert feedparser.parse(str(site.output / "co-quan/so-y-te/atom.xml")).feed.title == "Sở Y tế — Thông cáo báo chí"
    en_title = feedparser.parse(str(site.output / "en/agencies/so-y-te/atom.xml")).feed.title
    assert en_title == "Department of Health — Press releases"


def test_ids_survive_a_changed_title_and_slug(build_site):
    first = build_site(sample_files(), name="first")
    changed = sample_files(
        **{
            "releases/2025/tiem-chung.en.md": release(
                "Vaccination campaign (corrected)",
                slug="vaccination-drive",
                tags="Health",
                agency="so-y-te, quan-dong-da",
                modified="2025-05-21 08:00",
            ),
        }
    )
    second = build_site(changed, name="second")
    for path in ("en/atom.xml", "en/agencies/so-y-te/atom.xml", "en/tags/health/rss.xml"):
        before = feedparser.parse(str(first.output / path)).entries[0]
        after = feedparser.parse(str(second.output / path)).entries[0]
        assert before.id == after.id, path
        assert before.link != after.link
    json_before = json.loads((first.output / "en/feed.json").read_text())["items"][0]["id"]
    json_after = json.loads((second.output / "en/feed.json").read_text())["items"][0]["id"]
    assert json_before == json_after == "tag:baochi.hanoi.gov.vn,2025:release/2025/tiem-chung/en"


def test_explicit_id_overrides_the_file_identity(build_site):
    site = build_site({"releases/2025/moi.vi.md": release("Một", id="2019/he-thong-cu-123")})
    entry = feedparser.parse(str(site.output / "atom.xml")).entries[0]
    assert entry.id == "tag:baochi.hanoi.gov.vn,2025:release/2019/he-thong-cu-123/vi"


def test_newest_fifty_newest_first(build_site):
    files = {
        f"releases/2025/r{n:02d}.vi.md": release(f"Số {n}", date=f"2025-{1 + n // 28:02d}-{1 + n % 28:02d} 09:00")
        for n in range(55)
    }
    site = build_site(files)
    names = titles(site.output, "atom.xml")
    assert len(names) == 50
    assert names[0] == "Số 54" and names[-1] == "Số 5"


def test_same_content_gives_the_same_bytes(build_site):
    first = build_site(sample_files(), name="a")
    second = build_site(sample_files(), name="b")
    for path in [*feed_files(first.output), first.output / "feeds.opml"]:
        twin = second.output / path.relative_to(first.output)
        assert path.read_bytes() == twin.read_bytes(), path


def test_opml_lists_every_feed_once_and_each_exists(site):
    root = ElementTree.parse(site.output / "feeds.opml").getroot()
    assert root.get("version") == "2.0"
    urls = [o.get("xmlUrl") for o in root.iter("outline") if o.get("xmlUrl")]
    assert len(urls) == len(set(urls))
    listed = {url.removeprefix(BASE + "/") for url in urls}
    written = {str(p.relative_to(site.output)) for p in site.output.rglob("atom.xml")}
    assert listed == written
    groups = [o.get("text") for o in root.find("body")]
    assert groups == ["Tiếng Việt", "English"]
    vi_groups = [o.get("text") for o in root.find("body")[0] if not o.get("xmlUrl")]
    assert vi_groups == ["Cơ quan", "Chủ đề"]


def test_pages_advertise_their_feeds(site):
    agency = site.html("/co-quan/so-y-te/")
    hrefs = [link["href"] for link in agency.select('head link[rel="alternate"][type]')]
    assert hrefs[:3] == [
        "../../co-quan/so-y-te/atom.xml",
        "../../co-quan/so-y-te/rss.xml",
        "../../co-quan/so-y-te/feed.json",
    ]
    assert "../../atom.xml" in hrefs
    page = site.html("/en/2025/05/vaccination-campaign/")
    types = {(link["type"], link["href"].split("../")[-1]) for link in page.select('head link[rel="alternate"][type]')}
    assert ("application/atom+xml", "en/atom.xml") in types
    assert ("application/atom+xml", "en/agencies/so-y-te/atom.xml") in types
    assert ("application/feed+json", "en/agencies/quan-dong-da/feed.json") in types


def test_subscribe_pages_list_every_feed_in_human_terms(site):
    for url, lang in (("/dang-ky/", "vi"), ("/en/subscribe/", "en")):
        page = site.html(url)
        assert page.html["lang"] == lang
        links = [a["href"] for a in page.select("main a[type]")]
        for href in links:
            assert (site.file(url).parent / href).resolve().is_file(), href
        agency_rows = page.select("#agency-feeds ~ table tbody tr, section[aria-labelledby=agency-feeds] tbody tr")
        assert len(agency_rows) == 3
    assert "Sở Y tế" in site.html("/dang-ky/").get_text()


def test_a_release_reads_the_same_in_every_feed_it_is_in(site):
    """Each feed holds the same text for the release: in the site's feed, its agencies' and its topic's."""
    folders = ["", "co-quan/so-y-te/", "co-quan/quan-dong-da/", "chu-de/y-te/"]
    wanted = "tag:baochi.hanoi.gov.vn,2025:release/2025/tiem-chung/vi"

    def entry(path: Path, tag: str, id_tag: str) -> bytes:
        found = [e for e in etree.parse(path).iter(tag) if e.findtext(id_tag) == wanted]
        assert len(found) == 1, path
        return etree.tostring(found[0], method="c14n")

    for name, tag, id_tag in (("atom.xml", f"{ATOM}entry", f"{ATOM}id"), ("rss.xml", "item", "guid")):
        texts = {entry(site.output / folder / name, tag, id_tag) for folder in folders}
        assert len(texts) == 1, name
    items = [
        [i for i in json.loads((site.output / folder / "feed.json").read_text())["items"] if i["id"] == wanted]
        for folder in folders
    ]
    assert all(found == items[0] and len(found) == 1 for found in items)
    # ... though it has other neighbours in some of them
    assert len(titles(site.output, "atom.xml")) > len(titles(site.output, "chu-de/y-te/atom.xml"))


def awkward_entry(n: int) -> FeedEntry:
    """An entry with what serialisers get wrong: markup, entities, CR, ]]>, emoji, empty fields."""
    when = datetime(2025, 5, 9, 16, 30, tzinfo=timezone(timedelta(hours=7))) + timedelta(days=n)
    return FeedEntry(
        id=f"tag:example.org,2025:release/2025/r{n}/vi",
        lang="vi",
        title=f"Số {n} <b>&amp; ]]> \r\n\t 🎉",
        url=f"https://example.org/2025/r{n}/",
        content_html=f"<p>Nội dung {n} &amp; <a href='https://example.org/?a=1&b=2'>x</a>\r\n]]></p>\n<p>\"hai\"</p>",
        summary_html="" if n % 2 else "<p>Tóm tắt</p>",
        published=when,
        updated=when + timedelta(hours=n % 3),
        authors=[Person("Sở Y tế", "soyte@example.org" if n % 2 else "", "https://example.org/co-quan/so-y-te/")],
        categories=[] if n % 2 else [Category("y-te", "Y tế & <Sức khỏe>", "https://example.org/chu-de/y-te/")],
        translations={"en": f"https://example.org/en/r{n}/"} if n % 3 else {},
        enclosures=[Enclosure(f"https://example.org/images/{n}.png", 68 + n, "image/png")] if n % 2 else [],
    )


def awkward_info(name: str, items: list[FeedEntry]) -> FeedInfo:
    base = f"https://example.org/{name}"
    return FeedInfo(
        id=f"tag:example.org,2025:feed/{name}",
        title=f'Nguồn {name} — <Thông cáo> & "báo chí"',
        description="Mô tả ]]> &",
        lang="vi",
        home_url=f"{base}/",
        self_urls={"atom": f"{base}/atom.xml", "rss": f"{base}/rss.xml", "json": f"{base}/feed.json"},
        updated=max((item.updated for item in items), default=datetime(2025, 1, 1, tzinfo=UTC)),
        author=Person("Trung tâm Báo chí", "", "https://example.org/"),
        icon="https://example.org/icon.png",
        favicon="https://example.org/favicon.png",
        stylesheet="/theme/feed.xsl" if len(items) % 2 else "",
    )


def whole_feed(fmt: str, info: FeedInfo, items: list[FeedEntry]) -> bytes:
    """The feed as feedgen (or json) serialises it in one go, entries and all."""
    if fmt == "json":
        data = {**json_head(info), "items": [json_item(item) for item in items]}
        return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
    feed = feed_head(info, fmt)
    for item in items:
        feed.add_entry(feedgen_entry(item), order="append")
    if fmt == "rss":
        return with_stylesheet(etree.fromstring(feed.rss_str(encoding="UTF-8")), info)
    root = etree.fromstring(feed.atom_str(pretty=True, encoding="UTF-8"))
    for element, item in zip(root.iter(f"{ATOM}entry"), items, strict=True):
        restore_links(element, item, ATOM)
    return with_stylesheet(root, info)


@pytest.mark.parametrize("fmt", ["atom", "rss", "json"])
def test_feeds_made_of_shared_entries_are_the_bytes_of_a_whole_feed(fmt):
    """Entries serialised once and shared give each feed the bytes serialising it whole would."""
    entries = [awkward_entry(n) for n in range(6)]
    feeds = {"site": entries[::-1], "agency": entries[4:1:-1], "tag": entries[1::2], "empty": [], "one": entries[2:3]}
    renderer = FeedRenderer()
    for name, items in feeds.items():
        info = awkward_info(name, items)
        assert renderer.render(fmt, info, items) == whole_feed(fmt, info, items), name


def test_links_in_entries_are_made_absolute_and_the_rest_kept_as_written_within_the_policy():
    from plugins.feeds.entries import LinkResolver

    absolutize = LinkResolver({})
    page = "https://baochi.example/2025/03/thong-cao/"
    fragment = (
        '<p>Xem <a href="../phu-luc/?a=1&amp;b=2">phụ lục</a>&nbsp;và <a href="#muc-2">mục 2</a>.</p>'
        '<img src="anh.png" alt="Ảnh"><blockquote cite="/nguon/"><p>Trích</p></blockquote>'
        '<img src="https://cdn.example/x.png" alt="">'
    )
    resolved, images = absolutize(fragment, page)
    assert 'href="https://baochi.example/2025/03/phu-luc/?a=1&amp;b=2"' in resolved
    assert 'href="https://baochi.example/2025/03/thong-cao/#muc-2"' in resolved
    assert 'cite="https://baochi.example/nguon/"' in resolved
    assert images == ["https://baochi.example/2025/03/thong-cao/anh.png", "https://cdn.example/x.png"]
    # Otherwise the page's HTML, as written (the entity too).
    assert resolved.startswith("<p>Xem <a ") and "&nbsp;và" in resolved
    plain = "<p>Sở Y tế &amp; Sở Giao thông: <strong>thông báo</strong> lịch làm việc.</p>"
    assert absolutize(plain, page) == (plain, [])
    # What the releases' policy does not allow never reaches a feed, resolved or not.
    unsafe = '<p style="background: url(nen.png)" onclick="x()">x</p><script>alert(1)</script>'
    assert absolutize(unsafe, page) == ("<p>x</p>", [])
    assert absolutize("<p>y</p><script>alert(1)</script>", page) == ("<p>y</p>", [])
