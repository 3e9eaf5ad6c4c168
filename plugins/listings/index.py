"""The site's structure, computed once per build from the published releases.

Every listing (home, agency, tag, year), every link between language versions and
every previous/next link comes from one pass over the releases here; templates and
the feeds read the result instead of rescanning the archive.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from plugins.agencies.registry import KINDS, Agency, Registry
from plugins.listings.collation import vietnamese_key
from plugins.source_paths import url_of
from pressroom.config import Language, SiteConfig


def sort_key(name: str) -> tuple:
    """Alphabetical order as a Vietnamese dictionary has it: 'Đô thị' after 'Du lịch' (collation.py)."""
    return vietnamese_key(name)


@dataclass
class Ref:
    """An agency or tag as one release shows it: a name in its language and a link."""

    slug: str
    name: str
    url: str


@dataclass
class Listing:
    """One listing page in one language, e.g. the Department of Health's English archive."""

    kind: str
    lang: str
    url: str
    key: str = ""
    name: str = ""
    releases: list = field(default_factory=list)
    agency: Agency | None = None
    alternates: dict[str, str] = field(default_factory=dict)  # true equivalents (hreflang)
    switch: dict[str, str] = field(default_factory=dict)  # where the language switcher goes

    @property
    def save_as(self) -> str:
        return f"{self.url}index.html"


