"""Articles kept between builds (plugins/article_store): unchanged files are not read again, and
every build's output equals one made with an empty cache."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from pelican import signals

from conftest import ROOT, release, write_tree
from plugins.feeds import formats as feeds_formats
from plugins.incremental.writer import _KeyedTemplate
from plugins.sitemaps import generator as sitemaps_generator
from pressroom.build import build, load_settings

#: Pagefind's index is not byte-stable between runs (upstream); the search tests cover it.
SKIP = ("pagefind/",)


def releases() -> dict[str, str]:
    files = {}
    for number in range(6):
        files[f"releases/2025/tin-{number}.vi.md"] = release(
            f"Thông cáo số {number}", f"2025-04-0{number + 1} 09:00", tags="Y tế", body=f"Nội dung số {number}."
        )
        if number % 2 == 0:
            files[f"releases/2025/tin-{number}.en.md"] = release(
                f"Release {number}", f"2025-04-0{number + 1} 09:00", tags="Health", body=f"Text {number}."
            )
    files["pages/gioi-thieu.vi.md"] = "Title: Giới thiệu\n\nTrung tâm Báo chí Thủ đô.\n"
    return files


def age(content: Path, seconds: int = 3600) -> None:
    """Date every content file an hour back: the store then trusts their size and mtime."""
    past = time.time() - seconds
    for path in content.rglob("*"):
        os.utime(path, (past, past))


class Reads:
    """The article files Pelican reads in a build (it signals before each; the store's are not read)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, _generator) -> None:
        self.count += 1


def build_counting_reads(content: Path, output: Path, **overrides) -> int:
    reads = Reads()
    signals.article_generator_preread.connect(reads)
    try:
        settings = load_settings(
            str(ROOT / "pelicanconf.py"),
            {"PATH": str(content), "OUTPUT_PATH": str(output), "SEARCH_INDEX": False, **overrides},
        )
        assert build(settings) == 0
    finally:
        signals.article_generator_preread.disconnect(reads)
    return reads.count


def files_of(output: Path) -> dict[str, bytes]:
    return {
        path.relative_to(output).as_posix(): path.read_bytes()
        for path in output.rglob("*")
        if path.is_file() and not path.relative_to(output).as_posix().startswith(SKIP)
    }


def assert_same_as_an_empty_cache_build(
    tmp_path: Path, monkeypatch, content: Path, output: Path, name: str, **overrides
) -> None:
    fresh = tmp_path / f"fresh-{name}"
    with monkeypatch.context() as patch:
        patch.setenv("PRESSROOM_CACHE_PATH", str(tmp_path / f"empty-cache-{name}"))
        build_counting_reads(content, fresh, **overrides)
    expected, got = files_of(fresh), files_of(output)
    assert sorted(got) == sorted(expected)
    assert [name for name in got if got[name] != expected[name]] == []


def store_files(cache: Path) -> list[Path]:
    return sorted(cache.rglob("articles-*.pickle"))


def test_a_rebuild_reads_only_new_and_changed_files_and_equals_an_empty_cache_build(tmp_path, monkeypatch, now_epoch):
    content, output = tmp_path / "content", tmp_path / "output"
    write_tree(content, releases())
    age(content)
    assert build_counting_reads(content, output) == 9  # every release file, the first time
    assert len(store_files(Path(os.environ["PRESSROOM_CACHE_PATH"]))) == 1

    assert build_counting_reads(content, output) == 0  # nothing changed: every article from the store

    (content / "releases/2025/tin-1.vi.md").write_text(
        release("Thông cáo số 1, đã sửa", "2025-04-02 09:00", tags="Y tế, Giao thông", body="Nội dung mới."),
        encoding="utf-8",
    )
    (content / "releases/2025/tin-9.vi.md").write_text(release("Tin mới", "2025-04-20 10:00"), encoding="utf-8")
    (content / "releases/2025/tin-4.en.md").unlink()
    assert build_counting_reads(content, output) == 2  # the changed file and the new one
    page = (output / "2025/04/thong-cao-so-1-da-sua/index.html").read_text(encoding="utf-8")
    assert "Nội dung mới." in page
    assert not (output / "en/2025/04/release-4/index.html").exists()
    assert_same_as_an_empty_cache_build(tmp_path, monkeypatch, content, output, "edited")


def test_an_edit_that_keeps_size_and_mtime_is_seen_when_made_in_the_tick_the_store_was_written(tmp_path, now_epoch):
    content, output = tmp_path / "content", tmp_path / "output"
    write_tree(content, releases())  # written just now: the store will not trust their stat
    build_counting_reads(content, output)
    path = content / "releases/2025/tin-3.vi.md"
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Nội dung số 3.", "Nội dung số 7."), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    assert build_counting_reads(content, output) == 1
    assert "Nội dung số 7." in (output / "2025/04/thong-cao-so-3/index.html").read_text(encoding="utf-8")


def test_a_fresh_checkout_of_the_same_files_uses_the_store(tmp_path, now_epoch, monkeypatch):
    """New mtimes (a clone, a CI checkout): the bytes are hashed and the articles still come from the store. Only
    their new stamps are kept, beside the store, and the next build in the same checkout hashes nothing."""
    from plugins.article_store import store

    hashed = []
    sha1 = store._sha1
    monkeypatch.setattr(store, "_sha1", lambda path: hashed.append(path) or sha1(path))
    content, output = tmp_path / "content", tmp_path / "output"
    write_tree(content, releases())
    age(content, 7200)
    build_counting_reads(content, output)
    (base,) = [p for p in Path(os.environ["PRESSROOM_CACHE_PATH"]).rglob("*") if store.STORE_FILE.fullmatch(p.name)]
    written = base.stat().st_mtime_ns
    age(content, 3600)
    hashed.clear()
    assert build_counting_reads(content, output) == 0
    assert len(hashed) == len(list((content / "releases").rglob("*.md")))
    assert base.stat().st_mtime_ns == written  # not written again, nor a delta: the stamps are kept beside it
    assert not base.with_name(base.name.replace(".pickle", ".delta.pickle")).exists()
    assert base.with_name(base.name.replace(".pickle", ".stamps.pickle")).is_file()
    hashed.clear()
    assert build_counting_reads(content, output) == 0
    assert hashed == []


def with_an_embargoed_release(content: Path) -> None:
    """The releases, and one dated a month after the tests' "now"."""
    files = releases()
    files["releases/2026/sap-toi.vi.md"] = release("Sắp công bố", "2026-02-01 09:00")
    write_tree(content, files)
    age(content)


def test_an_embargo_lifts_and_returns_with_the_build_time_not_the_store(tmp_path, monkeypatch, now_epoch):
    content, output = tmp_path / "content", tmp_path / "output"
    with_an_embargoed_release(content)
    future = "2026/02/sap-cong-bo/index.html"
    build_counting_reads(content, output)
    assert not (output / future).exists()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(now_epoch + 60 * 86400))
    assert build_counting_reads(content, output) == 0
    assert (output / future).exists()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(now_epoch))
    assert build_counting_reads(content, output) == 0
    assert not (output / future).exists()
    assert "sap-cong-bo" not in (output / "index.html").read_text(encoding="utf-8")


