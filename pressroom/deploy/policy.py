"""What every published file is served with: its Content-Type and how long caches keep it.

One policy for every host: the S3 upload sets these headers on each object, and
``deploy/nginx.conf`` is tested to send the same for the files the site writes.
"""

from __future__ import annotations

import mimetypes
import re
from posixpath import basename, splitext

from plugins.feeds.settings import FORMATS

#: Content-hashed files: a new version gets a new name, so caches may keep them for ever.
LONG = "public, max-age=31536000, immutable"
#: Everything else (pages, feeds, sitemaps, the search entry point, theme files):
#: a correction or a release out of embargo reaches readers within minutes.
SHORT = "public, max-age=300"

#: Pagefind names its index, fragment and filter files, and the per-language meta
#: files, after their content; older years' bundles are in pagefind/<year>[-<lang>]/.
HASHED = re.compile(
    r"^pagefind/(?:\d{4}(?:-[A-Za-z0-9-]+)?/)?(?:(?:fragment|index|filter)/[^/]+|pagefind\.[^/]+\.pf_meta)$"
)

#: Feeds are told apart by file name: the extension alone says only XML or JSON.
BY_NAME = dict(FORMATS.values())

#: What the site writes, fixed here rather than read from the machine's mime.types,
#: so that every machine uploads the same headers.
BY_SUFFIX = {
    ".html": "text/html",
    ".css": "text/css",
    ".js": "text/javascript",
    ".json": "application/json",
    ".xml": "application/xml",  # sitemaps; text/xml without a charset would mean US-ASCII
    ".opml": "text/x-opml",
    ".webmanifest": "application/manifest+json",
    ".txt": "text/plain",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".wasm": "application/wasm",
    ".pdf": "application/pdf",
}

_BUILTIN_TYPES = mimetypes.MimeTypes()  # Python's own table only, not /etc/mime.types


def media_type(path: str) -> str:
    """The media type of a site path such as ``en/atom.xml``, without parameters."""
    name = basename(path)
    if name in BY_NAME:
        return BY_NAME[name]
    suffix = splitext(name)[1].lower()
    if suffix in BY_SUFFIX:
        return BY_SUFFIX[suffix]
    return _BUILTIN_TYPES.guess_type(name, strict=False)[0] or "application/octet-stream"


def is_text(media: str) -> bool:
    return (
        media.startswith("text/")
        or media.endswith(("+xml", "+json"))
        or media in ("application/json", "application/xml")
    )


def content_type(path: str) -> str:
    """The Content-Type header: text is UTF-8, and says so."""
    media = media_type(path)
    return f"{media}; charset=utf-8" if is_text(media) else media


def cache_control(path: str) -> str:
    """The Cache-Control header of a site path (no leading slash)."""
    return LONG if HASHED.match(path) else SHORT
