"""Canonical links, OpenGraph, Twitter cards and JSON-LD in every page; the web app manifest.

Templates get two globals: ``page_meta()``, the :class:`~.meta.PageMeta` of the page
being rendered (None for the not-found pages, which have no address of their own),
and ``web_app``, what every page's head links to for home screens.
"""

from __future__ import annotations

from jinja2 import pass_context
from markupsafe import Markup
from pelican import signals
from pelican.generators import Generator

from plugins.feeds.settings import feed_settings
from plugins.theme_i18n.theme_i18n import current_lang, here
from pressroom.config import site_config
from pressroom.output import owns, write_bytes

from .manifest import MANIFEST_SAVE_AS, WebApp, render_manifest, web_manifest
from .meta import MetaBuilder, PageMeta

#: Same as the ``description`` block of article.html, so og:description matches the meta description.
DESCRIPTION_LENGTH = 200


def install(generator) -> None:
    settings = generator.settings
    builders: list[MetaBuilder] = []

    def builder() -> MetaBuilder:
        # Built on first use: the feeds plugin has by then said what to set if base_url is missing.
        if not builders:
            base_url = feed_settings(settings).base_url
            builders.append(MetaBuilder(base_url, settings["SITE_NAMES"], site_config(settings)))
        return builders[0]

    @pass_context
    def page_meta(ctx) -> PageMeta | None:
        """The metadata of the page being rendered."""
        item = here(ctx)
        if item is None:
            return None
        lang = current_lang(ctx)
        env = ctx.environment

        def describe(html: str) -> str:
            return env.call_filter("truncate", Markup(html).striptags(), [DESCRIPTION_LENGTH])

        gettext = ctx["ui_catalogues"][lang].gettext
        return builder().build(item, lang, ctx.get("articles_page"), gettext, describe)

    generator.env.globals.update(page_meta=page_meta, web_app=WebApp())


class ManifestGenerator(Generator):
    def generate_output(self, writer) -> None:
        lang = site_config(self.settings).default_lang
        description = self.context["ui_catalogues"][lang].gettext("Official press releases from the agencies of Hanoi")
        manifest = web_manifest(self.settings["SITE_NAMES"][lang], lang, description)
        if owns(writer, MANIFEST_SAVE_AS):
            write_bytes(writer, MANIFEST_SAVE_AS, render_manifest(manifest))


def get_generators(pelican):
    return ManifestGenerator


def register() -> None:
    """Give templates the page metadata and web app globals; write the web app manifest."""
    signals.generator_init.connect(install)
    signals.get_generators.connect(get_generators)
