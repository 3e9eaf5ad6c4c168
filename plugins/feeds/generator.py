"""Write every feed, the OPML file and the subscribe pages."""

from __future__ import annotations

import os
from datetime import datetime
from urllib.parse import urlsplit

from pelican.generators import Generator

from plugins.incremental.keys import digest, item_key, site_key, subject_key, unthemed_key
from plugins.listings.generator import write_single_page
from pressroom.clock import build_now
from pressroom.config import site_config
from pressroom.output import owns, owns_share, reuse, write_bytes

from .archive import EntryArchive
from .entries import EntryFactory, LinkResolver, Person, updated
from .formats import FeedInfo, FeedRenderer
from .opml import render_opml
from .settings import FORMAT_NAMES, FORMATS, feed_settings
from .subjects import FeedSubject, build_subjects


def agency_emails(registry) -> list[tuple[str, str]]:
    """What an entry shows of its agencies besides their names and addresses: each one's email (an author's)."""
    return sorted((agency.slug, agency.email) for agency in registry.agencies)


class FeedIndex:
    """Which feeds exist, and which a page should advertise in its head."""

    def __init__(self, subjects: list[FeedSubject]):
        self.subjects = subjects
        self._by_listing = {id(s.listing): s for s in subjects}
        self._site = {s.lang: s for s in subjects if s.kind == "site"}

    def for_listing(self, listing) -> FeedSubject | None:
        return self._by_listing.get(id(listing))

    def site(self, lang: str) -> FeedSubject:
        return self._site[lang]

    def of_lang(self, lang: str, kind: str) -> list[FeedSubject]:
        return [s for s in self.subjects if s.lang == lang and s.kind == kind]

    def discover(self, item, lang: str, site) -> list[dict[str, str]]:
        """The page's own feeds first, then its language's site feed."""
        subjects: list[FeedSubject] = []
        own = self.for_listing(item) if item is not None else None
        if own is not None:
            subjects.append(own)
        elif item is not None and hasattr(item, "agency_refs"):  # a release: its agencies' feeds
            subjects.extend(self.for_listing(site.agencies[lang][ref.slug]) for ref in item.agency_refs)
        if self.site(lang) not in subjects:
            subjects.append(self.site(lang))
        return [link for subject in subjects for link in subject.links()]


