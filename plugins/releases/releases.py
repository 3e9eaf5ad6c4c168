"""What a release is, beyond what Pelican reads: identity, agencies, embargo.

- ``release_id`` is the permanent identity: the content file ``<YYYY>/<name>`` (or an
  explicit ``Id``), the same for both language versions; titles, slugs and dates may
  change, it does not.
- ``agency_slugs`` are the issuing agencies from the ``Agency`` header.
- A release dated after the build's "now" is under embargo and leaves the build
  entirely, before any listing, tag or translation link can see it.
"""

from __future__ import annotations

import logging

from pelican import signals
from pelican.contents import Article, Page
from pelican.utils import order_content, process_translations

from pressroom.clock import build_now

logger = logging.getLogger(__name__)


def split_list(value: str | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(part.strip() for part in (value or "").split(",") if part.strip()))


def add_identity(instance) -> None:
    if not isinstance(instance, (Article, Page)):
        return
    key = instance.metadata.get("translation_key", instance.relative_source_path)
    instance.release_id = str(instance.metadata.get("id") or key.removeprefix("releases/"))
    if isinstance(instance, Article):
        instance.agency_slugs = split_list(instance.metadata.get("agency"))


def withhold_unpublished(generator) -> None:
    """Drop drafts and releases dated after the build's "now"; pair the rest again."""
    # Pelican would still walk its drafts when writing (with empty save_as); keep them
    # aside instead, so nothing downstream can ever render one.
    generator.withheld_drafts = generator.drafts + generator.drafts_translations
    generator.drafts, generator.drafts_translations = [], []
    for draft in generator.withheld_drafts:
        generator.context["generated_content"][draft.get_relative_source_path()] = None
    now = build_now()
    published = generator.articles + generator.translations
    embargoed = [a for a in published if a.date > now]
    generator.embargoed = sorted(embargoed, key=lambda a: (a.date, a.release_id, a.lang))
    if not embargoed:
        return
    for article in embargoed:
        # Links to it from other content must not resolve to its future URL.
        generator.context["generated_content"][article.get_relative_source_path()] = None
    remaining = [a for a in published if a.date <= now]
    originals, translations = process_translations(
        remaining, translation_id=generator.settings["ARTICLE_TRANSLATION_ID"]
    )
    generator.articles = order_content(originals, generator.settings["ARTICLE_ORDER_BY"])
    generator.translations = translations
    logger.info("Embargo: %d release file(s) withheld until their Date", len(embargoed))


def register() -> None:
    """Give releases their identity and agencies; withhold embargoed ones."""
    signals.content_object_init.connect(add_identity)
    # pretaxonomy: after Pelican has read and paired everything (cache included),
    # before tags, archives or any listing is computed.
    signals.article_generator_pretaxonomy.connect(withhold_unpublished)
