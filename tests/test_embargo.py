"""Embargoed and draft releases are not published; an embargo lifts with the clock."""

from __future__ import annotations

from conftest import release

FUTURE = "2026-03-01 09:00"  # after the tests' "now" (2026-01-01)


def files():
    return {
        "releases/2025/cong-bo.vi.md": release("Đã công bố", tags="Y tế"),
        "releases/2025/cong-bo.en.md": release("Published one", tags="Health"),
        "releases/2026/cam-van.vi.md": release(
            "CAM-VAN-MARKER tin mật", date=FUTURE, tags="Bí mật", agency="quan-dong-da"
        ),
        "releases/2026/cam-van.en.md": release(
            "EMBARGO-MARKER secret", date=FUTURE, tags="Secret", agency="quan-dong-da"
        ),
        "releases/2025/nhap.vi.md": release("DRAFT-MARKER bản nháp", status="draft", tags="Nháp"),
        "releases/2025/mot-nua.vi.md": release("Nửa công bố", date="2025-06-01 10:00"),
        "releases/2026/mot-nua.en.md": release("HALF-MARKER later", date="2026-06-01 10:00"),
    }


def all_output(site) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in site.output.rglob("*") if p.is_file())


def test_embargoed_and_draft_releases_leave_no_trace(build_site):
    site = build_site(files())
    assert site.exit_code == 0, site.stderr
    text = all_output(site)
    for marker in ("CAM-VAN-MARKER", "EMBARGO-MARKER", "DRAFT-MARKER", "HALF-MARKER", "Bí mật", "Secret", "Nháp"):
        assert marker not in text
    assert not site.exists("/2026/") and not site.exists("/en/2026/")
    assert not site.exists("/chu-de/bi-mat/") and not site.exists("/en/tags/secret/")
    assert not (site.output / "drafts").exists()
    assert "0 thông cáo" in site.html("/co-quan/").find("a", string="Quận Đống Đa").find_next_sibling().get_text()


def test_no_translation_link_to_an_embargoed_version(build_site):
    site = build_site(files())
    page = site.html("/2025/06/nua-cong-bo/")
    assert page.select('link[rel="alternate"][hreflang="en"]') == []
    assert page.select_one('.lang-switcher a[hreflang="en"]')["href"].endswith("en/")


def test_embargo_lifts_in_a_build_after_its_date(build_site, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1772355600")  # 2026-03-01 09:00 Hanoi (02:00 UTC)
    site = build_site(files())
    assert site.exists("/2026/03/cam-van-marker-tin-mat/")
    assert site.exists("/en/2026/03/embargo-marker-secret/")
    assert site.exists("/chu-de/bi-mat/")
    assert "DRAFT-MARKER" not in all_output(site)


def linking_files():
    """``files()`` and a published release that links the embargoed and the draft one, in its Summary, its
    Markdown and its raw HTML."""
    linking = release(
        "Liên kết",
        summary="Xem [thông cáo sắp tới]({filename}/releases/2026/cam-van.vi.md).",
        body="""
        Xem [thông cáo sắp tới]({filename}../2026/cam-van.vi.md) và [bản nháp]({filename}nhap.vi.md).

        <p>Cả <a href="{filename}/releases/2026/cam-van.vi.md">HTML-LINK-WORDS</a> nữa.</p>

        Và [đã công bố]({filename}cong-bo.vi.md).
        """,
    )
    return {**files(), "releases/2025/lien-ket.vi.md": linking}


def test_a_link_to_a_withheld_release_keeps_its_words_and_names_nothing(build_site):
    site = build_site(linking_files())
    assert site.exit_code == 0, site.stderr
    text = all_output(site)
    for trace in ("cam-van.vi.md", "nhap.vi.md", "{filename}", "/2026/03/"):
        assert trace not in text
    page = site.html("/2025/05/lien-ket/")
    body = page.select_one("[data-pagefind-body]") or page
    words = body.get_text(" ")
    assert "thông cáo sắp tới" in words and "bản nháp" in words and "HTML-LINK-WORDS" in words
    linked = {a.get_text(): a["href"] for a in body.find_all("a", href=True)}
    assert "thông cáo sắp tới" not in linked and "bản nháp" not in linked and "HTML-LINK-WORDS" not in linked
    assert linked["đã công bố"].endswith("2025/05/da-cong-bo/")
    summary = site.html("/").find(string=lambda text: "Xem" in text and "thông cáo sắp tới" in text)
    assert summary is not None and summary.find_parent("a") is None  # the home page's list shows the Summary
    assert "Unable to find" not in site.stderr


def test_a_link_to_a_withheld_release_resolves_once_it_is_published(build_site, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1772355600")  # 2026-03-01 09:00 Hanoi: the embargo has lifted
    site = build_site(linking_files())
    page = site.html("/2025/05/lien-ket/")
    hrefs = [a["href"] for a in page.find_all("a", string=["thông cáo sắp tới", "HTML-LINK-WORDS"])]
    summary = site.html("/").find("a", string="thông cáo sắp tới")  # the Summary, in the home page's list
    hrefs.append(summary["href"])
    assert len(hrefs) == 3 and all(href.endswith("2026/03/cam-van-marker-tin-mat/") for href in hrefs)
    assert "nhap.vi.md" not in all_output(site)  # the draft stays a draft


def test_a_modified_in_the_future_is_left_out_until_then(build_site, monkeypatch, caplog):
    later = "2026-02-01 10:00"  # after the tests' "now"
    tree = {
        "releases/2025/sua.vi.md": release("Đã sửa", modified=later),
        "pages/gioi-thieu.vi.md": "Title: Giới thiệu\nModified: " + later + "\n\nTrang.\n",
    }
    site = build_site(tree)
    assert site.exit_code == 0, site.stderr
    assert "2026-02-01" not in all_output(site)
    assert "releases/2025/sua.vi.md:4: warning: Modified 2026-02-01 10:00 is later than now" in caplog.text
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1769914800")  # 2026-02-01 10:00 Hanoi
    site = build_site(tree, name="later")
    assert "2026-02-01T10:00:00+07:00" in site.file("/atom.xml").read_text(encoding="utf-8")