class FeedsGenerator(Generator):
    def generate_context(self) -> None:
        self.feed_settings = feed_settings(self.settings)
        self.site = self.context["site"]
        subjects = build_subjects(self.site, self.settings["SITE_NAMES"], self.context["ui_catalogues"])
        self.index = FeedIndex(subjects)
        self.context["feed_index"] = self.index
        self.context["feed_format_names"] = FORMAT_NAMES
        self.context["feed_opml"] = self.feed_settings.opml_save_as

    def generate_output(self, writer) -> None:
        settings = self.feed_settings
        static_files = {static.url: static.source_path for static in self.context.get("staticfiles", []) if static.url}
        if not static_files:  # the static generator reads after us: map content files directly
            static_files = self._static_sources()
        entries = EntryFactory(settings, self.site, static_files, LinkResolver(self.settings))
        newest = {lang: self._newest(self.site.releases[lang]) for lang in self.site.config.codes}
        build = unthemed_key(self.settings)
        # Entries name their agencies with their email, which no page shows (a release's key holds names and addresses).
        emails = agency_emails(self.site.registry)
        # A process writes whole languages: a release is only in its language's feeds, so its
        # entry is built and serialised in one process (by path, 13,500 times for 8,500 entries).
        codes = list(self.site.config.codes)
        subjects = [s for s in self.index.subjects if owns_share(writer, codes.index(s.lang))]
        # The entries of the last build's feeds, read again from its files (archive.py).
        archives = {lang: self._archive(lang, build, emails) for lang in codes if owns_share(writer, codes.index(lang))}
        renderer = FeedRenderer(entries, item_key, archives)  # each entry serialised once, for all its feeds
        # The last feed each release is in: its entry's bytes are dropped after it, so the
        # renderer holds only what is still to be written (about 100 MB less at 5,000 releases).
        last_use = {id(r): n for n, subject in enumerate(subjects) for r in subject.releases[: settings.max_entries]}
        for n, subject in enumerate(subjects):
            releases = subject.releases[: settings.max_entries]
            key = digest(
                build,
                site_key(self.site, subject.lang),
                emails,
                subject_key(subject),
                # An empty feed's updated time is its language's newest release's; another feed's is its own
                # entries' (a new release wrote every feed of its language again when it was in every key).
                None if releases else newest[subject.lang],
                [item_key(release) for release in releases],
            )
            if not all([reuse(writer, subject.path(fmt), key) for fmt in FORMATS]):
                info = self._info(subject, releases, newest[subject.lang])
                for fmt in FORMATS:
                    path = subject.path(fmt)
                    write_bytes(writer, path, renderer.render(fmt, info, releases, path), key)
            for release in releases:
                if last_use[id(release)] == n:
                    renderer.forget(release)
        for lang, archive in archives.items():
            shown = {item_key(r) for s in subjects if s.lang == lang for r in s.releases[: settings.max_entries]}
            archive.save(writer.output_path, shown)
        if owns(writer, self.feed_settings.opml_save_as):
            self._write_opml(writer)
        self._write_subscribe_pages(writer)

    def _archive(self, lang: str, build: str, emails: list[tuple[str, str]]) -> EntryArchive:
        cache = self.settings.get("CACHE_PATH") if self.settings.get("CACHE_CONTENT") else None
        previous = self.settings.get("PRESSROOM_PREVIOUS_OUTPUT")
        # What every entry of the language shares: the build, the site, the agencies' emails its authors carry.
        shared = digest(build, site_key(self.site, lang), emails)
        return EntryArchive(cache, lang, shared, previous, FORMATS)

    def _static_sources(self) -> dict[str, str]:
        found = {}
        root = self.settings["PATH"]
        for folder in self.settings.get("STATIC_PATHS", []):
            for directory, _dirs, files in os.walk(os.path.join(root, folder)):
                for name in files:
                    source = os.path.join(directory, name)
                    found[os.path.relpath(source, root).replace(os.sep, "/")] = source
        return found

    @staticmethod
    def _newest(releases) -> datetime:
        return max(map(updated, releases)) if releases else build_now()

    def _info(self, subject: FeedSubject, releases, fallback: datetime) -> FeedInfo:
        settings = self.feed_settings
        base = settings.base_url
        lang = subject.lang
        return FeedInfo(
            id=f"{settings.id_prefix}feed/{subject.id_path}",
            title=subject.title,
            description=subject.description,
            lang=lang,
            home_url=f"{base}/{subject.listing.url}",
            self_urls={fmt: f"{base}/{subject.path(fmt)}" for fmt in FORMATS},
            updated=max(map(updated, releases), default=fallback),
            author=Person(self.settings["SITE_NAMES"][lang], self.settings.get("SITE_EMAIL", ""), f"{base}/"),
            icon=f"{base}/{settings.icon}",
            favicon=f"{base}/theme/images/favicon-32.png",
            # Same origin as the feed wherever it is served (browsers refuse a foreign XSLT).
            stylesheet=f"{urlsplit(base).path}/theme/feed.xsl",
        )

    def _write_opml(self, writer) -> None:
        config = site_config(self.settings)
        catalogues = self.context["ui_catalogues"]
        groups = {
            lang: {"agency": catalogues[lang].gettext("Agencies"), "tag": catalogues[lang].gettext("Topics")}
            for lang in config.codes
        }
        names = {lang.code: lang.name for lang in config.languages}
        title = catalogues[config.default_lang].gettext("Feeds")
        title = f"{self.settings['SITE_NAMES'][config.default_lang]} — {title}"
        data = render_opml(title, self.index.subjects, self.feed_settings.base_url, groups, names)
        write_bytes(writer, self.feed_settings.opml_save_as, data)

    def _write_subscribe_pages(self, writer) -> None:
        for listing in self.site.subscribe.values():
            write_single_page(self, writer, listing, "subscribe")
