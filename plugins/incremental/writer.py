"""Pelican's writer, made to skip pages whose key is unchanged and to keep unchanged bytes."""

from __future__ import annotations

import logging
import os

from pelican.writers import FileOverwriteFailedError, Writer

from .keys import build_key, render_key
from .ledger import Ledger

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
        key = render_key(localcontext, self.writer.build_key)
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
        self.build_key = build_key(self.settings)
        self.keys: dict[str, str | None] = {}

    def write_file(self, name, template, *args, **kwargs):
        return super().write_file(name, _KeyedTemplate(template, self), *args, **kwargs)

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
