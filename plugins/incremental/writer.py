"""Pelican's writer, made to skip pages whose key is unchanged and to keep unchanged bytes."""

from __future__ import annotations

import logging
import os

from pelican import signals
from pelican.paginator import Paginator
from pelican.utils import sanitised_join
from pelican.writers import FileOverwriteFailedError, Writer

from .keys import render_key
from .ledger import Ledger
from .template_keys import TemplateKeys

logger = logging.getLogger(__name__)


class _Reused(str):
    """What a skipped render returns: the file is already linked in place."""


REUSED = _Reused("")


class _KeyedTemplate:
    """Stands in for a template in Pelican's writer: renders only when the page's key changed."""

    def __init__(self, template, writer: ReusingWriter):
        self.template = template
        self.writer = writer

    def render(self, localcontext) -> str:
        relative = localcontext["output_file"]
        key = render_key(localcontext, self.writer.template_keys.for_template(self.template.name))
        self.writer.keys[relative] = key
        if self.writer.ledger.reuse(relative, key):
            return REUSED
        return self.template.render(localcontext)


class _LedgerFile:
    """What Pelican's writer writes a page into: the ledger decides how it lands."""

    def __init__(self, writer: ReusingWriter, path: str):
        self.writer = writer
        self.path = path
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        self.parts.append(text)

    def __enter__(self) -> _LedgerFile:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is not None:
            return
        relative = os.path.relpath(self.path, self.writer.output_path).replace(os.sep, "/")
        key = self.writer.keys.pop(relative, None)
        if len(self.parts) == 1 and isinstance(self.parts[0], _Reused):
            return
        self.writer.ledger.write(relative, "".join(self.parts).encode("utf-8"), key)


class ReusingWriter(Writer):
    """A writer that renders a page only if what it shows changed since the live output."""

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self.ledger = Ledger(self.settings, output_path)
        self.template_keys = TemplateKeys(self.settings)
        self.keys: dict[str, str | None] = {}

    def owns(self, path: str) -> bool:
        """Whether this process writes ``path`` (plugins/parallel's workers each own a share)."""
        return True

    def paged_listing(self, args, kwargs) -> Paginator | None:
        """The paginator of a listing written page by page here, not by Pelican's paginated writing."""
        listing, paginated, kind = kwargs.get("listing"), kwargs.get("paginated"), kwargs.get("template_name")
        templates = self.settings["PAGINATED_TEMPLATES"]
        if args or listing is None or not paginated or list(paginated) != ["articles"] or kind not in templates:
            return None
        per_page = templates[kind] or self.settings["DEFAULT_PAGINATION"]
        return Paginator(listing.save_as, kwargs.get("url"), paginated["articles"], self.settings, per_page)

    def write_file(self, name, template, context, *args, **kwargs):
        paginator = self.paged_listing(args, kwargs) if name else None
        if paginator is not None:
            if not self._reused_listing(paginator, template, context, kwargs):
                self._write_listing(paginator, template, context, kwargs)
            return None
        if name and not args and self._reused_page(name, template, context, kwargs):
            return None
        return super().write_file(name, _KeyedTemplate(template, self), context, *args, **kwargs)

    def _write_listing(self, paginator: Paginator, template, context, kwargs) -> None:
        """The pages of a listing this process owns, each as Pelican's paginated writing makes it.

        Page by page, not the whole listing in one process: a new release shifts every page of
        the listings it joins (243 home pages at 5,000 releases), and one process rendered them
        all while the other waited.
        """
        kwargs = {k: v for k, v in kwargs.items() if k not in {"paginated", "template_name"}}
        keyed = _KeyedTemplate(template, self)
        for number in range(1, paginator.num_pages + 1):
            page = paginator.page(number)
            if not self.owns(page.save_as):
                continue
            super().write_file(
                page.save_as,
                keyed,
                context,
                articles_paginator=paginator,
                articles_page=page,
                articles_previous_page=paginator.page(number - 1) if number > 1 else None,
                articles_next_page=paginator.page(number + 1) if number < paginator.num_pages else None,
                **kwargs,
            )

    def _linked(self, path: str, override: bool = False) -> None:
        """A file linked from the live output counts as written, as Pelican's writer would count it."""
        if override:
            self._overridden_files.add(path)
        self._written_files.add(path)
        logger.info('Writing "%s"', path)
        signals.content_written.send(path, context=None)

    def _fresh(self, path: str) -> bool:
        return path not in self._written_files and path not in self._overridden_files

    def _reused_page(self, name: str, template, context, kwargs) -> bool:
        """A release's or page's own file, linked from the live output without Pelican's writer.

        Most pages of a rebuild are linked, and the writer's work around a render (a copy of
        the whole context, its folder, its paths: about 150 us) cost more than the key.
        Pelican's rules still hold: the file counts as written, once.
        """
        item = kwargs.get("article") or kwargs.get("page")
        if item is None or kwargs.get("paginated") or kwargs.get("template_name"):
            return False
        path = sanitised_join(self.output_path, name)
        if not self._fresh(path):
            return False  # let Pelican's writer apply its rule on writing a file twice
        key = render_key({"site": context.get("site"), **kwargs}, self.template_keys.for_template(template.name))
        if not self.ledger.reuse(name.replace(os.sep, "/"), key):
            return False
        self._linked(path, bool(kwargs.get("override_output")))
        return True

    def _reused_listing(self, paginator: Paginator, template, context, kwargs) -> bool:
        """Every page of a paginated listing this process owns linked from the live output, if none of them
        changed.

        A rebuild links a thousand listing pages per process, each through Pelican's paginated
        writing (a paginator, a copy of the whole context per page). Here the pages are paged
        as Pelican pages them, and all are linked, or none: one that changed, and the listing
        is written page by page (its unchanged pages are still linked, by the key).
        """
        site, found, listing = context.get("site"), [], kwargs["listing"]
        build = self.template_keys.for_template(template.name)
        for number in range(1, paginator.num_pages + 1):
            page = paginator.page(number)
            if not self.owns(page.save_as):
                continue
            relative = page.save_as.replace(os.sep, "/")
            path = sanitised_join(self.output_path, page.save_as)
            key = render_key({"site": site, "listing": listing, "articles_page": page}, build)
            source = self.ledger.reusable(relative, key) if self._fresh(path) else None
            if source is None:
                return False
            found.append((relative, path, key, source))
        for relative, path, key, source in found:
            if not self.ledger.link(relative, key, source):
                return False  # something there already: written page by page, Pelican's writer sorts it out
            self._linked(path, bool(kwargs.get("override_output")))
        return True

    def _open_w(self, filename, encoding, override=False):
        # Pelican's rule: one write per file unless a write asks to override.
        if filename in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(f'Failed to overwrite "{filename}" a second time')
            logger.info('Skipping "%s", not overwriting', filename)
            return open(os.devnull, "w", encoding=encoding)
        if filename in self._written_files and not override:
            raise FileOverwriteFailedError(f'Failed to overwrite "{filename}": it was written before in this build')
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        return _LedgerFile(self, filename)
