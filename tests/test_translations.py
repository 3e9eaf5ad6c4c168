"""Every page links to its translation: in the head, in the switcher, in the text."""

from __future__ import annotations

from conftest import release

VI = "/2025/05/chien-dich-tiem-chung-mua-he/"
EN = "/en/2025/05/summer-vaccination-campaign/"


def build_pair(build_site, **extra):
    return build_site(
        {
            "releases/2025/tiem-chung.vi.md": release("Chiến dịch tiêm chủng mùa hè"),
            "releases/2025/tiem-chung.en.md": release("Summer vaccination campaign"),
            "releases/2025/chi-tieng-viet.vi.md": release("Thông báo chỉ bằng tiếng Việt", date="2025-05-10 08:00"),
            **extra,
        }
    )


def resolve(page_url: str, href: str) -> str:
    """Turn a relative href found on ``page_url`` into a site path."""
    parts = [p for p in page_url.strip("/").split("/") if p]
    for piece in href.split("/"):
        if piece == "..":
            parts.pop()
        elif piece not in ("", "."):
            parts.append(piece)
    return "/" + "/".join(parts) + ("/" if href.endswith("/") or not parts else "")


def test_release_links_its_translation_both_ways(build_site):
    site = build_pair(build_site)
    for here, there, lang in [(VI, EN, "en"), (EN, VI, "vi")]:
        page = site.html(here)
        alternate = page.select_one(f'link[rel="alternate"][hreflang="{lang}"]')
        assert resolve(here, alternate["href"]) == there
        switch = page.select_one(f'.lang-switcher a[hreflang="{lang}"]')
        assert resolve(here, switch["href"]) == there
        assert switch["lang"] == lang
        inline = page.select_one(f'.translation-link a[hreflang="{lang}"]')
        assert resolve(here, inline["href"]) == there


def test_single_language_release_switches_to_the_other_home(build_site):
    site = build_pair(build_site)
    url = "/2025/05/thong-bao-chi-bang-tieng-viet/"
    page = site.html(url)
    assert resolve(url, page.select_one('.lang-switcher a[hreflang="en"]')["href"]) == "/en/"
    assert page.select('link[rel="alternate"][hreflang]') == []
    assert page.select_one(".translation-link") is None


def test_listings_switch_to_the_same_listing(build_site):
    site = build_pair(build_site)
    for here, there in [
        ("/co-quan/so-y-te/", "/en/agencies/so-y-te/"),
        ("/en/agencies/", "/co-quan/"),
        ("/2025/", "/en/2025/"),
        ("/", "/en/"),
        ("/chu-de/", "/en/tags/"),
    ]:
        page = site.html(here)
        switch = page.select_one(".lang-switcher a[hreflang]")
        assert resolve(here, switch["href"]) == there, here


def test_tag_pages_switch_to_the_same_tag_or_the_other_home(build_site):
    site = build_pair(
        build_site,
        **{
            "releases/2025/covid.vi.md": release("Covid", date="2025-05-11 08:00", tags="COVID-19, Y tế"),
            "releases/2025/covid.en.md": release("Covid", date="2025-05-11 08:00", tags="Covid-19"),
        },
    )
    same = site.html("/chu-de/covid-19/").select_one(".lang-switcher a[hreflang]")["href"]
    assert resolve("/chu-de/covid-19/", same) == "/en/tags/covid-19/"
    home = site.html("/chu-de/y-te/").select_one(".lang-switcher a[hreflang]")["href"]
    assert resolve("/chu-de/y-te/", home) == "/en/"


def test_pages_pair_by_file_name_even_with_different_slugs(build_site):
    site = build_pair(
        build_site,
        **{
            "pages/lien-he.vi.md": "Title: Liên hệ\nSlug: lien-he\n\nĐịa chỉ.\n",
            "pages/lien-he.en.md": "Title: Contact\nSlug: contact\n\nAddress.\n",
        },
    )
    page = site.html("/lien-he/")
    assert resolve("/lien-he/", page.select_one('link[hreflang="en"]')["href"]) == "/en/contact/"
    back = site.html("/en/contact/")
    assert resolve("/en/contact/", back.select_one('.lang-switcher a[hreflang="vi"]')["href"]) == "/lien-he/"


def test_previous_and_next_stay_in_the_same_language(build_site):
    site = build_pair(build_site)
    page = site.html("/2025/05/thong-bao-chi-bang-tieng-viet/")
    older = page.select_one('.release-pager a[rel="next"]')
    assert resolve("/2025/05/thong-bao-chi-bang-tieng-viet/", older["href"]) == VI
    assert site.html(EN).select(".release-pager a") == []
