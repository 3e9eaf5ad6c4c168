"""What link previews and search engines read: canonical URLs, OpenGraph, Twitter, JSON-LD, the manifest."""

from __future__ import annotations

import json
from urllib.parse import urljoin

import pytest

from conftest import NOW_EPOCH, ROOT, Site, release, write_tree
from pressroom.build import build, load_settings

BASE = "http://127.0.0.1:8000"  # FEED_DOMAIN in pelicanconf.py
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)
ICON = f"{BASE}/theme/images/icon-512.png"
LONG_SUMMARY = "Trung tâm tại số 17 Điện Biên Phủ là đầu mối cung cấp thông tin chính thống của thành phố. " * 4
HOSTILE = "Cảnh báo </script><script>alert(1)</script> & <!-- hết"


def sample_files() -> dict:
    files = {
        "releases/2025/khai-truong.vi.md": release(
            "Khai trương Trung tâm Báo chí",
            agency="ubnd-ha-noi, so-y-te",
            tags="Báo chí, Chuyển đổi số",
            summary=LONG_SUMMARY.strip(),
            modified="2025-05-10 08:00",
            body='Chiều 9/5, **khai trương**.\n\n![Mặt tiền Trung tâm]({static}/images/2025/trung-tam.png "Ảnh: MN")',
        ),
        "releases/2025/khai-truong.en.md": release(
            "Press Centre opens",
            agency="ubnd-ha-noi, so-y-te",
            tags="Press",
            body="![Elsewhere](https://example.com/x.png)\n\nOpened.\n\n![Front]({static}/images/2025/trung-tam.png)",
        ),
        "releases/2025/khong-anh.vi.md": release(
            "Thông báo không ảnh", date="2025-05-08 09:00", agency="quan-dong-da", body="Một đoạn ngắn."
        ),
        "releases/2025/canh-bao.vi.md": release(HOSTILE, date="2025-05-07 09:00", slug="canh-bao"),
        "pages/gioi-thieu.vi.md": "Title: Giới thiệu\nSlug: gioi-thieu\n\nTrung tâm Báo chí.\n",
        "images/2025/trung-tam.png": PNG,
    }
    for number in range(20):  # enough for a second page of the Vietnamese home
        files[f"releases/2024/tin-{number:02d}.vi.md"] = release(
            f"Tin số {number}", date=f"2024-03-{number + 1:02d} 10:00", agency="quan-dong-da"
        )
    return files


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """One build for the module (as build_site would make it): a real Pelican build is the slow part."""
    root = tmp_path_factory.mktemp("page-meta")
    content, output = root / "content", root / "output"
    write_tree(content, sample_files())
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", NOW_EPOCH)
        settings = load_settings(str(ROOT / "pelicanconf.py"), {"PATH": str(content), "OUTPUT_PATH": str(output)})
        code = build(settings)
    built = Site(content, output, code, "")
    assert code == 0
    return built


def meta(page, name: str) -> str | None:
    tag = page.find("meta", attrs={"property": name}) or page.find("meta", attrs={"name": name})
    return tag["content"] if tag else None


def metas(page, name: str) -> list[str]:
    return [tag["content"] for tag in page.find_all("meta", attrs={"property": name})]


def json_ld(page) -> dict:
    scripts = page.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    return json.loads(scripts[0].string)


def test_every_page_has_its_own_absolute_url_as_canonical(site):
    pages = [url for url in site.pages() if not url.endswith("404.html")]
    for url in ["/", "/page/2/", "/en/", "/en/2025/05/press-centre-opens/", "/gioi-thieu/", "/co-quan/so-y-te/"]:
        assert url in pages
    for url in pages:
        page = site.html(url)
        links = page.find_all("link", rel="canonical")
        assert [link["href"] for link in links] == [BASE + url], url
        assert meta(page, "og:url") == BASE + url


def test_not_found_pages_have_no_canonical_but_the_manifest(site):
    for url in ("/404.html", "/en/404.html"):
        page = site.html(url)
        assert page.find("link", rel="canonical") is None
        assert page.find("link", rel="manifest")["href"] == "/manifest.webmanifest"


