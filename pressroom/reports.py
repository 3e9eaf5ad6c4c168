"""Reports for the press centre's editors: what is scheduled, what is untranslated."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from plugins.content_check.content_check import Scan
from pressroom.config import SiteConfig
from pressroom.diagnostics import display_path


def _in(delta_minutes: int) -> str:
    days, rest = divmod(delta_minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [f"{days} d" if days else "", f"{hours} h" if hours else "", f"{minutes} min" if minutes else ""]
    return "in " + (" ".join(p for p in parts if p) or "under a minute")


def schedule(scan: Scan, now_local: datetime) -> list[str]:
    """Releases under embargo, soonest first: when they go out and where they are."""
    upcoming = sorted(
        (e for e in scan.entries if e.kind == "release" and e.status == "published" and e.date and e.date > now_local),
        key=lambda e: (e.date, e.path),
    )
    lines = []
    for entry in upcoming:
        minutes = int((entry.date - now_local).total_seconds() // 60)
        lines.append(f"{entry.date:%Y-%m-%d %H:%M}  {_in(minutes):<18} {display_path(entry.path)}  {entry.title}")
    return lines or ["No release is under embargo."]


def translations(scan: Scan, config: SiteConfig) -> list[str]:
    """Per agency, every published release that lacks a language version."""
    versions: dict[str, list] = defaultdict(list)
    for entry in scan.entries:
        if entry.kind == "release" and entry.status == "published":
            versions[entry.key].append(entry)
    missing: dict[str, list[tuple[str, object]]] = defaultdict(list)
    for entries in versions.values():
        present = {e.lang for e in entries}
        for lang in config.codes:
            if lang not in present:
                for slug in entries[0].agencies:
                    missing[slug].append((lang, entries[0]))
    lines = []
    for agency in scan.registry.agencies:
        gaps = sorted(missing.get(agency.slug, []), key=lambda item: (item[0], item[1].path))
        if not gaps:
            continue
        lines.append(f"{agency.name(config.default_lang)} ({agency.slug}): {len(gaps)} missing")
        for lang, entry in gaps:
            language = config.language(lang).english_name
            lines.append(f"  no {language}: {display_path(entry.path)}  {entry.title}")
    return lines or ["Every published release is in every language."]
