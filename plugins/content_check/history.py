"""Published URLs and identities that a change would break: compare each edited release with git.

A newspaper's link must keep working, so when an edit changes a release's URL (a
new Slug, Title or Date) without listing the old address in ``Aliases``, staff are
warned before the change is merged. A published release moved or renamed would get a
new identity (its file's name), and every feed would show it again as a new item: that
is an error, fixed by an ``Id`` with the old identity. The base is
``PRESSROOM_GIT_BASE`` (the pull request's target branch in CI), else ``HEAD``.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable

from pressroom.diagnostics import Diagnostic, display_path, error, warning

from .rules import Entry


def _git(args: list[str], cwd: str) -> str | None:
    try:
        result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout if result.returncode == 0 else None


def _toplevel(root: str) -> str | None:
    """The git checkout's top folder, or None outside one."""
    top = _git(["rev-parse", "--show-toplevel"], root)
    return top.strip() if top is not None else None


def url_changes(
    root: str,
    entries: list[Entry],
    base: str,
    reparse: Callable[[Entry, str], Entry | None],
    is_public: Callable[[Entry], bool],
    normalise: Callable[[str], str],
) -> list[Diagnostic]:
    top = _toplevel(root)
    if top is None:
        return []  # not in a git checkout: nothing to compare with
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


def identity_changes(
    root: str,
    entries: list[Entry],
    base: str,
    reparse: Callable[[Entry, str], Entry | None],
    is_public: Callable[[Entry], bool],
) -> list[Diagnostic]:
    """Published releases whose file was moved or renamed (git's rename detection) without an Id keeping their
    identity."""
    top = _toplevel(root)
    if top is None:
        return []
    renamed = _git(["diff", "--name-status", "-M", "--diff-filter=R", base, "--", os.path.abspath(root)], top)
    if not renamed:
        return []
    content = os.path.relpath(os.path.realpath(root), top)
    by_path = {os.path.realpath(e.path): e for e in entries}
    problems = []
    for line in renamed.splitlines():
        parts = line.split("\t")
        if len(parts) != 3:
            continue
        old_name, new_name = parts[1], parts[2]
        entry = by_path.get(os.path.realpath(os.path.join(top, new_name)))
        old_text = _git(["show", f"{base}:{old_name}"], top)
        if entry is None or entry.kind != "release" or old_text is None:
            continue
        old = reparse(entry, old_text)
        if old is None or not is_public(old):
            continue
        old_key = os.path.relpath(old_name, content).replace(os.sep, "/").rsplit(".", 2)[0]
        before = old.identity if old.header.first("id") else old_key.removeprefix("releases/")
        if before == entry.identity:
            continue
        problems.append(
            error(
                entry.path,
                entry.line_of("id") if entry.header.first("id") else 1,
                f"this published release was {display_path(os.path.join(top, old_name))}: moved, its identity "
                f"'{before}' would become '{entry.identity}', and every feed would show it again as a new item",
                f"move it back, or add a line 'Id: {before}' to both its language versions",
            )
        )
    return problems
