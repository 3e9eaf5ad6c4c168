"""Agencies, tags, slugs and dates as readers see them."""

from __future__ import annotations

import feedparser

from conftest import release
from plugins.listings.index import sort_key


def titles(site, url):
    return [a.get_text() for a in site.html(url).select(".release-item-title a")]


def test_joint_release_is_listed_under_each_agency(build_site):
    site = build_site(
        {
            "releases/2025/chung.vi.md": release("Thông cáo liên ngành", agency="so-y-te, quan-dong-da"),
            "releases/2025/chung.en.md": release("Joint release", agency="so-y-te, quan-dong-da"),
        }
    )
    assert titles(site, "/co-quan/so-y-te/") == ["Thông cáo liên ngành"]
    assert titles(site, "/co-quan/quan-dong-da/") == ["Thông cáo liên ngành"]
    assert titles(site, "/en/agencies/quan-dong-da/") == ["Joint release"]
    assert titles(site, "/co-quan/ubnd-ha-noi/") == []
    names = [a.get_text() for a in site.html("/2025/05/thong-cao-lien-nganh/").select(".release-meta dd a")]
    assert names == ["Sở Y tế", "Quận Đống Đa"]


def test_agency_archive_shows_registry_contact_and_year_headings(build_site):
    site = build_site(
        {
            "releases/2025/a.vi.md": release("Năm nay", agency="ubnd-ha-noi"),
            "releases/2024/b.vi.md": release("Năm ngoái", date="2024-12-30 10:00", agency="ubnd-ha-noi"),
        }
    )
    page = site.html("/co-quan/ubnd-ha-noi/")
    assert page.h1.get_text() == "Ủy ban nhân dân thành phố Hà Nội"
    assert page.select_one('.contact a[href^="mailto:"]').get_text() == "vanphong@hanoi.gov.vn"
    assert page.select_one('.contact a[href^="tel:"]')["href"] == "tel:+842438253536"
    assert [h.get_text() for h in page.select(".group-heading")] == ["2025", "2024"]
    assert site.html("/en/agencies/ubnd-ha-noi/").h1.get_text() == "Hanoi People's Committee"


def test_agency_index_groups_by_kind_with_counts(build_site):
    site = build_site(
        {
            "releases/2025/a.vi.md": release("Một", agency="so-y-te"),
            "releases/2025/b.vi.md": release("Hai", date="2025-05-10 10:00", agency="so-y-te"),
        }
    )
    page = site.html("/co-quan/")
    groups = [h.get_text() for h in page.select(".agency-group h2")]
    assert groups == ["Chính quyền thành phố", "Sở, ban, ngành", "Quận, huyện"]
    health = page.find("a", string="Sở Y tế").find_next_sibling(class_="count")
    assert health.get_text() == "2 thông cáo"
    en = site.html("/en/agencies/")
    assert [h.get_text() for h in en.select(".agency-group h2")] == ["City authorities", "Departments", "Districts"]
    assert en.find("a", string="Department of Health").find_next_sibling(class_="count").get_text() == "0 releases"


def test_tags_differing_in_case_or_spacing_are_one_tag(build_site):
    site = build_site(
        {
            "releases/2025/a.vi.md": release("Một", tags="Y tế, Giao thông"),
            "releases/2025/b.vi.md": release("Hai", date="2025-05-10 10:00", tags="y tế"),
            "releases/2025/c.vi.md": release("Ba", date="2025-05-11 10:00", tags="Y  tế , giao  thông"),
        }
    )
    assert titles(site, "/chu-de/y-te/") == ["Ba", "Hai", "Một"]
    assert titles(site, "/chu-de/giao-thong/") == ["Ba", "Một"]
    index = site.html("/chu-de/")
    assert [a.get_text() for a in index.select(".tag-cloud a")] == ["Giao thông", "Y tế"]
    assert site.html("/chu-de/y-te/").h1.get_text() == "Y tế"


def test_tags_belong_to_their_language(build_site):
    site = build_site(
        {"releases/2025/a.vi.md": release("Một", tags="Y tế"), "releases/2025/a.en.md": release("One", tags="Health")}
    )
    assert site.exists("/chu-de/y-te/") and site.exists("/en/tags/health/")
    assert not site.exists("/en/tags/y-te/") and not site.exists("/chu-de/health/")


def test_vietnamese_slugs_transliterate_including_d_with_stroke(build_site):
    site = build_site(
        {
            "releases/2025/a.vi.md": release(
                "Đường sắt đô thị Nhổn – Ga Hà Nội", tags="Đô thị", body="Mở đầu.\n\n## Đường sắt đô thị\n\nThân bài."
            )
        }
    )
    url = "/2025/05/duong-sat-do-thi-nhon-ga-ha-noi/"
    assert site.exists(url)
    assert site.exists("/chu-de/do-thi/")
    assert site.html(url).select_one(".release-body h2")["id"] == "duong-sat-do-thi"


