"""Each date formatted once per format: Pelican formats the same dates over and over.

A release's URL and file name carry its date (``{date:%Y}/{date:%m}/{slug}/``), and
Pelican formats them again every time it asks for either: 65,000 calls to its own
``strftime`` (a regular expression pass and a ``datetime.strftime`` per directive)
before the first page is rendered, at 5,000 releases. The text follows from the date,
its time zone and the format alone, so it is remembered by those.
"""

from __future__ import annotations

from typing import Any

from pelican.utils import SafeDatetime

pelicans_strftime = SafeDatetime.strftime

#: (format, date, its tzinfo, its fold) -> text. Equal aware dates in other zones are other keys.
_formatted: dict[tuple[Any, ...], str] = {}
#: A dev server formats new dates build after build: start afresh past this many.
MAX_REMEMBERED = 500_000


def remembered_strftime(self: SafeDatetime, fmt: str, safe: bool = True) -> str:
    """Pelican's ``SafeDatetime.strftime``, remembered for each date and format."""
    if not safe:
        return pelicans_strftime(self, fmt, safe=False)
    key = (fmt, self, self.tzinfo, self.fold)
    text = _formatted.get(key)
    if text is None:
        if len(_formatted) >= MAX_REMEMBERED:
            _formatted.clear()
        text = _formatted[key] = pelicans_strftime(self, fmt)
    return text


def register() -> None:
    """Have every date Pelican reads remember its formatted text."""
    SafeDatetime.strftime = remembered_strftime