def test_a_preview_marks_what_is_withheld_at_its_own_time(tmp_path, monkeypatch, now_epoch):
    content, output = tmp_path / "content", tmp_path / "preview"
    with_an_embargoed_release(content)
    page = output / "2026/02/sap-cong-bo/index.html"
    build_counting_reads(content, output, PRESSROOM_PREVIEW=True)
    marked = page.read_text(encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(now_epoch + 60 * 86400))
    assert build_counting_reads(content, output, PRESSROOM_PREVIEW=True) == 0
    assert page.read_text(encoding="utf-8") != marked  # no longer under embargo: no longer marked
    assert_same_as_an_empty_cache_build(tmp_path, monkeypatch, content, output, "preview", PRESSROOM_PREVIEW=True)


def test_other_settings_or_an_unreadable_store_read_every_file(tmp_path, monkeypatch, now_epoch):
    content, output = tmp_path / "content", tmp_path / "output"
    write_tree(content, releases())
    age(content)
    build_counting_reads(content, output)
    assert build_counting_reads(content, output, SITENAME="Another name") == 9
    for store in store_files(Path(os.environ["PRESSROOM_CACHE_PATH"])):
        store.write_bytes(b"not a pickle")
    assert build_counting_reads(content, output) == 9
    assert build_counting_reads(content, output) == 0  # written again
    assert_same_as_an_empty_cache_build(tmp_path, monkeypatch, content, output, "rewritten")


