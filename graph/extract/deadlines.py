"""Deadlines written in an order: "trước ngày 30/6/2025", "trong quý III/2025", "trong thời hạn 30 ngày kể từ ngày ký".

The patterns read the folded text (lowercase, no diacritics), whose positions are those of the NFC text.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

# "trước ngày 30/6/2025", "chậm nhất ngày 15-01-2026", "trước 31-12-2025", "trước ngày 10/6" (the year of issue).
DAY_BEFORE = re.compile(
    r"(?<!\w)(?:truoc|cham nhat(?:\s+la)?(?:\s+vao)?|muon nhat(?:\s+la)?|han chot(?:\s+la)?|den het)\s+"
    r"(?:ngay\s+(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})(?:\s*[/.-]\s*(?P<y>\d{4}))?(?![\d/])"
    r"|(?P<d2>\d{1,2})\s*[/.-]\s*(?P<m2>\d{1,2})\s*[/.-]\s*(?P<y2>\d{4}))"
)
# "trước ngày 30 tháng 6 năm 2025".
DAY_IN_WORDS = re.compile(
    r"(?<!\w)(?:truoc|cham nhat(?:\s+la)?(?:\s+vao)?|muon nhat(?:\s+la)?|den het)\s+ngay\s+(?P<d>\d{1,2})\s+"
    r"thang\s+(?P<m>\d{1,2})(?:\s+nam\s+(?P<y>\d{4}))?"
)
# "trong quý III/2025", "hoàn thành trong quý III năm 2019", "trước quý IV/2025" (by the end of the quarter before).
QUARTER = re.compile(
    r"(?<!\w)(?P<k>truoc|trong|het|cuoi|hoan thanh|xong)\s+qu[yi]\s+(?P<q>iv|i{1,3}|[1-4])"
    r"\s*(?:/|-|\s+nam\s+|\s+)(?P<y>\d{4})"
)
# "trong tháng 6/2025", "trước tháng 9 năm 2025" (by the end of August).
MONTH = re.compile(r"(?<!\w)(?P<k>truoc|trong|het|cuoi|xong)\s+thang\s+(?P<m>\d{1,2})\s*(?:/|-|\s+nam\s+)(?P<y>\d{4})")
# "hoàn thành trong năm 2025", "trước năm 2026"; a period ("năm 2021-2025") is no deadline.
YEAR = re.compile(r"(?<!\w)(?P<k>truoc|trong|het|cuoi)\s+nam\s+(?P<y>(?:19|20)\d{2})(?!\s*[-–]\s*\d)")
# "trong thời hạn 30 ngày kể từ ngày ký"; working days are not calendar days, so they are left out.
RELATIVE = re.compile(
    r"(?<!\w)trong\s+(?:thoi han\s+|vong\s+|thoi gian\s+)?(?P<n>\d{1,3})\s+ngay(?!\s+lam viec)\s*,?\s*"
    r"(?:ke tu|tinh tu)\s+ngay\s+(?:ky|ban hanh)"
)
_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}


@dataclass(frozen=True)
class FoundDeadline:
    """A deadline met at ``span``: a date, or a number of days from the document's date."""

    due: dt.date | None
    within_days: int | None
    span: tuple[int, int]


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _month_end(year: int, month: int) -> dt.date | None:
    return _date(year, month, calendar.monthrange(year, month)[1]) if 1 <= month <= 12 else None


def _day(match: re.Match[str], issued: dt.date | None) -> dt.date | None:
    day, month = int(match["d"] or match["d2"]), int(match["m"] or match["m2"])
    year = match["y"] or match.groupdict().get("y2")
    if year is not None:
        return _date(int(year), month, day)
    if issued is None:
        return None
    due = _date(issued.year, month, day)
    # "trước ngày 10/1" in a December text is next January.
    return _date(issued.year + 1, month, day) if due is not None and due < issued else due


def _quarter(match: re.Match[str], _: dt.date | None) -> dt.date | None:
    quarter, year = _QUARTERS[match["q"]], int(match["y"])
    if match["k"] == "truoc":
        return dt.date(year, 3 * quarter - 2, 1) - dt.timedelta(days=1)
    return _month_end(year, 3 * quarter)


def _month(match: re.Match[str], _: dt.date | None) -> dt.date | None:
    month, year = int(match["m"]), int(match["y"])
    if match["k"] == "truoc":
        return dt.date(year, month, 1) - dt.timedelta(days=1) if 1 <= month <= 12 else None
    return _month_end(year, month)


def _year(match: re.Match[str], _: dt.date | None) -> dt.date | None:
    year = int(match["y"])
    return _date(year - 1 if match["k"] == "truoc" else year, 12, 31)


_DATED: tuple[tuple[re.Pattern[str], Callable[[re.Match[str], dt.date | None], dt.date | None]], ...] = (
    (DAY_BEFORE, _day),
    (DAY_IN_WORDS, _day),
    (QUARTER, _quarter),
    (MONTH, _month),
    (YEAR, _year),
)


def find_deadlines(folded: str, start: int, end: int, issued: dt.date | None) -> list[FoundDeadline]:
    """Every deadline written in ``folded[start:end]``, in text order; a year-less day takes the year of issue."""
    found: list[FoundDeadline] = []
    taken: list[tuple[int, int]] = []
    for pattern, convert in _DATED:
        for match in pattern.finditer(folded, start, end):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue  # "trước ngày 30/6/2025" is not also "trong năm ..." of a longer phrase
            due = convert(match, issued)
            if due is not None:
                found.append(FoundDeadline(due, None, match.span()))
                taken.append(match.span())
    for match in RELATIVE.finditer(folded, start, end):
        found.append(FoundDeadline(None, int(match["n"]), match.span()))
    return sorted(found, key=lambda d: d.span)
