"""The web app manifest: how the portal looks when a reader adds it to a home screen."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

MANIFEST_SAVE_AS = "manifest.webmanifest"
THEME_COLOR = "#9b1c1c"  # the red of the header and the icon
BACKGROUND_COLOR = "#ffffff"
#: (site-relative path, size in pixels) of each home-screen icon.
ICONS = (("theme/images/icon-192.png", 192), ("theme/images/icon-512.png", 512))
TOUCH_ICON = ICONS[0]
LARGE_ICON = ICONS[-1]  # also the image of pages that have none of their own


@dataclass(frozen=True)
class WebApp:
    """What every page's head links to; templates read it as ``web_app``."""

    manifest: str = MANIFEST_SAVE_AS
    theme_color: str = THEME_COLOR
    touch_icon: str = TOUCH_ICON[0]
    touch_icon_sizes: str = f"{TOUCH_ICON[1]}x{TOUCH_ICON[1]}"


def web_manifest(name: str, lang: str, description: str) -> dict[str, Any]:
    """The manifest in the default language; a browser shows one name, so it is that language's."""
    return {
        "name": name,
        "short_name": name,
        "description": description,
        "lang": lang,
        "dir": "ltr",
        "start_url": "/",
        "scope": "/",
        "display": "browser",  # a reading site: keep the address bar, links stay shareable
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "icons": [
            {"src": f"/{path}", "sizes": f"{size}x{size}", "type": "image/png", "purpose": "any"}
            for path, size in ICONS
        ],
    }


def render_manifest(manifest: dict[str, Any]) -> bytes:
    return (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
