"""What a release is, beyond what Pelican reads: identity, agencies, embargo.

- ``release_id`` is the permanent identity: the content file ``<YYYY>/<name>`` (or an
  explicit ``Id``), the same for both language versions; titles, slugs and dates may
  change, it does not.
- ``agency_slugs`` are the issuing agencies from the ``Agency`` header.
- Drafts and releases dated after the build's "now" (embargo) leave the build
  entirely, before any listing, tag, feed or translation link can see them, and so
  do the photos only they link to. A preview build (``PRESSROOM_PREVIEW``) keeps
  them, marked, for staff; it is never deployed.
"""

from __future__ import annotations

import logging

from pelican import signals
from pelican.contents import Article, Page
from pelican.utils import order_content, process_translations

from plugins.content_check.header import split_list
from plugins.intrasite_links.withheld import WITHHELD_SOURCES
from pressroom.clock import build_now

logger = logging.getLogger(__name__)


def add_identity(instance) -> None:
    if not isinstance(instance, (Article, Page)):
        return
    key = instance.metadata.get("translation_key", instance.relative_source_path)
    instance.release_id = str(instance.metadata.get("id") or key.removeprefix("releases/"))
    instance.withheld = ""  # "draft" or "embargo" in a preview build
    if isinstance(instance, Article):
        instance.agency_slugs = split_list(instance.metadata.get("agency"))
        instance.aliases = split_list(instance.metadata.get("aliases"))


def _links(items) -> set[str]:
    found: set[str] = set()
    for item in items:
        found |= item.get_static_links()
    return found


def withhold_unpublished(generator) -> None:
    """Drop drafts and releases dated after the build's "now"; pair the rest again."""
    settings = generator.settings
    now = build_now()
    drafts = generator.drafts + generator.drafts_translations
    # Pelican would still walk its drafts when writing (with empty save_as); take them
    # out of its hands so nothing downstream can ever render one.
    generator.drafts, generator.drafts_translations = [], []
    published = generator.articles + generator.translations
    embargoed, remaining = [], []
    for article in published:
        (embargoed if article.date > now else remaining).append(article)
    generator.embargoed = sorted(embargoed, key=lambda a: (a.date, a.release_id, a.lang))
    generator.withheld_drafts = drafts

    if settings.get("PRESSROOM_PREVIEW"):
        for draft in drafts:
            draft.withheld = "draft"
        for article in embargoed:
            article.withheld = "embargo"
        remaining = published + drafts
    else:
        withheld = generator.context.setdefault(WITHHELD_SOURCES, set())
        for article in [*drafts, *embargoed]:
            # Links to it from other content must not resolve to its future URL, nor name its file
            # (plugins/intrasite_links leaves them out).
            generator.context["generated_content"][article.get_relative_source_path()] = None
            withheld.add(article.get_relative_source_path())
        withheld_links = _links([*drafts, *embargoed])
        generator.context["withheld_static"] = withheld_links - _links(remaining) if withheld_links else set()
        if embargoed:
            logger.info("Embargo: %d release file(s) withheld until their Date", len(embargoed))

    _pair_again(generator, remaining, drafts if settings.get("PRESSROOM_PREVIEW") else embargoed)
    without_future_modified(remaining, now)


def without_future_modified(items, now) -> None:
    """A Modified later than now is left out of this build: feeds, JSON-LD and sitemaps would date a correction
    in the future (the content check warns). The article store kept the items as read, before this."""
    for item in items:
        modified = getattr(item, "modified", None)
        if modified is not None and modified > now:
            del item.modified
            item.__dict__.pop("locale_modified", None)
            item.metadata.pop("modified", None)


def pages_without_future_modified(generator) -> None:
    without_future_modified(generator.pages + generator.translations, build_now())


def _pair_again(generator, remaining: list, changed: list) -> None:
    """Pair language versions again where a version was withheld (or, in a preview, added).

    Pelican's pairing compares every release with every other; redoing it for the
    whole archive cost a second at 5,000 releases. Only the releases that shared a
    translation key with a withheld (or previewed) version can pair differently.
    """
    settings = generator.settings
    key = settings["ARTICLE_TRANSLATION_ID"]
    if not isinstance(key, str):  # a composite key: pair everything, as Pelican does
        regroup, kept = remaining, []
    else:
        keys = {getattr(item, key, None) for item in changed}
        regroup = [item for item in remaining if getattr(item, key, None) in keys]
        kept = [item for item in remaining if getattr(item, key, None) not in keys] if keys else remaining
    originals, translations = process_translations(regroup, translation_id=key) if regroup else ([], [])
    first_pass = {id(item) for item in generator.articles}
    originals += [item for item in kept if id(item) in first_pass]
    translations += [item for item in kept if id(item) not in first_pass]
    generator.articles = order_content(originals, settings["ARTICLE_ORDER_BY"])
    generator.translations = translations


def withhold_their_photos(generator) -> None:
    """A photo linked only from withheld releases is not copied (its name can tell)."""
    withheld = generator.context.get("withheld_static", set())
    if not withheld:
        return
    pages = generator.context.get("pages", []) + generator.context.get("hidden_pages", [])
    withheld = withheld - _links(pages)
    kept = [static for static in generator.staticfiles if static.relative_source_path not in withheld]
    generator.staticfiles[:] = kept
    generator.context["staticfiles"] = kept


def register() -> None:
    """Give releases their identity and agencies; withhold drafts and embargoed ones."""
    signals.content_object_init.connect(add_identity)
    # pretaxonomy: after Pelican has read and paired everything (cache included),
    # before tags, archives or any listing is computed.
    signals.article_generator_pretaxonomy.connect(withhold_unpublished)
    signals.static_generator_finalized.connect(withhold_their_photos)
    signals.page_generator_finalized.connect(pages_without_future_modified)
