"""Links to content the build withholds (a draft, a release under embargo): left out, their words kept.

plugins/releases takes withheld releases out of the build and records their source
files in the context (``WITHHELD_SOURCES``). Pelican cannot resolve a ``{filename}``
link to one of them: it keeps the link as written, so the page and every feed entry
would publish the withheld file's name (often the subject of the release) and a
broken address. The link is unwrapped here instead, before Pelican resolves the
others; once the release is published, the link resolves as any other does (the
page's key holds its resolved HTML, so the page is rendered again then).
"""

from __future__ import annotations

import html
import os
import re
from urllib.parse import unquote, urlparse

#: Set by plugins/releases in the build's context: the relative source paths of withheld content.
WITHHELD_SOURCES = "withheld_sources"


def withheld_sources(item) -> frozenset[str] | set[str]:
    context = getattr(item, "_context", None)
    return (context or {}).get(WITHHELD_SOURCES) or frozenset()


def _targets(item, value: str) -> set[str]:
    """The source paths a ``{filename}`` link's value may name, tried as Pelican tries them."""
    paths = set()
    for candidate in (value, unquote(value), html.unescape(value)):
        path = urlparse(candidate).path
        if path.startswith("/"):
            paths.add(path[1:])
        else:
            paths.add(item.get_relative_source_path(os.path.join(item.relative_dir, path)))
    return paths


#: A file name no escaping changes: a link to it holds it as it is.
PLAIN_NAME = re.compile(r"[A-Za-z0-9._~-]+")


def _may_name(item, withheld, content: str) -> bool:
    """Whether ``content`` may link withheld content: a link holds its file's name (unless escaped, which a plain
    name never is). Asked for every text with a link on every page while a release is under embargo: a substring
    test, not Pelican's link scan."""
    context = item._context
    names = context.get("_withheld_names")
    if names is None or names[0] is not withheld:
        names = context["_withheld_names"] = (withheld, {os.path.basename(path) for path in withheld})
    return any(name in content or not PLAIN_NAME.fullmatch(name) for name in names[1])


def withheld_links(item, content: str) -> set[str]:
    """The link values in ``content`` (as written, entities decoded) that name withheld content."""
    withheld = withheld_sources(item)
    if not withheld or not _may_name(item, withheld, content):
        return set()
    found = set()
    for match in item._get_intrasite_link_regex().finditer(content):
        if match.group("what") == "filename" and _targets(item, match.group("value")) & withheld:
            found.add(html.unescape(match.group("path")))
    return found


def unlink_withheld(item, content: str) -> str:
    """``content`` without its links to withheld content: an ``<a>`` keeps its words, any other element loses
    the attribute."""
    links = withheld_links(item, content)
    if not links:
        return content
    from bs4 import BeautifulSoup  # here: rare, and importing it costs every build 0.1 s

    soup = BeautifulSoup(content, "html.parser")
    for tag in soup.find_all(True):
        for attribute, value in list(tag.attrs.items()):
            if isinstance(value, str) and value in links:
                if tag.name == "a" and attribute == "href":
                    tag.unwrap()
                    break
                del tag[attribute]
    return str(soup)
