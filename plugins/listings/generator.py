"""Write every listing page, in every language, from the :class:`SiteIndex`.

Pelican's own listings know only the default language (its tag and archive pages
drop English releases), so they are switched off in ``pelicanconf.py`` and this
generator writes all of them in one run.
"""

from __future__ import annotations

from functools import partial

from pelican.generators import Generator

from pressroom.config import site_config

from .index import SiteIndex


def write_single_page(generator: Generator, writer, listing, template_name: str) -> None:
    """Write a one-page listing (subscribe, search) in its language, as the plugins that own it need."""
    writer.write_file(
        listing.save_as,
        generator.get_template(template_name),
        generator.context,
        relative_urls=generator.settings["RELATIVE_URLS"],
        listing=listing,
        page_lang=listing.lang,
        url=listing.url,
    )


class ListingsGenerator(Generator):
    def generate_context(self) -> None:
        articles = [*self.context["articles"], *self.context.get("article_translations", [])]
        pages = [*self.context["pages"], *self.context.get("page_translations", [])]
        self.config = site_config(self.settings)
        self.site = SiteIndex.build(self.config, self.context["agency_registry"], self.settings, articles, pages)
        self.context["site"] = self.site

    def generate_output(self, writer) -> None:
        write = partial(writer.write_file, relative_urls=self.settings["RELATIVE_URLS"])
        site = self.site
        for listing in site.all_listings():
            template = self.get_template(listing.kind)
            extra = {"listing": listing, "page_lang": listing.lang}
            if listing.kind in self.settings["PAGINATED_TEMPLATES"]:
                write(
                    listing.save_as,
                    template,
                    self.context,
                    paginated={"articles": listing.releases},
                    template_name=listing.kind,
                    url=listing.url,
                    **extra,
                )
            else:
                write(listing.save_as, template, self.context, url=listing.url, **extra)
        # Not-found pages must work from any depth, so their links are absolute from the root.
        for language in self.config.languages:
            writer.write_file(
                f"{language.prefix}404.html",
                self.get_template("404"),
                {**self.context, "SITEURL": self.settings["SITEURL"]},
                page_lang=language.code,
            )
