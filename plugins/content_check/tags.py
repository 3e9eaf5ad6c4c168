"""Tags that are probably typos of another tag: same letters but other accents, or
nearly the same spelling. Warnings, not errors: 'Ba' and 'Bà' can both be right."""

from __future__ import annotations

import difflib
import hashlib
from collections import Counter, defaultdict

from pressroom.diagnostics import Diagnostic, warning

from .rules import Entry, topic_slug

SIMILARITY = 0.88


def _spelling(tag: str) -> str:
    return " ".join(tag.split()).casefold()


def similar_slugs(slugs: tuple[str, ...], memo: dict | None = None) -> dict[str, list[str]]:
    """Each topic's near-spellings. Comparing every pair is slow, and the set rarely changes:
    ``memo`` (kept with the content check's cache) holds the answer per set of topics."""
    key = "tags\0" + hashlib.sha256("\0".join(slugs).encode()).hexdigest()
    if memo is not None and key in memo:
        return memo[key]
    found = {}
    for slug in slugs:
        others = [o for o in difflib.get_close_matches(slug, slugs, n=3, cutoff=SIMILARITY) if o != slug]
        if others:
            found[slug] = others
    if memo is not None:
        memo[key] = found
    return found


def tag_problems(entries: list[Entry], memo: dict | None = None) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    # Each use as (slug, spelling, tag, entry): an archive has tens of thousands (0.3 s at 5,000 releases).
    by_lang: dict[str, list[tuple[str, str, str, Entry]]] = defaultdict(list)
    for entry in entries:
        uses = by_lang[entry.lang]
        for tag in entry.tags:
            uses.append((topic_slug(tag), _spelling(tag), tag, entry))
    for uses in by_lang.values():
        spellings: dict[str, Counter] = defaultdict(Counter)  # slug -> spelling -> uses
        for slug, spelling, _tag, _entry in uses:
            spellings[slug][spelling] += 1
        preferred = {slug: counts.most_common(1)[0][0] for slug, counts in spellings.items()}
        popularity = {slug: sum(counts.values()) for slug, counts in spellings.items()}
        similar = similar_slugs(tuple(sorted(spellings)), memo)
        near: dict[str, str] = {}
        for slug, others in similar.items():
            for other in others:
                if popularity[other] > popularity[slug]:
                    near[slug] = other
                    break
        for slug, spelling, tag, entry in uses:
            if spelling != preferred[slug]:
                problems.append(
                    warning(
                        entry.path,
                        entry.line_of("tags"),
                        f"tag '{tag}' differs only in accents from '{preferred[slug]}'",
                        f"they share one topic page; write '{preferred[slug]}' if that is what you meant",
                    )
                )
            elif slug in near:
                other = near[slug]
                problems.append(
                    warning(
                        entry.path,
                        entry.line_of("tags"),
                        f"tag '{tag}' looks like a misspelling of '{preferred[other]}'",
                        f"write '{preferred[other]}' to list this release under that topic",
                    )
                )
    return problems
