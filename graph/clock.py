"""The one clock and the one time format: UTC ISO 8601 ending in ``Z``, fixed width, so text order is time order."""

from __future__ import annotations

import datetime as dt


def timestamp(at: dt.datetime | None = None) -> str:
    """UTC time (now unless ``at``) as fixed-width ISO text ending in ``Z``."""
    utc = (at or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    return utc.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def iso_day(day: dt.date | None) -> str | None:
    """A date as ISO text, None kept."""
    return day.isoformat() if day else None


def parse_day(value: str | None) -> dt.date | None:
    """An ISO date from stored text, None (or empty) kept as None."""
    return dt.date.fromisoformat(value) if value else None


def today() -> dt.date:
    """Today's UTC day: the default day a status is computed for."""
    return dt.datetime.now(dt.UTC).date()
