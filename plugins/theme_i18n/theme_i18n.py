"""Templates speak the page's language: gettext, Babel dates, language helpers.

One Jinja environment renders pages of every language in a single Pelican run, so
the gettext callables look up the language of the page being rendered
(``current_lang``) instead of being bound to one catalogue.
"""

from __future__ import annotations

import functools
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime, format_skeleton
from jinja2 import pass_context
from markupsafe import Markup
from pelican import signals

from pressroom.config import site_config

from .catalogues import load_translations


@pass_context
def current_lang(ctx) -> str:
    """The language of the page being rendered."""
    if ctx.get("page_lang"):
        return ctx["page_lang"]
    for name in ("article", "page"):
        item = ctx.get(name)
        if item is not None and getattr(item, "lang", None):
            return item.lang
    return ctx["DEFAULT_LANG"]


@pass_context
def here(ctx):
    """The listing, release or page being rendered (None for the 404 page)."""
    return ctx.get("listing") or ctx.get("article") or ctx.get("page")


def install(generator) -> None:
    settings = generator.settings
    config = site_config(settings)
    if "ui_catalogues" not in generator.context:  # shared by every generator of the build
        generator.context["ui_catalogues"] = {lang: load_translations(generator.theme, lang) for lang in config.codes}
    catalogues = generator.context["ui_catalogues"]
    zone = ZoneInfo(settings.get("TIMEZONE") or "Asia/Ho_Chi_Minh")

    @pass_context
    def gettext(ctx, message: str) -> str:
        return catalogues[current_lang(ctx)].gettext(message)

    @pass_context
    def ngettext(ctx, singular: str, plural: str, number: int) -> str:
        return catalogues[current_lang(ctx)].ngettext(singular, plural, number)

    def _language(ctx):
        return config.language(current_lang(ctx))

    @functools.lru_cache(maxsize=65536)
    def _format(value: datetime, pattern: str, locale: str) -> str:
        # A release's date is shown on its page and in every listing it appears in.
        return format_datetime(value, pattern, tzinfo=zone, locale=locale)

    @pass_context
    def local_datetime(ctx, value: datetime) -> str:
        language = _language(ctx)
        return _format(value, language.datetime_format, language.locale)

    @pass_context
    def local_date(ctx, value: datetime) -> str:
        language = _language(ctx)
        return _format(value, language.date_format, language.locale)

    @pass_context
    def local_month(ctx, value: datetime) -> str:
        text = format_skeleton("yMMMM", value.astimezone(zone), locale=_language(ctx).locale)
        return text[:1].upper() + text[1:]

    def language_name(code: str) -> str:
        return config.language(code).name

    shown: dict[tuple[str, str, bool], str] = {}

    @pass_context
    def newstyle_gettext(ctx, message: str, **variables) -> str:
        """Jinja's newstyle ``gettext`` (marked safe when autoescaping, always %-formatted), with a message
        without variables translated and formatted once per language: pages call it a dozen times each."""
        key = (current_lang(ctx), message, ctx.eval_ctx.autoescape)
        if not variables and key in shown:
            return shown[key]
        text = gettext(ctx, message)
        text = Markup(text) if key[2] else text
        if variables:
            return text % variables
        text = shown[key] = text % {}
        return text

    env = generator.env
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(gettext, ngettext, newstyle=True)
    env.globals.update(gettext=newstyle_gettext, _=newstyle_gettext)  # `_` called it through a lookup
    env.globals.update(current_lang=current_lang, here=here, language_name=language_name, LANGUAGES=config.codes)
    env.filters.update(local_datetime=local_datetime, local_date=local_date, local_month=local_month)


def register() -> None:
    """Give every generator's Jinja environment the UI catalogues and date filters."""
    signals.generator_init.connect(install)
