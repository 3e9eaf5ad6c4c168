"""The build's "now", which decides what is under embargo.

Reproducible builds and tests set ``SOURCE_DATE_EPOCH`` (the reproducible-builds.org
convention); otherwise the clock is used.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

from pressroom.config import SettingsError


def build_now(environ: dict[str, str] | None = None) -> datetime:
    environ = os.environ if environ is None else environ
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=UTC)
        except (ValueError, OverflowError, OSError) as exc:
            raise SettingsError(
                f"SOURCE_DATE_EPOCH={epoch!r} is not a Unix timestamp "
                "(set it to whole seconds since 1970-01-01, e.g. $(date +%s))"
            ) from exc
    return datetime.now(tz=UTC)


def local_now(timezone: str | None = None) -> datetime:
    """The build's "now" as naive Hanoi wall time, the way release Dates are written."""
    from zoneinfo import ZoneInfo

    return build_now().astimezone(ZoneInfo(timezone or "Asia/Ho_Chi_Minh")).replace(tzinfo=None, microsecond=0)
