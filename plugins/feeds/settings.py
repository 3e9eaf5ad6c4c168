"""Feed settings, with their defaults in one place."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pressroom.config import SettingsError

#: Feed formats: the file written beside every listing, and its media type.
FORMATS: Mapping[str, tuple[str, str]] = {
    "atom": ("atom.xml", "application/atom+xml"),
    "rss": ("rss.xml", "application/rss+xml"),
    "json": ("feed.json", "application/feed+json"),
}
FORMAT_NAMES = {"atom": "Atom", "rss": "RSS", "json": "JSON Feed"}

DEFAULTS: Mapping[str, Any] = {
    "FEED_MAX_ENTRIES": 50,
    "FEED_OPML_SAVE_AS": "feeds.opml",
    "FEED_ICON": "theme/images/icon-192.png",
}


@dataclass(frozen=True)
class FeedSettings:
    base_url: str  # absolute, no trailing slash
    id_prefix: str
    max_entries: int
    opml_save_as: str
    icon: str


def feed_settings(settings: Mapping[str, Any]) -> FeedSettings:
    """Feeds need absolute URLs and a stable id prefix; say what to set when missing."""
    merged = {**DEFAULTS, **{k: v for k, v in settings.items() if k in DEFAULTS}}
    base = (settings.get("FEED_DOMAIN") or settings.get("SITEURL") or "").rstrip("/")
    if not base.startswith(("http://", "https://")):
        raise SettingsError(
            "feeds need absolute URLs: set SITEURL (or FEED_DOMAIN) to an address like https://baochi.hanoi.gov.vn"
        )
    prefix = settings.get("FEED_ID_PREFIX") or ""
    if not prefix.startswith("tag:") or not prefix.endswith(":"):
        raise SettingsError(
            "set FEED_ID_PREFIX to a tag URI prefix that never changes, like 'tag:baochi.hanoi.gov.vn,2025:'"
        )
    return FeedSettings(
        base_url=base,
        id_prefix=prefix,
        max_entries=int(merged["FEED_MAX_ENTRIES"]),
        opml_save_as=merged["FEED_OPML_SAVE_AS"],
        icon=merged["FEED_ICON"],
    )
