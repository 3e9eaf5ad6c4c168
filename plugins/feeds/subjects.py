"""What a journalist can follow: a language, an agency or a tag, each with its feeds.

Every followed listing has its feeds beside it (``atom.xml``, ``rss.xml``,
``feed.json`` in the listing's folder), so the address of any feed can be guessed
from the page a journalist is looking at.
"""

from __future__ import annotations

from dataclasses import dataclass

from .settings import FORMATS


@dataclass
class FeedSubject:
    kind: str  # "site", "agency" or "tag"
    lang: str
    key: str
    listing: object  # plugins.listings.index.Listing
    title: str
    description: str

    @property
    def id_path(self) -> str:
        return self.lang if self.kind == "site" else f"{self.lang}/{self.kind}/{self.key}"

    @property
    def releases(self) -> list:
        return self.listing.releases

    def path(self, fmt: str) -> str:
        return f"{self.listing.url}{FORMATS[fmt][0]}"

    def links(self) -> list[dict[str, str]]:
        """Autodiscovery links, Atom first (what most readers pick)."""
        return [{"type": FORMATS[fmt][1], "url": self.path(fmt), "title": self.title, "format": fmt} for fmt in FORMATS]


def build_subjects(site, site_names: dict[str, str], catalogues) -> list[FeedSubject]:
    """Every feed subject in every language, titled in that language."""
    subjects = []
    for lang in site.config.codes:
        gettext = catalogues[lang].gettext
        press_releases = gettext("Press releases")
        site_name = site_names[lang]
        subjects.append(
            FeedSubject(
                "site",
                lang,
                "",
                site.home[lang],
                # Not "<site> — Press releases": the press centre is an agency too, and its feed has that title.
                f"{site_name} — {gettext('All press releases')}",
                gettext("Official press releases from the agencies of Hanoi"),
            )
        )
        for slug, listing in site.agencies[lang].items():
            subjects.append(
                FeedSubject(
                    "agency",
                    lang,
                    slug,
                    listing,
                    f"{listing.name} — {press_releases}",
                    gettext("Press releases issued by %(agency)s") % {"agency": listing.name},
                )
            )
        for slug, listing in site.tags[lang].items():
            topic = gettext("Topic: %(name)s") % {"name": listing.name}
            subjects.append(
                FeedSubject(
                    "tag",
                    lang,
                    slug,
                    listing,
                    f"{topic} — {press_releases}",
                    gettext("Press releases on %(topic)s") % {"topic": listing.name},
                )
            )
    return subjects
