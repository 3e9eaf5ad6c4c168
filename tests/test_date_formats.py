"""A remembered date text is always the one Pelican's strftime gives."""

from __future__ import annotations

from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

from pelican.utils import SafeDatetime

from plugins.date_formats import pelicans_strftime, remembered_strftime

FORMATS = ("%Y", "%m", "%-d/%-m/%Y %H:%M %Z", "%a %d %B %Y", "%e %k %%")


def test_the_same_text_as_pelican_for_each_date_zone_and_format():
    hanoi = SafeDatetime(2025, 3, 9, 7, 5, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    same_instant_in_utc = hanoi.astimezone(UTC)
    assert same_instant_in_utc == hanoi  # equal as instants: the zone must still tell them apart
    dates = [hanoi, same_instant_in_utc, hanoi + timedelta(days=300), SafeDatetime(2019, 12, 31, 23, 59)]
    for date in dates:
        for fmt in FORMATS:
            expected = pelicans_strftime(date, fmt)
            assert remembered_strftime(date, fmt) == expected
            assert remembered_strftime(date, fmt) == expected  # remembered
            assert remembered_strftime(date, fmt, safe=False) == pelicans_strftime(date, fmt, safe=False)
    assert remembered_strftime(hanoi, "%H %Z") != remembered_strftime(same_instant_in_utc, "%H %Z")
