"""Render the parts every page carries once per build, not once per page.

The navigation and the footer are the same on thousands of pages of a language, and
rendering them was a tenth of a release page's time. A template names what such a
partial depends on besides the build's data, and gets the same text back for the
same key:

    {{ shared_partial("partials/footer.html", lang, SITEURL) }}

The key must hold every value of the page the partial reads (its language, the page's
``SITEURL``, which is relative to the page's depth, and whatever else it shows of the
page); the rest of its context (the site index, settings, catalogues) is the same for
the whole build. Each Jinja environment, made afresh for every build, keeps its own.
"""

from __future__ import annotations

from collections.abc import Hashable

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from pelican import signals


def install(generator) -> None:
    env = generator.env
    rendered: dict[tuple[Hashable, ...], Markup] = {}

    @pass_context
    def shared_partial(ctx: Context, name: str, *key: Hashable) -> Markup:
        """``name`` rendered as ``{% include %}`` would, once per ``key``."""
        cache_key = (name, *key)
        text = rendered.get(cache_key)
        if text is None:
            text = rendered[cache_key] = Markup(env.get_template(name).render(ctx.get_all()))
        return text

    env.globals["shared_partial"] = shared_partial


def register() -> None:
    """Give every generator's templates ``shared_partial``."""
    signals.generator_init.connect(install)
