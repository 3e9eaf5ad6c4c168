"""Sitemaps search engines can trust: every published page once, translations linked, nothing withheld."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup
from lxml import etree

from conftest import ROOT, release, run_cli, write_tree
from pressroom.build import build, load_settings

BASE = "http://127.0.0.1:8000"  # FEED_DOMAIN in pelicanconf.py
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}
SITEMAP_FILES = ("sitemap.xml", "sitemap-pages.xml", "sitemap-2025.xml", "sitemap-news.xml", "robots.txt")
RELEASE_PAGE = re.compile(r"^(en/)?\d{4}/\d{2}/[^/]+/index\.html$")


def corpus() -> dict:
    return {
        "releases/2025/tiem-chung.vi.md": release("Chiến dịch tiêm chủng", tags="Y tế", agency="so-y-te, quan-dong-da"),
        "releases/2025/tiem-chung.en.md": release(
            "Vaccination campaign", tags="Health", agency="so-y-te, quan-dong-da", modified="2025-05-20 08:00"
        ),
        "releases/2025/le-hoi.vi.md": release("Lễ hội", date="2025-04-01 08:00", agency="ubnd-ha-noi", tags="Văn hóa"),
        "releases/2025/chi-tieng-anh.en.md": release("English only", date="2025-03-02 09:00"),
        "releases/2025/moi.vi.md": release("Tin mới", date="2025-12-31 10:00", agency="ubnd-ha-noi"),
        "releases/2025/moi.en.md": release("Fresh news & more", date="2025-12-31 10:00", agency="ubnd-ha-noi"),
        "releases/2025/cu.vi.md": release("Tin cũ", date="2025-12-20 10:00"),
        "releases/2026/cam-van.vi.md": release("Tin zqxembargo", date="2026-01-01 07:01", tags="Zqxtag"),
        "releases/2025/nhap.en.md": release("News zqxdraft", date="2025-12-31 11:00", status="draft", tags="Zqxtag"),
        "pages/gioi-thieu.vi.md": "Title: Giới thiệu\nSlug: gioi-thieu\n\nVề chúng tôi.\n",
        "pages/gioi-thieu.en.md": "Title: About\nSlug: about\n\nAbout us.\n",
        "pages/lien-he.vi.md": "Title: Liên hệ\nSlug: lien-he\nModified: 2025-06-01 09:00\n\nĐịa chỉ.\n",
    }


def parse(path: Path) -> etree._Element:
    return etree.parse(str(path)).getroot()


def urls(root: etree._Element) -> dict[str, etree._Element]:
    return {url.findtext("sm:loc", namespaces=NS): url for url in root.iterfind("sm:url", NS)}


def indexed(output: Path) -> dict[str, str | None]:
    """The sitemaps ``sitemap.xml`` indexes (their addresses) with their lastmod."""
    index = parse(output / "sitemap.xml")
    assert index.tag == f"{{{NS['sm']}}}sitemapindex"
    return {
        child.findtext("sm:loc", namespaces=NS): child.findtext("sm:lastmod", namespaces=NS)
        for child in index.iterfind("sm:sitemap", NS)
    }


def sitemaps(output: Path) -> list[etree._Element]:
    """Each sitemap the index names, parsed from the output."""
    return [parse(output / loc.removeprefix(BASE + "/")) for loc in indexed(output)]


def every_url(output: Path) -> dict[str, etree._Element]:
    found: dict[str, etree._Element] = {}
    for root in sitemaps(output):
        listed = urls(root)
        assert not set(listed) & set(found), "a page in two sitemaps"
        found.update(listed)
    return found


def lastmod(url: etree._Element) -> str | None:
    return url.findtext("sm:lastmod", namespaces=NS)


def hreflangs(url: etree._Element) -> dict[str, str]:
    links = url.findall("xhtml:link", NS)
    assert all(link.get("rel") == "alternate" for link in links)
    return {link.get("hreflang"): link.get("href") for link in links}


def output_file(output: Path, loc: str) -> Path:
    assert loc.startswith(BASE + "/"), loc
    path = unquote(loc.removeprefix(BASE + "/"))
    return output / (path + "index.html" if path == "" or path.endswith("/") else path)


@pytest.fixture
def site(build_site):
    built = build_site(corpus())
    assert built.exit_code == 0, built.stderr
    return built


@pytest.fixture
def sitemap(site) -> dict[str, etree._Element]:
    return every_url(site.output)


def test_the_index_names_a_sitemap_of_the_pages_then_one_per_year_with_its_newest_change(build_site):
    files = {**corpus(), "releases/2024/nam-truoc.vi.md": release("Năm trước", date="2024-06-01 08:00")}
    site = build_site(files)
    assert site.exit_code == 0, site.stderr
    assert indexed(site.output) == {
        f"{BASE}/sitemap-pages.xml": "2025-12-31T10:00:00+07:00",  # the home page's newest release
        f"{BASE}/sitemap-2025.xml": "2025-12-31T10:00:00+07:00",
        f"{BASE}/sitemap-2024.xml": "2024-06-01T08:00:00+07:00",
    }
    assert list(urls(parse(site.output / "sitemap-2024.xml"))) == [f"{BASE}/2024/06/nam-truoc/"]
    pages = urls(parse(site.output / "sitemap-pages.xml"))
    assert f"{BASE}/gioi-thieu/" in pages and f"{BASE}/2024/" in pages  # content pages and listings
    assert not any(re.search(r"/\d{4}/\d{2}/", loc) for loc in pages)  # no release


def test_a_new_release_writes_again_only_its_year_the_pages_and_the_index(build_site):
    files = {**corpus(), "releases/2024/nam-truoc.vi.md": release("Năm trước", date="2024-06-01 08:00")}
    first = build_site(files)
    assert first.exit_code == 0, first.stderr
    before = {p.name: p.stat().st_ino for p in first.output.glob("sitemap*.xml")}
    second = build_site({"releases/2025/them.vi.md": release("Thêm một tin", date="2025-11-02 08:00")})
    assert second.exit_code == 0, second.stderr
    after = {p.name: p.stat().st_ino for p in second.output.glob("sitemap*.xml")}
    assert after.keys() == before.keys()
    assert after["sitemap-2024.xml"] == before["sitemap-2024.xml"]  # linked from the live output
    assert after["sitemap-2025.xml"] != before["sitemap-2025.xml"]
    assert f"{BASE}/2025/11/them-mot-tin/" in urls(parse(second.output / "sitemap-2025.xml"))


def test_every_release_of_both_languages_is_listed_with_its_lastmod(sitemap):
    expected = {
        "2025/05/chien-dich-tiem-chung/": "2025-05-09T16:30:00+07:00",
        "en/2025/05/vaccination-campaign/": "2025-05-20T08:00:00+07:00",  # Modified wins over Date
        "2025/04/le-hoi/": "2025-04-01T08:00:00+07:00",
        "en/2025/03/english-only/": "2025-03-02T09:00:00+07:00",
        "2025/12/tin-moi/": "2025-12-31T10:00:00+07:00",
        "en/2025/12/fresh-news-more/": "2025-12-31T10:00:00+07:00",
        "2025/12/tin-cu/": "2025-12-20T10:00:00+07:00",
    }
    for path, when in expected.items():
        assert f"{BASE}/{path}" in sitemap, path
        assert lastmod(sitemap[f"{BASE}/{path}"]) == when, path


def test_translated_releases_list_themselves_their_translation_and_x_default(sitemap):
    vi, en = f"{BASE}/2025/05/chien-dich-tiem-chung/", f"{BASE}/en/2025/05/vaccination-campaign/"
    expected = {"vi": vi, "en": en, "x-default": vi}
    assert hreflangs(sitemap[vi]) == expected
    assert hreflangs(sitemap[en]) == expected


def test_single_language_releases_have_no_alternate_links(sitemap):
    assert hreflangs(sitemap[f"{BASE}/en/2025/03/english-only/"]) == {}
    assert hreflangs(sitemap[f"{BASE}/2025/04/le-hoi/"]) == {}


def test_listings_are_listed_with_their_newest_release_as_lastmod(sitemap):
    for path in ("", "en/", "co-quan/", "en/agencies/", "co-quan/so-y-te/", "en/agencies/so-y-te/"):
        assert f"{BASE}/{path}" in sitemap, path
    for path in ("chu-de/", "chu-de/y-te/", "en/tags/health/", "2025/", "en/2025/", "dang-ky/", "en/subscribe/"):
        assert f"{BASE}/{path}" in sitemap, path
    assert lastmod(sitemap[f"{BASE}/"]) == "2025-12-31T10:00:00+07:00"
    assert lastmod(sitemap[f"{BASE}/en/agencies/so-y-te/"]) == "2025-05-20T08:00:00+07:00"
    assert lastmod(sitemap[f"{BASE}/chu-de/y-te/"]) == "2025-05-09T16:30:00+07:00"
    assert lastmod(sitemap[f"{BASE}/co-quan/"]) is None  # lists agencies, not releases
    assert hreflangs(sitemap[f"{BASE}/en/"]) == {"vi": f"{BASE}/", "en": f"{BASE}/en/", "x-default": f"{BASE}/"}
    assert hreflangs(sitemap[f"{BASE}/chu-de/y-te/"]) == {}  # topics have no true equivalent
    assert not any("/page/" in loc for loc in sitemap)


def test_content_pages_are_listed_with_translations_and_dates_only_when_they_have_them(sitemap):
    about = {"vi": f"{BASE}/gioi-thieu/", "en": f"{BASE}/en/about/", "x-default": f"{BASE}/gioi-thieu/"}
    assert hreflangs(sitemap[f"{BASE}/en/about/"]) == about
    assert lastmod(sitemap[f"{BASE}/en/about/"]) is None
    contact = sitemap[f"{BASE}/lien-he/"]
    assert hreflangs(contact) == {} and lastmod(contact) == "2025-06-01T09:00:00+07:00"


def test_every_loc_and_alternate_is_an_existing_page_listed_once(site):
    locs = []
    for root in sitemaps(site.output):
        own = [url.findtext("sm:loc", namespaces=NS) for url in root.iterfind("sm:url", NS)]
        assert own == sorted(own)
        locs += own
    assert len(locs) == len(set(locs)) and len(locs) > 20
    for loc in locs:
        assert output_file(site.output, loc).is_file(), loc
    for root in sitemaps(site.output):
        for link in root.iterfind("sm:url/xhtml:link", NS):
            assert link.get("href") in locs, link.get("href")
    written = {p.relative_to(site.output).as_posix() for p in site.output.rglob("index.html")}
    releases = {p for p in written if RELEASE_PAGE.match(p)}
    assert releases == {output_file(site.output, loc).relative_to(site.output).as_posix() for loc in locs} & releases


def test_withheld_releases_are_in_no_sitemap(site):
    assert sorted(p.name for p in site.output.glob("sitemap*.xml")) == sorted(SITEMAP_FILES[:-1])  # no 2026
    for name in SITEMAP_FILES:
        text = (site.output / name).read_text(encoding="utf-8").lower()
        assert "zqx" not in text and "2026/" not in text, name


def test_news_sitemap_holds_exactly_the_releases_of_the_last_two_days(site):
    root = parse(site.output / "sitemap-news.xml")
    news = urls(root)
    assert sorted(news) == [f"{BASE}/2025/12/tin-moi/", f"{BASE}/en/2025/12/fresh-news-more/"]
    item = news[f"{BASE}/en/2025/12/fresh-news-more/"]
    assert item.findtext("news:news/news:publication/news:name", namespaces=NS) == "Capital Press Centre"
    assert item.findtext("news:news/news:publication/news:language", namespaces=NS) == "en"
    assert item.findtext("news:news/news:publication_date", namespaces=NS) == "2025-12-31T10:00:00+07:00"
    assert item.findtext("news:news/news:title", namespaces=NS) == "Fresh news & more"
    vi = news[f"{BASE}/2025/12/tin-moi/"]
    assert vi.findtext("news:news/news:publication/news:name", namespaces=NS) == "Trung tâm Báo chí Thủ đô"
    assert vi.findtext("news:news/news:title", namespaces=NS) == "Tin mới"


def test_news_sitemap_is_written_even_when_empty(build_site):
    site = build_site({"releases/2025/cu.vi.md": release("Tin cũ")})
    root = parse(site.output / "sitemap-news.xml")
    assert root.tag == f"{{{NS['sm']}}}urlset" and root.nsmap["news"] == NS["news"]
    assert len(root) == 0


def test_robots_txt_allows_everything_and_names_both_sitemaps(site):
    lines = (site.output / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert lines[:2] == ["User-agent: *", "Allow: /"]
    assert f"Sitemap: {BASE}/sitemap.xml" in lines and f"Sitemap: {BASE}/sitemap-news.xml" in lines


def test_same_content_gives_the_same_bytes(build_site):
    first = build_site(corpus(), name="one")
    second = build_site(corpus(), name="two")
    for name in SITEMAP_FILES:
        assert (first.output / name).read_bytes() == (second.output / name).read_bytes(), name


def test_preview_sitemaps_name_only_what_would_be_published(tmp_path):
    write_tree(tmp_path / "content", corpus())
    args = ("-s", str(ROOT / "previewconf.py"), "-i", str(tmp_path / "content"), "-o", str(tmp_path / "preview"))
    result = run_cli(*args, "build")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "preview/2026/01/tin-zqxembargo/index.html").is_file(), "the preview shows it"
    assert not (tmp_path / "preview/sitemap-2026.xml").exists()
    for name in SITEMAP_FILES:
        text = (tmp_path / "preview" / name).read_text(encoding="utf-8").lower()
        assert "zqx" not in text and "2026/" not in text, name


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("sample") / "output"
    assert build(load_settings(str(ROOT / "pelicanconf.py"), {"OUTPUT_PATH": str(output)})) == 0
    return output


def indexable(page: Path) -> bool:
    """Redirect pages at former addresses (Aliases) look like release pages but ask not to be indexed."""
    robots = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find("meta", attrs={"name": "robots"})
    return robots is None or "noindex" not in robots.get("content", "")


def test_sample_site_every_release_page_is_in_the_sitemap(sample):
    locs = set(every_url(sample))
    found = [p for p in sample.rglob("index.html") if RELEASE_PAGE.match(p.relative_to(sample).as_posix())]
    pages = [p for p in found if indexable(p)]
    assert len(pages) >= 30 and len(pages) < len(found), "the sample has an alias redirect page"
    missing = [p for p in pages if f"{BASE}/{p.parent.relative_to(sample).as_posix()}/" not in locs]
    assert missing == []


def test_sample_site_hreflang_alternates_exist_and_link_back(sample):
    sitemap = every_url(sample)
    checked = 0
    for loc, url in sitemap.items():
        for hreflang, href in hreflangs(url).items():
            assert output_file(sample, href).is_file(), href
            assert href in sitemap, href
            assert loc in hreflangs(sitemap[href]).values(), f"{href} ({hreflang}) does not list {loc} back"
            checked += 1
    assert checked > 100
