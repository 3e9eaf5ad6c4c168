"""Keep old URLs working: a redirect page at every alias, and ``/_redirects`` for
hosts that do real 301s (``make redirects`` writes the nginx map in deploy/)."""

from __future__ import annotations

from pelican import signals
from pelican.generators import Generator

from pressroom.output import owns, write_bytes

from .aliases import redirect_map, render_netlify


class RedirectsGenerator(Generator):
    def generate_context(self) -> None:
        releases = [*self.context["articles"], *self.context.get("article_translations", [])]
        self.redirects = redirect_map(
            (alias, release.url) for release in releases for alias in getattr(release, "aliases", ())
        )
        self.context["redirects"] = self.redirects

    def generate_output(self, writer) -> None:
        template = self.get_template("redirect")
        base = self.settings["SITEURL"]
        for old, new in self.redirects:
            save_as = old.lstrip("/") + ("index.html" if old.endswith("/") else "")
            writer.write_file(
                save_as,
                template,
                self.context,
                relative_urls=self.settings["RELATIVE_URLS"],
                target=new.lstrip("/"),
                absolute_target=f"{base}{new}" if base else new,
                page_lang=self._lang_of(new),
            )
        if owns(writer, "_redirects"):
            write_bytes(writer, "_redirects", render_netlify(self.redirects))

    def _lang_of(self, path: str) -> str:
        first = path.strip("/").split("/", 1)[0]
        return first if first in self.settings.get("PRESSROOM_LANGUAGES", ()) else self.settings["DEFAULT_LANG"]


def get_generators(pelican):
    return RedirectsGenerator


def register() -> None:
    """Write redirect pages for every alias of a published release."""
    signals.get_generators.connect(get_generators)
