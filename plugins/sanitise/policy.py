"""What HTML a release may publish: an allowlist, applied by nh3 (ammonia).

Release bodies may hold raw HTML; only what is listed here reaches a page or a feed.
The same policy tells `make check` what will be removed, so staff see it first.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

import nh3

TAGS = frozenset(
    {
        "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "ul", "ol", "li", "dl", "dt", "dd",
        "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td",
        "figure", "figcaption", "img", "a", "em", "strong", "b", "i", "u", "s", "sub", "sup",
        "small", "mark", "abbr", "cite", "q", "code", "pre", "kbd", "blockquote", "time", "span",
        "div", "iframe",
    }
)  # fmt: skip
HEADINGS_WITH_IDS = {f"h{level}": {"id"} for level in range(2, 7)}
ATTRIBUTES = {
    "*": {"lang", "title"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading", "decoding"},
    "th": {"scope", "colspan", "rowspan", "abbr"},
    "td": {"colspan", "rowspan"},
    "col": {"span"},
    "ol": {"start", "reversed"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "time": {"datetime"},
    "iframe": {"src", "width", "height", "allowfullscreen"},
    **HEADINGS_WITH_IDS,
}
#: The allowed attributes that hold a URL (lxml's list of link attributes, as far as the allowlist goes).
URL_ATTRIBUTES = frozenset({"href", "src", "cite"})
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
DEFAULT_IFRAME_HOSTS = ("www.youtube-nocookie.com", "www.youtube.com", "player.vimeo.com")


class Sanitiser:
    """One nh3 cleaner for the build: nh3 compiles its rules once."""

    def __init__(
        self,
        iframe_hosts: Iterable[str] = DEFAULT_IFRAME_HOSTS,
        rewrite_url: Callable[[str, str, str], str] | None = None,
    ):
        """``rewrite_url(tag, attribute, value)``: the value each kept URL attribute gets (feeds resolve them)."""
        self.iframe_hosts = frozenset(iframe_hosts)
        self.rewrite_url = rewrite_url
        self._cleaner = nh3.Cleaner(
            tags=set(TAGS),
            attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
            url_schemes=set(URL_SCHEMES),
            clean_content_tags={"script", "style"},
            attribute_filter=self._filter,
            link_rel="noopener noreferrer",
        )

    def _filter(self, tag: str, attribute: str, value: str) -> str | None:
        if tag == "iframe" and attribute == "src":
            parts = urlsplit(value)
            if parts.scheme != "https" or parts.hostname not in self.iframe_hosts or "@" in parts.netloc:
                return None  # an iframe from anywhere else loses its source, then itself
        if self.rewrite_url is not None and attribute in URL_ATTRIBUTES:
            return self.rewrite_url(tag, attribute, value)
        return value

    def clean(self, html: str) -> str:
        cleaned = self._cleaner.clean(html)
        if "<iframe" in cleaned:
            from bs4 import BeautifulSoup  # here: rare, and importing it costs every build 0.15 s

            soup = BeautifulSoup(cleaned, "html.parser")
            for frame in soup.find_all("iframe"):
                if not frame.get("src"):
                    frame.decompose()
            cleaned = str(soup)
        return cleaned

    def removals(self, html: str) -> list[str]:
        """What cleaning ``html`` removes, in words staff understand (``<script>``, ``onclick``)."""
        before, after = _inventory(html), _inventory(self.clean(html))
        lost = before - after
        found = []
        for (tag, attribute), _count in sorted(lost.items()):
            if attribute:
                if (tag, "") not in lost:
                    found.append(f"the {attribute}= attribute of <{tag}>")
            else:
                found.append(f"<{tag}>")
        return found


def _inventory(html: str) -> Counter:
    from bs4 import BeautifulSoup  # here: only for bodies with raw HTML, and importing it costs every build 0.15 s

    counts: Counter = Counter()
    for element in BeautifulSoup(html, "html.parser").find_all(True):
        counts[(element.name, "")] += 1
        for attribute, value in element.attrs.items():
            if element.name == "a" and attribute == "rel":
                continue  # added by the sanitiser itself
            if isinstance(value, list):
                value = " ".join(value)
            counts[(element.name, attribute)] += 1
    return counts