def test_a_theme_change_renders_every_page_from_the_articles_as_read(tmp_path, monkeypatch, now_epoch):
    """Only rendering reads the theme: a template, style or UI string change reads no release again, and the feeds
    and sitemaps, which no template shapes, are kept as they are."""
    content, output, theme = tmp_path / "content", tmp_path / "output", tmp_path / "theme"
    write_tree(content, releases())
    age(content)
    build_counting_reads(content, output)
    rendered: list[str] = []  # what the feeds and the sitemaps made (one process: the calls are seen here)
    monkeypatch.setenv("PRESSROOM_RENDER_WORKERS", "1")
    for module, name in ((feeds_formats.FeedRenderer, "render"), (sitemaps_generator, "render_sitemap")):
        made = getattr(module, name)
        monkeypatch.setattr(
            module, name, lambda *args, made=made, name=name, **kw: rendered.append(name) or made(*args, **kw)
        )
    shutil.copytree(ROOT / "theme", theme)
    footer = theme / "templates" / "partials" / "footer.html"
    footer.write_text(footer.read_text(encoding="utf-8") + "<p>Một dòng mới.</p>\n", encoding="utf-8")
    assert build_counting_reads(content, output, THEME=str(theme)) == 0
    assert "Một dòng mới." in (output / "2025/04/thong-cao-so-1/index.html").read_text(encoding="utf-8")
    assert rendered == []  # no feed and no sitemap made again
    assert_same_as_an_empty_cache_build(tmp_path, monkeypatch, content, output, "theme", THEME=str(theme))


def built_with_a_theme_of_its_own(tmp_path: Path, monkeypatch) -> tuple[Path, Path, Path, list[str], list[str]]:
    """A site built with a copy of the theme; then the names of the templates each later build renders pages with
    (one process: the calls are seen here), and those of a build with nothing changed (the few pages not keyed,
    rendered on every build: indexes, search, 404)."""
    content, output, theme = tmp_path / "content", tmp_path / "output", tmp_path / "theme"
    write_tree(content, releases())
    shutil.copytree(ROOT / "theme", theme)
    build_counting_reads(content, output, THEME=str(theme))
    rendered: list[str] = []
    monkeypatch.setenv("PRESSROOM_RENDER_WORKERS", "1")
    render = _KeyedTemplate.render
    monkeypatch.setattr(
        _KeyedTemplate, "render", lambda self, context: rendered.append(self.template.name) or render(self, context)
    )
    build_counting_reads(content, output, THEME=str(theme))
    unchanged = sorted(rendered)
    rendered.clear()
    return content, output, theme, rendered, unchanged


def test_a_style_change_renders_no_page_and_publishes_the_new_style(tmp_path, monkeypatch, now_epoch):
    """Pages link the theme's styles, scripts and images; none holds their bytes."""
    content, output, theme, rendered, unchanged = built_with_a_theme_of_its_own(tmp_path, monkeypatch)
    style = theme / "static" / "css" / "site.css"
    style.write_text(style.read_text(encoding="utf-8") + "\n.release { margin: 0; }\n", encoding="utf-8")
    build_counting_reads(content, output, THEME=str(theme))
    assert sorted(rendered) == unchanged and len(unchanged) < 20
    assert (output / "theme" / "css" / "site.css").read_bytes() == style.read_bytes()
    assert_same_as_an_empty_cache_build(tmp_path, monkeypatch, content, output, "style", THEME=str(theme))


@pytest.mark.parametrize(("template", "shown_by"), [("article.html", "article.html"), ("home.html", "home.html")])
def test_a_page_templates_change_renders_its_pages_alone(tmp_path, monkeypatch, now_epoch, template, shown_by):
    """The release page's template is no listing's, and the home page's no release's: each renders its own pages."""
    content, output, theme, rendered, unchanged = built_with_a_theme_of_its_own(tmp_path, monkeypatch)
    page = theme / "templates" / template
    page.write_text(page.read_text(encoding="utf-8").replace("{% endblock %}", "<p>Mới.</p>{% endblock %}", 1), "utf-8")
    build_counting_reads(content, output, THEME=str(theme))
    again = sorted(rendered)
    for name in unchanged:
        again.remove(name)
    assert again and set(again) == {shown_by}
    assert_same_as_an_empty_cache_build(tmp_path, monkeypatch, content, output, "page", THEME=str(theme))


@pytest.mark.parametrize("workers", ["1", "2"])
def test_without_future_dates_there_is_no_store(tmp_path, monkeypatch, now_epoch, workers):
    """Pelican then makes future articles drafts while reading, by the clock: such articles cannot be kept."""
    monkeypatch.setenv("PRESSROOM_RENDER_WORKERS", workers)
    content, output = tmp_path / "content", tmp_path / "output"
    write_tree(content, releases())
    age(content)
    build_counting_reads(content, output, WITH_FUTURE_DATES=False)
    assert build_counting_reads(content, output, WITH_FUTURE_DATES=False) == 9
    assert store_files(Path(os.environ["PRESSROOM_CACHE_PATH"])) == []


