"""A content object's remembered relative path is always the one Pelican computes."""

from __future__ import annotations

from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG

from plugins.source_paths import pelicans_relative_source_path, relative_source_path


def article(root: str, source_path: str) -> Article:
    settings = {**DEFAULT_CONFIG, "PATH": root, "DEFAULT_LANG": "vi"}
    metadata = {"title": "Một", "lang": "vi", "slug": "mot"}
    return Article("<p>x</p>", metadata=metadata, settings=settings, source_path=source_path)


def test_the_same_path_as_pelican_and_again_after_the_file_or_folder_changes(tmp_path):
    root = str(tmp_path / "content")
    item = article(root, f"{root}/releases/2025/mot.vi.md")
    assert relative_source_path(item) == pelicans_relative_source_path(item) == "releases/2025/mot.vi.md"
    assert relative_source_path(item) == "releases/2025/mot.vi.md"  # remembered
    item.source_path = f"{root}/releases/2024/hai.vi.md"
    assert relative_source_path(item) == "releases/2024/hai.vi.md"
    item.settings = {**item.settings, "PATH": f"{root}/releases"}
    assert relative_source_path(item) == pelicans_relative_source_path(item) == "2024/hai.vi.md"


def test_another_files_path_is_computed_as_pelican_does(tmp_path):
    root = str(tmp_path / "content")
    item = article(root, f"{root}/releases/2025/mot.vi.md")
    other = f"{root}/images/anh.jpg"
    assert relative_source_path(item, other) == pelicans_relative_source_path(item, other) == "images/anh.jpg"
    assert relative_source_path(item) == "releases/2025/mot.vi.md"


def test_every_plugin_room_is_loaded_by_the_sites_settings():
    """A plugin package the settings do not name never runs, whatever its tests say."""
    from pressroom.build import load_settings
    from tests.conftest import ROOT

    settings = load_settings(str(ROOT / "pelicanconf.py"))
    rooms = {f"plugins.{path.parent.name}" for path in (ROOT / "plugins").glob("*/__init__.py")}
    rooms = {room for room in rooms if "register" in (ROOT / room.replace(".", "/") / "__init__.py").read_text()}
    assert rooms and rooms <= set(settings["PLUGINS"]), sorted(rooms - set(settings["PLUGINS"]))