def test_og_locale_and_its_alternates_follow_the_page_language(site):
    for url in ("/", "/2025/05/khai-truong-trung-tam-bao-chi/", "/co-quan/so-y-te/", "/gioi-thieu/"):
        page = site.html(url)
        assert meta(page, "og:locale") == "vi_VN"
        assert metas(page, "og:locale:alternate") == ["en_GB"]
        assert meta(page, "og:site_name") == "Trung tâm Báo chí Thủ đô"
    for url in ("/en/", "/en/2025/05/press-centre-opens/", "/en/agencies/so-y-te/"):
        page = site.html(url)
        assert meta(page, "og:locale") == "en_GB"
        assert metas(page, "og:locale:alternate") == ["vi_VN"]
        assert meta(page, "og:site_name") == "Capital Press Centre"


def test_a_release_with_a_photo_shows_it_in_previews(site):
    page = site.html("/2025/05/khai-truong-trung-tam-bao-chi/")
    image = f"{BASE}/images/2025/trung-tam.png"
    assert meta(page, "og:image") == image
    assert (site.output / "images/2025/trung-tam.png").is_file()
    assert meta(page, "og:image:alt") == "Mặt tiền Trung tâm"
    assert meta(page, "og:type") == "article"
    assert meta(page, "twitter:card") == "summary_large_image"
    assert meta(page, "og:title") == meta(page, "twitter:title") == "Khai trương Trung tâm Báo chí"
    assert meta(page, "article:published_time") == "2025-05-09T16:30:00+07:00"
    assert meta(page, "article:modified_time") == "2025-05-10T08:00:00+07:00"
    # An external image first: the first photo this site serves is the one shown.
    assert meta(site.html("/en/2025/05/press-centre-opens/"), "og:image") == image


def test_a_release_without_a_photo_shows_the_site_icon(site):
    page = site.html("/2025/05/thong-bao-khong-anh/")
    assert meta(page, "og:image") == ICON
    assert meta(page, "twitter:card") == "summary"
    assert meta(page, "og:description") == "Một đoạn ngắn."
    assert meta(page, "article:modified_time") == meta(page, "article:published_time")


def test_descriptions_are_the_summary_as_text_short_enough_else_the_site_description(site):
    page = site.html("/2025/05/khai-truong-trung-tam-bao-chi/")
    description = meta(page, "og:description")
    assert description == meta(page, "twitter:description") == meta(page, "description")
    assert LONG_SUMMARY.startswith(description.removesuffix("..."))
    assert len(description) <= 205 and "<" not in description
    home = site.html("/en/")
    assert meta(home, "og:description") == "Official press releases from the agencies of Hanoi"
    assert meta(home, "og:type") == "website"
    assert meta(home, "og:image") == ICON
    assert meta(home, "og:title") == "Capital Press Centre"
    assert meta(site.html("/page/2/"), "og:title").startswith("Trung tâm Báo chí Thủ đô — ")


def test_release_json_ld_is_a_news_article(site):
    data = json_ld(site.html("/2025/05/khai-truong-trung-tam-bao-chi/"))
    url = f"{BASE}/2025/05/khai-truong-trung-tam-bao-chi/"
    assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
    assert data["headline"] == "Khai trương Trung tâm Báo chí"
    assert data["description"].startswith("Trung tâm tại số 17")
    assert data["datePublished"] == "2025-05-09T16:30:00+07:00"
    assert data["dateModified"] == "2025-05-10T08:00:00+07:00"
    assert data["inLanguage"] == "vi"
    assert data["url"] == url and data["mainEntityOfPage"]["@id"] == url
    assert data["identifier"] == "2025/khai-truong"
    assert data["image"] == f"{BASE}/images/2025/trung-tam.png"
    assert data["publisher"]["@type"] == "GovernmentOrganization"
    assert data["publisher"]["name"] == "Trung tâm Báo chí Thủ đô"
    assert data["publisher"]["logo"]["url"] == ICON
    committee = {"@type": "GovernmentOrganization", "name": "Ủy ban nhân dân thành phố Hà Nội"}
    health = {"@type": "GovernmentOrganization", "name": "Sở Y tế"}
    assert data["author"] == [
        {**committee, "url": f"{BASE}/co-quan/ubnd-ha-noi/"},
        {**health, "url": f"{BASE}/co-quan/so-y-te/"},
    ]
    assert data["keywords"] == ["Báo chí", "Chuyển đổi số"]

    en = json_ld(site.html("/en/2025/05/press-centre-opens/"))
    assert en["identifier"] == "2025/khai-truong" and en["inLanguage"] == "en"
    assert [a["name"] for a in en["author"]] == ["Hanoi People's Committee", "Department of Health"]
    assert en["author"][1]["url"] == f"{BASE}/en/agencies/so-y-te/"
    assert en["publisher"]["name"] == "Capital Press Centre"

    plain = json_ld(site.html("/2025/05/thong-bao-khong-anh/"))
    assert "image" not in plain and "keywords" not in plain