def test_changes_go_to_a_delta_until_it_outgrows_the_base(tmp_path, monkeypatch, now_epoch):
    from plugins.article_store import store

    content, output = tmp_path / "content", tmp_path / "output"
    cache = Path(os.environ["PRESSROOM_CACHE_PATH"])
    write_tree(content, releases())
    age(content)
    build_counting_reads(content, output)
    [base] = store_files(cache)
    written = base.stat().st_mtime_ns
    for number, text in ((1, "Sửa lần một."), (2, "Sửa lần hai."), (1, "Sửa lần ba.")):
        path = content / f"releases/2025/tin-{number}.vi.md"
        path.write_text(release(f"Thông cáo số {number}", f"2025-04-0{number + 1} 09:00", body=text), encoding="utf-8")
        assert build_counting_reads(content, output) == 1
        assert base.stat().st_mtime_ns == written  # the base stays; the delta holds the change
        assert base.with_name(base.name.replace(".pickle", ".delta.pickle")).exists()
    assert build_counting_reads(content, output) == 0  # the delta's articles are served too
    assert_same_as_an_empty_cache_build(tmp_path, monkeypatch, content, output, "delta")

    monkeypatch.setattr(store, "DELTA_FILES", 1)
    (content / "releases/2025/tin-5.vi.md").unlink()
    assert build_counting_reads(content, output) == 0
    assert base.stat().st_mtime_ns != written  # two changes since the base: written again, the delta gone
    assert not base.with_name(base.name.replace(".pickle", ".delta.pickle")).exists()
    assert build_counting_reads(content, output) == 0


def test_only_the_newest_stores_are_kept(tmp_path, now_epoch):
    from plugins.article_store.store import KEEP_STORES

    content = tmp_path / "content"
    write_tree(content, releases())
    for number in range(KEEP_STORES + 2):  # another site name: another build key
        build_counting_reads(content, tmp_path / "output", SITENAME=f"Site {number}")
    assert len(store_files(Path(os.environ["PRESSROOM_CACHE_PATH"]))) == KEEP_STORES


def test_pelicans_reader_cache_is_kept_with_each_base_for_builds_with_other_settings(tmp_path, monkeypatch, now_epoch):
    """The base's writer saves Pelican's reader cache; a delta does not (other settings parse its files again)."""
    from plugins.release_markdown.reader import ReleaseMarkdownReader

    parsed = []
    read = ReleaseMarkdownReader.read
    monkeypatch.setattr(ReleaseMarkdownReader, "read", lambda self, path: parsed.append(path) or read(self, path))
    content, output = tmp_path / "content", tmp_path / "output"
    write_tree(content, releases())
    age(content)
    build_counting_reads(content, output)
    assert len(parsed) == 9 + 1  # every release, and the page
    parsed.clear()
    build_counting_reads(content, output, SITENAME="Another name")
    assert parsed == []  # the settings changed, not the files: every parse from Pelican's cache
    edited = content / "releases/2025/tin-2.vi.md"
    edited.write_text(release("Thông cáo số 2", "2025-04-03 09:00", body="Sửa."), encoding="utf-8")
    build_counting_reads(content, output)
    parsed.clear()
    build_counting_reads(content, output, SITENAME="A third name")
    assert parsed == [str(edited)]


def test_kept_urls_follow_the_url_settings(tmp_path, now_epoch):
    """Kept articles answer with their URL and file name: other URL settings are another store."""
    content = tmp_path / "content"
    write_tree(content, releases())
    age(content)
    build_counting_reads(content, tmp_path / "output")
    assert build_counting_reads(content, tmp_path / "output") == 0
    assert (tmp_path / "output/2025/04/thong-cao-so-1/index.html").exists()
    other = {"ARTICLE_URL": "tin/{slug}/", "ARTICLE_SAVE_AS": "tin/{slug}/index.html"}
    assert build_counting_reads(content, tmp_path / "other", **other) == 9
    assert build_counting_reads(content, tmp_path / "other", **other) == 0
    assert (tmp_path / "other/tin/thong-cao-so-1/index.html").exists()
    assert not (tmp_path / "other/2025/04/thong-cao-so-1/index.html").exists()
