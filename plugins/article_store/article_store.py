"""Hand Pelican the articles of the last build for the files that did not change (store.py)."""

from __future__ import annotations

import atexit

from pelican import signals

from .store import ArticleStore

#: The stores of builds in this process whose writer may still run (the dev server builds again and again).
_open: list[ArticleStore] = []


def enabled(settings) -> bool:
    return bool(
        settings.get("CACHE_CONTENT")
        and settings.get("LOAD_CONTENT_CACHE")
        and settings.get("CACHE_PATH")
        and settings.get("CONTENT_CACHING_LAYER") == "reader"
        and settings.get("WITH_FUTURE_DATES", True)  # else Pelican drafts future articles while reading
    )


def finish_writing(*_args) -> None:
    """Wait for the stores being written: at the build's end, the next build's start, or the process's exit."""
    while _open:
        _open.pop().finish()


def use_store(generator) -> None:
    finish_writing()  # an earlier build in this process that failed before its end
    if not enabled(generator.settings):
        return
    store = ArticleStore(generator)
    generator.article_store = store
    # The articles generator asks these for each file before reading it, and gives it what it read.
    generator.get_cached_data = store.get_cached_data
    generator.cache_data = store.cache_data


def keep_articles(generator) -> None:
    store = getattr(generator, "article_store", None)
    if store is None:
        return
    store.save()
    _open.append(store)


def register() -> None:
    """Serve unchanged articles from the store; keep this build's when reading ends, before plugins change them."""
    signals.article_generator_init.connect(use_store)
    signals.article_generator_pretaxonomy.connect(keep_articles)
    signals.finalized.connect(finish_writing)
    atexit.register(finish_writing)  # a failed run of Pelican itself (pressroom.build waits in any case)
