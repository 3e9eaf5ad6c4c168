"""The site's languages and listing URLs: defaults in one place, read from settings.

The URL scheme is a public interface (newspapers link to it), so it is data here and
in ``pelicanconf.py``, never spelled out inside templates or plugins.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

#: Per-language defaults. Listing paths are translated words, so each language
#: has its own; the default language lives at the site root, others under /<lang>/.
LANGUAGE_DEFAULTS: Mapping[str, Mapping[str, Any]] = MappingProxyType(
    {
        "vi": {
            "name": "Tiếng Việt",
            "english_name": "Vietnamese",
            "locale": "vi",
            "datetime_format": "EEEE, dd/MM/yyyy HH:mm",
            "date_format": "dd/MM/yyyy",
            "paths": {"agencies": "co-quan", "tags": "chu-de", "subscribe": "dang-ky", "search": "tim-kiem"},
        },
        "en": {
            "name": "English",
            "english_name": "English",
            "locale": "en_GB",
            "datetime_format": "EEEE d MMMM y, HH:mm",
            "date_format": "d MMMM y",
            "paths": {"agencies": "agencies", "tags": "tags", "subscribe": "subscribe", "search": "search"},
        },
    }
)

#: Listing URL patterns; ``{prefix}`` is "" for the default language, "<lang>/" else.
LISTING_URLS: Mapping[str, str] = MappingProxyType(
    {
        "home": "{prefix}",
        "agencies": "{prefix}{agencies}/",
        "agency": "{prefix}{agencies}/{slug}/",
        "tags": "{prefix}{tags}/",
        "tag": "{prefix}{tags}/{slug}/",
        "year": "{prefix}{year}/",
        "subscribe": "{prefix}{subscribe}/",
        "search": "{prefix}{search}/",
    }
)


class SettingsError(ValueError):
    """A setting is wrong; the message says what to set instead."""


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    english_name: str
    locale: str
    datetime_format: str
    date_format: str
    prefix: str
    paths: Mapping[str, str] = field(default_factory=dict)

    def url(self, kind: str, **values: Any) -> str:
        """The site-relative URL of a listing page, e.g. ``en/agencies/so-y-te/``."""
        return LISTING_URLS[kind].format(prefix=self.prefix, **self.paths, **values)


@dataclass(frozen=True)
class SiteConfig:
    default_lang: str
    languages: tuple[Language, ...]
    per_page: int

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(lang.code for lang in self.languages)

    def language(self, code: str) -> Language:
        for lang in self.languages:
            if lang.code == code:
                return lang
        raise KeyError(code)


def site_config(settings: Mapping[str, Any]) -> SiteConfig:
    """Build the site configuration; a bad setting says what to set instead."""
    default = settings.get("DEFAULT_LANG", "vi")
    wanted = settings.get("PRESSROOM_LANGUAGES", ("vi", "en"))
    overrides = settings.get("PRESSROOM_LANGUAGE_OPTIONS", {})
    if default not in wanted:
        raise SettingsError(
            f"DEFAULT_LANG {default!r} is not in PRESSROOM_LANGUAGES {list(wanted)!r}: "
            "add it, or set DEFAULT_LANG to one of them"
        )
    languages = []
    for code in sorted(wanted, key=lambda c: c != default):
        if code not in LANGUAGE_DEFAULTS and code not in overrides:
            raise SettingsError(
                f"Language {code!r} has no defaults: describe it in "
                "PRESSROOM_LANGUAGE_OPTIONS (name, locale, datetime_format, date_format, paths)"
            )
        options = {**LANGUAGE_DEFAULTS.get(code, {}), **overrides.get(code, {})}
        languages.append(
            Language(
                code=code,
                prefix="" if code == default else f"{code}/",
                name=options["name"],
                english_name=options.get("english_name", options["name"]),
                locale=options["locale"],
                datetime_format=options["datetime_format"],
                date_format=options["date_format"],
                paths=dict(options["paths"]),
            )
        )
    per_page = settings.get("DEFAULT_PAGINATION") or 20
    return SiteConfig(default_lang=default, languages=tuple(languages), per_page=int(per_page))
