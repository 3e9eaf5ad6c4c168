"""The URL scheme is a public contract: every row of the table, in both languages."""

from __future__ import annotations

import io

from conftest import ROOT, release, write_tree

BILINGUAL = {
    "releases/2025/tiem-chung.vi.md": release("Chiến dịch tiêm chủng mùa hè", tags="Y tế"),
    "releases/2025/tiem-chung.en.md": release("Summer vaccination campaign", tags="Health"),
    "releases/2024/le-hoi.vi.md": release("Lễ hội mùa thu", date="2024-09-01 08:00", agency="quan-dong-da"),
    "pages/gioi-thieu.vi.md": "Title: Giới thiệu\nSlug: gioi-thieu\n\nTrung tâm.\n",
    "pages/gioi-thieu.en.md": "Title: About\nSlug: about\n\nThe centre.\n",
}


def bilingual_site(build_site):
    return build_site(BILINGUAL)


def test_every_url_in_the_table_exists_in_both_languages(build_site):
    site = bilingual_site(build_site)
    assert site.exit_code == 0, site.stderr
    expected = [
        "/",
        "/en/",
        "/2025/05/chien-dich-tiem-chung-mua-he/",
        "/en/2025/05/summer-vaccination-campaign/",
        "/co-quan/",
        "/en/agencies/",
        "/co-quan/so-y-te/",
        "/en/agencies/so-y-te/",
        "/chu-de/",
        "/en/tags/",
        "/chu-de/y-te/",
        "/en/tags/health/",
        "/2025/",
        "/en/2025/",
        "/2024/",
        "/gioi-thieu/",
        "/en/about/",
        "/404.html",
    ]
    missing = [url for url in expected if not site.exists(url)]
    assert missing == []


def test_pages_carry_their_language(build_site):
    site = bilingual_site(build_site)
    for url, lang in [
        ("/", "vi"),
        ("/en/", "en"),
        ("/co-quan/so-y-te/", "vi"),
        ("/en/agencies/so-y-te/", "en"),
        ("/en/tags/health/", "en"),
        ("/en/about/", "en"),
        ("/404.html", "vi"),
    ]:
        assert site.html(url).html["lang"] == lang, url


def test_a_year_only_in_one_language_has_no_empty_twin(build_site):
    site = bilingual_site(build_site)
    assert site.exists("/2024/")
    assert not site.exists("/en/2024/")


def test_agency_pages_exist_for_every_registered_agency_in_both_languages(build_site):
    site = bilingual_site(build_site)
    for slug in ("ubnd-ha-noi", "so-y-te", "quan-dong-da"):
        assert site.exists(f"/co-quan/{slug}/")
        assert site.exists(f"/en/agencies/{slug}/")


def test_home_paginates_twenty_a_page_newest_first(build_site):
    files = {
        f"releases/2025/r{n:02d}.vi.md": release(f"Thông cáo số {n}", date=f"2025-03-{n:02d} 09:00")
        for n in range(1, 26)
    }
    site = build_site(files)
    first = [a.get_text() for a in site.html("/").select(".release-item-title a")]
    second = [a.get_text() for a in site.html("/page/2/").select(".release-item-title a")]
    assert len(first) == 20 and len(second) == 5
    assert first[0] == "Thông cáo số 25" and second[-1] == "Thông cáo số 1"
    assert site.html("/").select_one('a[rel="next"]')["href"].endswith("page/2/")
    assert site.exists("/co-quan/so-y-te/page/2/")
    assert not site.exists("/en/page/2/")


def test_each_language_lists_only_its_own_releases(build_site):
    site = bilingual_site(build_site)
    vi_titles = {a.get_text() for a in site.html("/").select(".release-item-title a")}
    en_titles = {a.get_text() for a in site.html("/en/").select(".release-item-title a")}
    assert vi_titles == {"Chiến dịch tiêm chủng mùa hè", "Lễ hội mùa thu"}
    assert en_titles == {"Summer vaccination campaign"}
    en_agency = {a.get_text() for a in site.html("/en/agencies/so-y-te/").select(".release-item-title a")}
    assert en_agency == {"Summer vaccination campaign"}
    en_year = {a.get_text() for a in site.html("/en/2025/").select(".release-item-title a")}
    assert en_year == {"Summer vaccination campaign"}


def test_build_summary_counts_releases_per_language_pages_and_feeds(build_site):
    from pressroom.build import summary

    site = bilingual_site(build_site)
    line = summary(str(site.output), "vi", 1.0)
    assert line.startswith("Built: releases 1 en, 2 vi; ")
    # three formats for each language's site feed, 3 agencies and 1 topic: 3 x 2 x 5
    assert line.endswith("; 30 feeds; in 1.0 s")
    pages = sum(1 for _ in site.output.rglob("*.html"))
    assert f"; {pages} pages;" in line


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_summary_on_a_terminal_counts_what_the_build_wrote_as_the_output_holds_it(tmp_path, now_epoch, monkeypatch):
    from pressroom.build import build, load_settings, summary

    monkeypatch.setenv("PRESSROOM_PROGRESS", "0")  # the summary alone

    # An alias: its redirect page is not counted as a page.
    aliased = {"releases/2025/doi-ten.vi.md": release("Đổi tên", date="2025-06-01 09:00", aliases="/2025/06/ten-cu/")}
    write_tree(tmp_path / "content", {**BILINGUAL, **aliased})
    output = tmp_path / "output"
    overrides = {"PATH": str(tmp_path / "content"), "OUTPUT_PATH": str(output), "PRESSROOM_RENDER_WORKERS": 2}
    terminal = _Terminal()

    def walked_again(folder):
        raise AssertionError(f"the summary walked {folder} again")

    monkeypatch.setattr("pressroom.build._output_files", walked_again)
    assert build(load_settings(str(ROOT / "pelicanconf.py"), overrides), stderr=terminal) == 0
    monkeypatch.undo()
    printed = terminal.getvalue().strip().splitlines()[-1]
    walked = summary(str(output), "vi", 0.0)  # every file in the output, read from the disk
    assert printed.rpartition("; in ")[0] == walked.rpartition("; in ")[0]
    assert printed.startswith("Built: releases 1 en, 3 vi; ")
    assert (output / "2025/06/ten-cu/index.html").exists()
