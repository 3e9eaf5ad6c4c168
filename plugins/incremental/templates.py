"""Compiled templates kept in the cache folder, for every generator and every build.

Pelican gives each generator a Jinja environment of its own, so every process of a
build compiled the theme's templates again and again (46 compilations, about 0.4 s).
Jinja's bytecode cache stores each compiled template under its name and the checksum
of its source, so an edited template is compiled again. The folder is named by the
build key (code and settings): a change to an extension or a setting that shapes the
compiled code starts a new one. The few newest folders are kept (other checkouts and
previews may share the cache); older ones are deleted.
"""

from __future__ import annotations

import os
import shutil

from jinja2 import FileSystemBytecodeCache

from .keys import build_key

#: Folders of compiled templates kept: the current one and the newest others.
KEEP_FOLDERS = 4


def _modified(path: str) -> float:
    try:
        return os.path.getmtime(path)
    except OSError:  # pruned meanwhile by another build sharing the cache
        return 0.0


def keep_compiled_templates(pelican) -> None:
    settings = pelican.settings
    cache = settings.get("CACHE_PATH") if settings.get("CACHE_CONTENT") else None
    if not cache:
        return
    root = os.path.join(cache, "templates")
    current = os.path.join(root, build_key(settings)[:16])
    os.makedirs(current, exist_ok=True)
    os.utime(current)  # the newest: never pruned by the next build
    folders = sorted((os.path.join(root, name) for name in os.listdir(root)), key=_modified, reverse=True)
    for old in folders[KEEP_FOLDERS:]:
        shutil.rmtree(old, ignore_errors=True)
    environment = dict(settings.get("JINJA_ENVIRONMENT") or {})
    environment["bytecode_cache"] = FileSystemBytecodeCache(current)
    settings["JINJA_ENVIRONMENT"] = environment