def test_explicit_slug_wins(build_site):
    site = build_site({"releases/2025/a.vi.md": release("Tiêu đề rất dài", slug="ngan-gon")})
    assert site.exists("/2025/05/ngan-gon/")


def test_dates_are_localised_with_babel(build_site):
    site = build_site(
        {
            "releases/2025/a.vi.md": release("Một", date="2025-05-09 16:30"),
            "releases/2025/a.en.md": release("One", date="2025-05-09 16:30"),
        }
    )
    assert site.html("/2025/05/mot/").select_one(".release-meta time").get_text() == "Thứ Sáu, 09/05/2025 16:30"
    en = site.html("/en/2025/05/one/").select_one(".release-meta time")
    assert en.get_text() == "Friday 9 May 2025, 16:30"
    assert en["datetime"] == "2025-05-09T16:30:00+07:00"
    assert site.html("/2025/").select_one(".group-heading").get_text() == "Tháng 5 năm 2025"


def test_modified_shows_an_updated_note(build_site):
    site = build_site({"releases/2025/a.en.md": release("One", modified="2025-05-10 09:15")})
    meta = site.html("/en/2025/05/one/").select_one(".release-meta")
    assert "Updated" in [dt.get_text() for dt in meta.select("dt")]
    assert "Saturday 10 May 2025, 09:15" in meta.get_text()


def test_summary_defaults_to_the_first_paragraph(build_site):
    site = build_site(
        {
            "releases/2025/a.vi.md": release(
                "Một", body="![Ảnh](https://example.org/a.jpg)\n\nĐoạn **đầu**.\n\nĐoạn hai."
            ),
            "releases/2025/b.vi.md": release("Hai", date="2025-05-10 10:00", summary="Tóm tắt riêng."),
        }
    )
    summaries = [d.get_text(" ", strip=True) for d in site.html("/").select(".release-item-summary")]
    assert summaries == ["Tóm tắt riêng.", "Đoạn đầu."]


def test_a_release_without_a_paragraph_has_no_summary_in_listings_or_feeds(build_site):
    """A body of only a table (a schedule) gives no summary to take: the listing shows the title alone, the feed
    the full text alone (the build stopped with a TypeError before)."""
    table = "| Giờ | Việc |\n|---|---|\n| 8:00 | Khai mạc |"
    site = build_site({"releases/2025/a.vi.md": release("Lịch họp báo", body=table, tags="Y tế")})
    assert site.exit_code == 0, site.stderr
    item = site.html("/").select_one(".release-item")
    assert item.select_one(".release-item-title").get_text(strip=True) == "Lịch họp báo"
    assert item.select_one(".release-item-summary") is None and item.select_one("table") is None
    feed = feedparser.parse(site.file("/atom.xml").read_bytes())
    assert not feed.bozo and len(feed.entries) == 1
    assert "Khai mạc" in feed.entries[0].content[0].value and not feed.entries[0].get("summary")
    page = site.html("/2025/05/lich-hop-bao/")
    assert "Khai mạc" in page.select_one(".release-body table").get_text()


def test_an_empty_tags_line_is_no_topics(build_site):
    site = build_site({"releases/2025/a.vi.md": release("Một", tags="")})
    assert site.exit_code == 0, site.stderr  # Pelican's marker for an empty field reached the reader (TypeError)
    assert site.exists("/2025/05/mot/") and site.html("/2025/05/mot/").select(".tag-list a") == []


def test_photo_with_title_becomes_a_figure_with_its_credit(build_site):
    site = build_site(
        {
            "releases/2025/a.vi.md": release(
                "Một", body='Mở đầu.\n\n![Mặt tiền tòa nhà](https://example.org/a.jpg "Tòa nhà. Ảnh: Minh Nguyệt")'
            )
        }
    )
    figure = site.html("/2025/05/mot/").select_one(".release-body figure")
    assert figure.img["alt"] == "Mặt tiền tòa nhà"
    assert figure.figcaption.get_text() == "Tòa nhà. Ảnh: Minh Nguyệt"


def test_topics_and_agencies_sort_as_a_vietnamese_dictionary_does():
    names = ["Đường sắt đô thị", "Y tế", "Du lịch", "Âm nhạc", "Đô thị", "An ninh", "Yên Bái", "Ăn uống", "Dân số"]
    assert sorted(names, key=sort_key) == [
        "An ninh", "Ăn uống", "Âm nhạc", "Dân số", "Du lịch", "Đô thị", "Đường sắt đô thị", "Y tế", "Yên Bái",
    ]  # fmt: skip
    tones = ["mạ", "má", "mã", "ma", "mả", "mà"]
    assert sorted(tones, key=sort_key) == ["ma", "mà", "mả", "mã", "má", "mạ"]
    assert sorted(["Health", "culture", "Education"], key=sort_key) == ["culture", "Education", "Health"]
