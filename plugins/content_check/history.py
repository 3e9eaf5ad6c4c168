"""Published URLs that a change would break: compare each edited release with git.

A newspaper's link must keep working, so when an edit changes a release's URL (a
new Slug, Title or Date) without listing the old address in ``Aliases``, staff are
warned before the change is merged. The base is ``PRESSROOM_GIT_BASE`` (the pull
request's target branch in CI), else ``HEAD``.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable

from pressroom.diagnostics import Diagnostic, warning

from .rules import Entry


def _git(args: list[str], cwd: str) -> str | None:
    try:
        result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout if result.returncode == 0 else None


def url_changes(
    root: str,
    entries: list[Entry],
    base: str,
    reparse: Callable[[Entry, str], Entry | None],
    is_public: Callable[[Entry], bool],
    normalise: Callable[[str], str],
) -> list[Diagnostic]:
    top = _git(["rev-parse", "--show-toplevel"], root)
    if top is None:
        return []  # not in a git checkout: nothing to compare with
    top = top.strip()
    changed = _git(["diff", "--name-only", "--diff-filter=M", base, "--", os.path.abspath(root)], top)
    if not changed:
        return []
    by_path = {os.path.realpath(e.path): e for e in entries}
    problems = []
    for name in changed.splitlines():
        entry = by_path.get(os.path.realpath(os.path.join(top, name)))
        if entry is None or entry.kind != "release" or not entry.save_as:
            continue
        old_text = _git(["show", f"{base}:{name}"], top)
        old = reparse(entry, old_text) if old_text is not None else None
        if old is None or not old.save_as or old.save_as == entry.save_as or not is_public(old):
            continue
        old_url = "/" + old.save_as.removesuffix("index.html")
        if old_url in {normalise(a) for a in entry.aliases}:
            continue
        new_url = "/" + entry.save_as.removesuffix("index.html")
        line = entry.line_of("slug") if entry.header.first("slug") else entry.line_of("title")
        problems.append(
            warning(
                entry.path,
                line,
                f"the published address {old_url} would change to {new_url}",
                f"add a line 'Aliases: {old_url}' so links to the old address keep working",
            )
        )
    return problems
