"""Reading ``agencies.yml``: the agencies that may issue releases.

Errors carry the YAML line, because staff edit this file by hand.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import yaml

from pressroom.diagnostics import Diagnostic, error

REGISTRY_FILE = "agencies.yml"
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: Kinds in the order the agency index shows them.
KINDS = ("committee", "department", "district", "ward", "centre", "other")
FIELDS = ("slug", "kind", "name", "website", "email", "phone", "reviewers")


@dataclass(frozen=True)
class Agency:
    slug: str
    kind: str
    names: Mapping[str, str]
    website: str = ""
    email: str = ""
    phone: str = ""
    reviewers: tuple[str, ...] = ()  # code-host teams that review this agency's releases
    line: int = 0

    def name(self, lang: str) -> str:
        return self.names[lang]


@dataclass(frozen=True)
class Registry:
    path: str
    agencies: tuple[Agency, ...]
    readable: bool = True  # False when the file could not be read as a list: no release's agency can be checked

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_slug", {a.slug: a for a in self.agencies})

    def get(self, slug: str) -> Agency | None:
        return self._by_slug.get(slug)  # type: ignore[attr-defined]

    def __contains__(self, slug: str) -> bool:
        return slug in self._by_slug  # type: ignore[attr-defined]

    @property
    def slugs(self) -> list[str]:
        return [a.slug for a in self.agencies]


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """A safe loader that remembers the line each mapping starts on (libyaml's where PyYAML has it:
    the pure-Python parser takes 0.1 s for 40 agencies, in the build and again in its content check)."""


def _mapping_with_line(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


def registry_path(content_path: str) -> str:
    return os.path.join(content_path, REGISTRY_FILE)


def load_registry(content_path: str, languages: tuple[str, ...]) -> tuple[Registry, list[Diagnostic]]:
    """Read and validate the registry; return what is usable and every problem found."""
    path = registry_path(content_path)
    problems: list[Diagnostic] = []
    try:
        with open(path, encoding="utf-8") as handle:
            raw = yaml.load(handle, Loader=_LineLoader)
    except FileNotFoundError:
        fix = "create it: a list of agencies with slug, kind, name: {vi, en}"
        return Registry(path, (), readable=False), [error(path, None, "the agency registry is missing", fix)]
    except UnicodeDecodeError as exc:
        fix = "save the file as UTF-8"
        return Registry(path, (), readable=False), [error(path, None, f"not UTF-8 ({exc.reason})", fix)]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        fix = "check indentation and quote values that contain ':'"
        return Registry(path, (), readable=False), [error(path, line, f"not valid YAML: {problem}", fix)]

    if raw is None:
        raw = []
    if not isinstance(raw, list):
        fix = "start each agency with '- slug: ...'"
        return Registry(path, (), readable=False), [error(path, 1, "the registry must be a list of agencies", fix)]

    agencies: list[Agency] = []
    seen: dict[str, int] = {}
    for entry in raw:
        if not isinstance(entry, dict):
            problems.append(error(path, None, f"entry {entry!r} is not an agency", "use key: value lines"))
            continue
        line = entry.get("__line__")
        found = _entry_problems(path, line, entry, languages)
        problems.extend(found)
        slug = entry.get("slug")
        if isinstance(slug, str) and slug in seen:
            problems.append(
                error(
                    path, line, f"duplicate slug '{slug}' (first on line {seen[slug]})", "give each agency its own slug"
                )
            )
            continue
        if found:
            continue
        seen[slug] = line
        names = entry["name"]
        agencies.append(
            Agency(
                slug=slug,
                kind=entry["kind"],
                names={lang: str(names[lang]).strip() for lang in languages},
                website=str(entry.get("website") or ""),
                email=str(entry.get("email") or ""),
                phone=str(entry.get("phone") or ""),
                reviewers=_reviewers(entry.get("reviewers")),
                line=line or 0,
            )
        )
    return Registry(path, tuple(agencies)), problems


def _reviewers(value: Any) -> tuple[str, ...]:
    if not value:
        return ()
    items = value if isinstance(value, list) else str(value).split(",")
    return tuple(str(item).strip() for item in items if str(item).strip())


def _entry_problems(path: str, line: int | None, entry: dict, languages: tuple[str, ...]) -> list[Diagnostic]:
    problems = []
    slug = entry.get("slug")
    if not isinstance(slug, str) or not slug:
        problems.append(error(path, line, "agency without a slug", "add 'slug: so-y-te' (ASCII, lowercase, hyphens)"))
    elif not SLUG_RE.match(slug):
        problems.append(
            error(path, line, f"slug '{slug}' is not lowercase ASCII with hyphens", "write it like 'so-y-te'")
        )
    kind = entry.get("kind")
    if kind not in KINDS:
        problems.append(
            error(path, line, f"kind {kind!r} of '{slug}' is not one of {', '.join(KINDS)}", "set kind to one of them")
        )
    names = entry.get("name")
    if not isinstance(names, dict):
        problems.append(error(path, line, f"agency '{slug}' has no name", "add 'name:' with a line per language"))
    else:
        for lang in languages:
            if not str(names.get(lang) or "").strip():
                problems.append(
                    error(path, line, f"agency '{slug}' has no name in '{lang}'", f"add '{lang}: ...' under name")
                )
    website = str(entry.get("website") or "")
    parts = urlsplit(website)
    if website and (parts.scheme not in ("http", "https") or not parts.netloc):
        # It becomes a link on the agency's page: anything but a web address (javascript:...) is not published.
        problems.append(
            error(
                path,
                line,
                f"website '{website}' of '{slug}' is not a web address",
                "write it in full, like https://soyte.hanoi.gov.vn",
            )
        )
    for reviewer in _reviewers(entry.get("reviewers")):
        if not reviewer.startswith("@"):
            problems.append(
                error(
                    path,
                    line,
                    f"reviewer '{reviewer}' of '{slug}' is not a team or user",
                    "write it as @organisation/team or @user",
                )
            )
    for key in entry:
        if key != "__line__" and key not in FIELDS:
            problems.append(error(path, line, f"unknown field '{key}' for agency '{slug}'", f"use {', '.join(FIELDS)}"))
    return problems