def test_agency_json_ld_is_a_government_organization(site):
    data = json_ld(site.html("/co-quan/ubnd-ha-noi/"))
    assert data["@type"] == "GovernmentOrganization"
    assert data["name"] == "Ủy ban nhân dân thành phố Hà Nội"
    assert data["alternateName"] == "Hanoi People's Committee"
    assert data["url"] == f"{BASE}/co-quan/ubnd-ha-noi/"
    assert data["email"] == "vanphong@hanoi.gov.vn"
    assert data["telephone"] == "+84 24 3825 3536"
    assert data["sameAs"] == "https://hanoi.gov.vn"
    en = json_ld(site.html("/en/agencies/so-y-te/"))
    assert (en["name"], en["alternateName"]) == ("Department of Health", "Sở Y tế")
    assert "sameAs" not in en and "telephone" not in en  # not in the registry: left out, not empty


def test_pages_without_structured_data_have_no_json_ld(site):
    for url in ("/", "/co-quan/", "/gioi-thieu/", "/page/2/"):
        assert site.html(url).find("script", type="application/ld+json") is None, url


def test_a_hostile_title_cannot_leave_the_json_ld_script(site):
    raw = site.file("/2025/05/canh-bao/").read_text(encoding="utf-8")
    opening = '<script type="application/ld+json">'
    start = raw.index(opening) + len(opening)
    data = raw[start : raw.index("</script>", start)]
    assert not set(data) & set("<>&"), "escaped as \\u003c, \\u003e, \\u0026"
    assert json.loads(data)["headline"] == HOSTILE
    page = site.html("/2025/05/canh-bao/")
    assert json_ld(page)["headline"] == HOSTILE  # exactly one such script, and it parses
    assert meta(page, "og:title") == HOSTILE
    assert all(script.get("src") for script in page.find_all("script") if script.get("type") != "application/ld+json")


def test_the_web_app_manifest_names_the_site_and_its_icons(site):
    manifest = json.loads((site.output / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert manifest["name"] == manifest["short_name"] == "Trung tâm Báo chí Thủ đô"
    assert manifest["lang"] == "vi" and manifest["start_url"] == "/"
    assert manifest["display"] in ("standalone", "browser")
    assert (manifest["theme_color"], manifest["background_color"]) == ("#9b1c1c", "#ffffff")
    sizes = {icon["sizes"]: icon for icon in manifest["icons"]}
    assert sorted(sizes) == ["192x192", "512x512"]
    for size, icon in sizes.items():
        assert icon["type"] == "image/png"
        data = (site.output / icon["src"].lstrip("/")).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        assert f"{width}x{height}" == size


def test_every_page_links_the_manifest_theme_colour_and_touch_icon_relative_to_itself(site):
    for url in ("/", "/en/agencies/so-y-te/", "/2025/05/khai-truong-trung-tam-bao-chi/", "/page/2/"):
        page = site.html(url)
        here = BASE + url
        assert urljoin(here, page.find("link", rel="manifest")["href"]) == f"{BASE}/manifest.webmanifest"
        touch = urljoin(here, page.find("link", rel="apple-touch-icon")["href"])
        assert (site.output / touch.removeprefix(f"{BASE}/")).is_file()
        assert meta(page, "theme-color") == "#9b1c1c"
