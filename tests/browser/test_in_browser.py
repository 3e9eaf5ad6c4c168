"""The public site in a real browser: search, language switching, no-JS navigation,
accessibility (axe-core) and a phone-sized screen."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import AXE, need

RELEASE_VI = "/2025/05/ha-noi-khai-truong-trung-tam-bao-chi-thu-do/"
RELEASE_EN = "/en/2025/05/hanoi-opens-the-capital-press-centre/"


def search(page, url: str) -> list[str]:
    page.goto(url)
    expect(page.locator("#search-status")).to_have_text(re.compile(r"\d|[^…\s]$"), timeout=20000)
    return page.locator("#search-results h2").all_inner_texts()


@pytest.mark.parametrize(
    ("query_url", "expected"),
    [
        ("/tim-kiem/?q=ha+noi", "Hà Nội"),
        ("/tim-kiem/?q=dong+da", "Đống Đa"),
        ("/tim-kiem/?q=y+te", "Y tế"),
        ("/en/search/?q=tran+sy+thanh", "Capital Press Centre"),
        ("/en/search/?q=dien+bien+phu", "Capital Press Centre"),
    ],
)
def test_search_without_accents_finds_accented_releases(browser_context, site_url, query_url, expected):
    page = browser_context().new_page()
    titles = search(page, site_url + query_url)
    assert titles, query_url
    assert any(expected.casefold() in title.casefold() for title in titles[:5]) or expected in page.inner_text(
        "#search-results"
    )


def test_search_ranks_exact_accents_first_and_stays_in_its_language(browser_context, site_url):
    page = browser_context().new_page()
    titles = search(page, site_url + "/tim-kiem/?q=Đống+Đa")
    assert "Đống Đa" in titles[0]
    english = search(page, site_url + "/en/search/?q=metro")
    assert english and all(not re.search(r"[ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ]", t) for t in english)


@pytest.mark.parametrize(
    ("query_url", "word"),
    [
        ("/tim-kiem/?q=marathon", "marathon"),
        ("/tim-kiem/?q=vắc+xin", "vắc xin"),
        ("/en/search/?q=marathon", "marathon"),
    ],
)
def test_search_finds_only_releases_with_every_word(browser_context, site_url, query_url, word):
    """Pagefind answers a word no page of an index starts with for the longest start of it that one has
    ("marathon" for "mã", "vắc" for "và"); with one index per year, every year without the word did."""
    page = browser_context().new_page()
    titles = search(page, site_url + query_url)
    assert titles and all(word in title.casefold() for title in titles), titles
    count = int(re.search(r"\d+", page.inner_text("#search-status")).group())
    assert count == len(titles)


def test_search_filters_by_agency_and_year(browser_context, site_url):
    page = browser_context().new_page()
    titles = search(page, site_url + "/en/search/?q=metro&agency=Department+of+Construction&year=2026")
    assert titles == ["Journalists tour underground stations on the Nhon–Hanoi Station metro line"]


def result_paths(page) -> list[str]:
    return page.locator("#search-results h2 a").evaluate_all("links => links.map((a) => a.pathname)")


def years_found(page, site_url: str, query_url: str, prefix: str = "") -> set[str]:
    """The years of a search's results, each result's link followed (it must work)."""
    search(page, site_url + query_url)
    paths = result_paths(page)
    for path in paths:
        assert page.request.get(site_url + path).ok, path
    pattern = re.compile(rf"^{prefix}/(\d{{4}})/\d{{2}}/[^/]+/$")
    return {match.group(1) for match in map(pattern.match, paths) if match}


def test_one_search_finds_releases_of_several_years(browser_context, site_url):
    """The index comes in a bundle per year (plugins/search); one search merges them, links that work."""
    page = browser_context().new_page()
    assert {"2024", "2025", "2026"} <= years_found(page, site_url, "/tim-kiem/?q=tuyen+sinh")
    search(page, site_url + "/tim-kiem/?q=tuyen+sinh&year=2024")
    only = result_paths(page)
    assert only and all(path.startswith("/2024/") for path in only), only
    # An older year's bundle is read from its year's folder: its links are made whole again, in English too.
    assert {"2024", "2025", "2026"} <= years_found(page, site_url, "/en/search/?q=admissions", "/en")


def test_language_switcher_goes_to_the_translation(browser_context, site_url):
    page = browser_context().new_page()
    page.goto(site_url + RELEASE_VI)
    page.get_by_role("navigation", name="Ngôn ngữ").get_by_role("link", name="English").click()
    expect(page).to_have_url(site_url + RELEASE_EN)
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Tiếng Việt").click()
    expect(page).to_have_url(site_url + RELEASE_VI)


def test_navigation_works_with_javascript_off(browser_context, site_url):
    page = browser_context(java_script_enabled=False).new_page()
    page.goto(site_url + "/")
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    nav.get_by_role("link", name="Cơ quan").click()
    expect(page).to_have_url(site_url + "/co-quan/")
    page.get_by_role("link", name="Sở Y tế").first.click()
    expect(page).to_have_url(site_url + "/co-quan/so-y-te/")
    page.locator(".release-item-title a").first.click()
    expect(page.locator("h1")).to_have_count(1)
    assert page.locator(".release-body").inner_text().strip()
    page.goto(site_url + "/")
    page.get_by_role("link", name="Thông cáo cũ hơn").click()
    expect(page).to_have_url(site_url + "/page/2/")
    page.goto(site_url + "/tim-kiem/")
    assert "JavaScript" in page.locator(".search-noscript").inner_text()


AXE_PAGES = [
    "/", RELEASE_VI, "/co-quan/so-y-te/", "/chu-de/y-te/", "/tim-kiem/?q=ha+noi",
    "/en/", RELEASE_EN, "/en/agencies/so-y-te/", "/en/tags/health/", "/en/search/?q=metro",
]  # fmt: skip


@pytest.mark.parametrize("path", AXE_PAGES)
def test_axe_finds_no_serious_or_critical_violations(browser_context, site_url, path):
    need(AXE.exists(), "axe-core (make test installs it with npm)")
    page = browser_context(bypass_csp=True).new_page()  # axe is injected as an inline script
    page.goto(site_url + path)
    if "search" in path or "tim-kiem" in path:
        expect(page.locator("#search-status")).to_have_text(re.compile(r"\S"), timeout=20000)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']})"
    )
    bad = [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == []


def test_a_release_fits_a_360_pixel_phone(browser_context, site_url, tmp_path):
    page = browser_context(viewport={"width": 360, "height": 740}, device_scale_factor=2).new_page()
    page.goto(site_url + RELEASE_VI)
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    shot = Path(tmp_path) / "release-360.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    assert widths[0] <= widths[1], f"horizontal scroll: {widths}"


def test_every_page_reflows_at_320_pixels_without_horizontal_scroll(browser_context, site_url, sample_output):
    """WCAG 2.1 reflow (1.4.10): every page of the sample site read at 320 CSS pixels, no sideways scrolling.
    An agency's contact details once pushed its page to 520 pixels."""
    page = browser_context(viewport={"width": 320, "height": 640}, java_script_enabled=False).new_page()
    wide = []
    for path in sorted(sample_output.rglob("*.html")):
        if 'http-equiv="refresh"' in path.read_text(encoding="utf-8"):
            continue  # a former address: it sends the browser on
        url = "/" + str(path.relative_to(sample_output)).removesuffix("index.html")
        page.goto(site_url + url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            wide.append(f"{url} ({width}px)")
    assert wide == []


@pytest.mark.parametrize(
    ("path", "title"),
    [
        ("/en/atom.xml", "Capital Press Centre — All press releases"),
        ("/co-quan/so-y-te/rss.xml", "Sở Y tế — Thông cáo báo chí"),
    ],
)
def test_a_feed_opened_in_the_browser_reads_as_a_page(browser_context, site_url, path, title):
    page = browser_context().new_page()
    page.goto(site_url + path)
    expect(page.locator("h1")).to_have_text(title)
    assert page.locator("ol li a").count() > 0