class SiteIndex:
    def __init__(self, config: SiteConfig, registry: Registry, settings: dict[str, Any]):
        self.config = config
        self.registry = registry
        self.settings = settings
        self.releases: dict[str, list] = {lang: [] for lang in config.codes}
        self.home: dict[str, Listing] = {}
        self.agency_index: dict[str, Listing] = {}
        self.tag_index: dict[str, Listing] = {}
        self.subscribe: dict[str, Listing] = {}  # written by the feeds plugin
        self.search: dict[str, Listing] = {}  # written by the search plugin
        self.agencies: dict[str, dict[str, Listing]] = {lang: {} for lang in config.codes}
        self.tags: dict[str, dict[str, Listing]] = {lang: {} for lang in config.codes}
        self.years: dict[str, dict[int, Listing]] = {lang: {} for lang in config.codes}
        self.pages: dict[str, dict[str, Any]] = {lang: {} for lang in config.codes}

    # -- building -------------------------------------------------------------------

    @classmethod
    def build(
        cls, config: SiteConfig, registry: Registry, settings: dict[str, Any], articles: Iterable, pages: Iterable
    ) -> SiteIndex:
        index = cls(config, registry, settings)
        for item in [*articles, *pages]:
            # Pelican formats a URL and a file name from settings on every access (180k
            # calls at 5,000 releases); its override hooks let us compute each one once
            # (plugins/article_store keeps them with the releases it serves).
            # (Two releases with one file name still fail: a second override raises.)
            known = item.__dict__
            if "override_url" not in known:
                item.override_url = item.url
            if "override_save_as" not in known:
                item.override_save_as = item.save_as
        for article in articles:
            if article.lang in index.releases:
                index.releases[article.lang].append(article)
        for lang in config.codes:
            index.releases[lang].sort(key=lambda a: (a.date, a.release_id), reverse=True)
        for page in pages:
            if page.lang in index.pages:
                index.pages[page.lang][page.release_id] = page
        for language in config.languages:
            index._build_language(language)
        index._link_languages(articles, pages)
        return index

    def _build_language(self, language: Language) -> None:
        lang = language.code
        releases = self.releases[lang]
        self.home[lang] = Listing("home", lang, language.url("home"), releases=releases)
        self.agency_index[lang] = Listing("agencies", lang, language.url("agencies"))
        self.tag_index[lang] = Listing("tags", lang, language.url("tags"))
        self.subscribe[lang] = Listing("subscribe", lang, language.url("subscribe"))
        self.search[lang] = Listing("search", lang, language.url("search"))

        for agency in self.registry.agencies:
            self.agencies[lang][agency.slug] = Listing(
                "agency",
                lang,
                language.url("agency", slug=agency.slug),
                key=agency.slug,
                name=agency.name(lang),
                agency=agency,
            )
        tag_spellings: dict[str, Counter] = defaultdict(Counter)
        for release in releases:
            release.agency_refs = []
            for slug in release.agency_slugs:
                listing = self.agencies[lang].get(slug)
                if listing is None:  # content_check stops a build before this
                    continue
                listing.releases.append(release)
                release.agency_refs.append(Ref(slug, listing.name, listing.url))
            for tag in getattr(release, "tags", []):
                tag_spellings[tag.slug][" ".join(tag.name.split())] += 1
            year = release.date.year
            if year not in self.years[lang]:
                self.years[lang][year] = Listing(
                    "year", lang, language.url("year", year=year), key=str(year), name=str(year)
                )
            self.years[lang][year].releases.append(release)

        # Tags that differ only in case or spacing share a slug: one tag, shown in
        # its most common spelling.
        for slug, spellings in tag_spellings.items():
            name = max(spellings.items(), key=lambda item: (item[1], item[0][:1].isupper(), item[0]))[0]
            self.tags[lang][slug] = Listing("tag", lang, language.url("tag", slug=slug), key=slug, name=name)
        for release in releases:
            release.tag_refs = []
            for slug in dict.fromkeys(tag.slug for tag in getattr(release, "tags", [])):
                listing = self.tags[lang][slug]
                listing.releases.append(release)
                release.tag_refs.append(Ref(slug, listing.name, listing.url))
        self.tags[lang] = dict(sorted(self.tags[lang].items(), key=lambda item: sort_key(item[1].name)))
        self.years[lang] = dict(sorted(self.years[lang].items(), reverse=True))

        # Previous and next in the same language: "newer" and "older".
        for position, release in enumerate(releases):
            release.newer_release = releases[position - 1] if position > 0 else None
            release.older_release = releases[position + 1] if position + 1 < len(releases) else None

    def _link_languages(self, articles: Iterable, pages: Iterable) -> None:
        codes = self.config.codes
        tables = (self.home, self.agency_index, self.tag_index, self.subscribe, self.search)
        for table in tables:
            for lang, listing in table.items():
                listing.alternates = {other: table[other].url for other in codes if other != lang}
        for lang in codes:
            for slug, listing in self.agencies[lang].items():
                listing.alternates = {o: self.agencies[o][slug].url for o in codes if o != lang}
            for year, listing in self.years[lang].items():
                listing.alternates = {o: self.years[o][year].url for o in codes if o != lang and year in self.years[o]}
            for listing in self.tags[lang].values():
                listing.alternates = {}
        for table in tables:
            for listing in table.values():
                listing.switch = dict(listing.alternates)
        for lang in codes:
            for listing in [*self.agencies[lang].values(), *self.years[lang].values()]:
                listing.switch = {o: listing.alternates.get(o, self.home[o].url) for o in codes if o != lang}
            for slug, listing in self.tags[lang].items():
                listing.switch = {
                    o: self.tags[o][slug].url if slug in self.tags[o] else self.home[o].url for o in codes if o != lang
                }
        for item in [*articles, *pages]:
            translations = {t.lang: url_of(t) for t in getattr(item, "translations", []) if t.lang in codes}
            item.alternates = {o: translations[o] for o in codes if o != item.lang and o in translations}
            item.switch = {o: translations.get(o, self.home[o].url) for o in codes if o != item.lang}

    # -- reading, for templates and other plugins ---------------------------------

    def agencies_by_kind(self, lang: str) -> list[tuple[str, list[Listing]]]:
        groups = []
        for kind in KINDS:
            members = [listing for listing in self.agencies[lang].values() if listing.agency.kind == kind]
            if members:
                groups.append((kind, sorted(members, key=lambda listing: sort_key(listing.name))))
        return groups

    def nav_pages(self, lang: str) -> list:
        wanted = self.settings.get("NAV_PAGES", ())
        return [self.pages[lang][key] for key in wanted if key in self.pages[lang]]

    def all_listings(self) -> Iterable[Listing]:
        for lang in self.config.codes:
            yield self.home[lang]
            yield self.agency_index[lang]
            yield from self.agencies[lang].values()
            yield self.tag_index[lang]
            yield from self.tags[lang].values()
            yield from self.years[lang].values()
