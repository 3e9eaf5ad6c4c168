"""Which files beside the releases may be published: photos and documents, from the static folders.

Anything copied into the output is served from the portal's own address, under its
Content-Security-Policy: an HTML, SVG or script file there runs as the portal's own
page ('self'), and a link like ``{attach}../../../etc/passwd`` made Pelican copy a
file from outside the content folder. The content check reports both with the file
and the fix (plugins/content_check); this plugin is the rule they share, and the
build's own guard: a file it refuses is never copied, whatever linked it.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import Any

from pelican import signals

from pressroom.diagnostics import display_path, error

logger = logging.getLogger(__name__)

#: File endings the portal publishes: photos, documents, sound and video. Not SVG, HTML, XML, CSS or scripts.
PUBLISHABLE_TYPES = frozenset(
    {
        "jpg", "jpeg", "png", "gif", "webp", "avif",
        "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp", "csv", "txt", "zip",
        "mp3", "mp4", "webm",
    }
)  # fmt: skip


FIX = (
    "keep only photos (jpg, png, webp...) and documents (pdf, docx, xlsx...) in the static folders, and link them there"
)


def unpublishable_reason(relative: str, settings: Mapping[str, Any]) -> str | None:
    """Why a file (relative to the content folder, as a link resolves it) cannot be published, or None."""
    path = os.path.normpath(relative.replace("\\", "/")).replace(os.sep, "/")
    if path.startswith("../") or path == ".." or os.path.isabs(path):
        return "it is outside the content folder"
    folders = [folder.strip("/") for folder in settings.get("STATIC_PATHS", [])]
    if not any(path.startswith(folder + "/") for folder in folders if folder):
        return f"it is not in {' or '.join(folder + '/' for folder in folders)}"
    extension = os.path.splitext(path)[1].lstrip(".").lower()
    if extension not in PUBLISHABLE_TYPES:
        return f"a .{extension or '(no ending)'} file would run or show as the portal's own page"
    return None


def publishable(relative: str, settings: Mapping[str, Any]) -> bool:
    return unpublishable_reason(relative, settings) is None


def keep_publishable(generator) -> None:
    """The build's guard: drop every static file the rule refuses, linked or found in the static folders."""
    refused = [
        static for static in generator.staticfiles if not publishable(static.relative_source_path, generator.settings)
    ]
    if not refused:
        return
    for static in refused:  # an error: the build stops, and publishes nothing
        reason = unpublishable_reason(static.relative_source_path, generator.settings)
        where = display_path(os.path.join(generator.settings["PATH"], static.relative_source_path))
        logger.error("%s", error(where, None, f"this file cannot be published: {reason}", FIX))
    kept = [static for static in generator.staticfiles if static not in refused]
    generator.staticfiles[:] = kept
    generator.context["staticfiles"] = kept


def register() -> None:
    """Copy only photos and documents from the static folders, whatever links them."""
    signals.static_generator_finalized.connect(keep_publishable)
