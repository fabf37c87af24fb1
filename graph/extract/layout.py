"""Page layout around a document: validity-history tables and page chrome.

A legal database lists, under headings, the documents related to the page's document, one per row. A
heading that describes the page's document ("Được sửa đổi, bổ sung bởi", "Bị thay thế") makes each row the
source; a heading that describes the rows ("Văn bản bị thay thế", "Văn bản được hướng dẫn") makes the page's
document the source. Chrome ("Tin liên quan", "Văn bản liên quan", "Xem thêm", breadcrumbs) names documents
the text does not relate to: nothing is linked from there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from graph.extract.models import ExtractedLink, Reference
from graph.extract.patterns import LinePattern
from graph.extract.resolve import OWN, Target
from graph.extract.tokenize import Mention
from graph.models import Relation
from graph.text import fold, squash_spaces

VALIDITY_CONFIDENCE = 0.85
MAX_ROWS = 40
_BULLET = re.compile(r"^[\s•*+\-–>]*")
_WORDS = re.compile(r"[^\w]+")
# Folded headings (after bullets, without a final ":"), each with its relation and whether the rows are the source.
_STATUS = r"(?:(?:da\s+)?(?:duoc|bi)\s+)"
VALIDITY_HEADINGS: tuple[tuple[re.Pattern[str], Relation, bool], ...] = tuple(
    (re.compile(f"(?:{pattern})" + r"(?:\s+(?:boi|theo|tai))?(?:\s+van ban)?"), relation, rows_are_source)
    for pattern, relation, rows_are_source in (
        (rf"{_STATUS}sua doi(?: bo sung)?|{_STATUS}bo sung|{_STATUS}dinh chinh", Relation.amends, True),
        (rf"{_STATUS}thay the", Relation.replaces, True),
        (
            rf"{_STATUS}(?:bai bo|huy bo|het hieu luc)(?: mot phan| toan bo)?|het hieu luc mot phan",
            Relation.repeals,
            True,
        ),
        (rf"{_STATUS}huong dan(?: thi hanh)?|{_STATUS}quy dinh chi tiet", Relation.guides, True),
        (r"van ban (?:bi|duoc) (?:sua doi(?: bo sung)?|bo sung|dinh chinh)", Relation.amends, False),
        (r"van ban sua doi(?: bo sung)?|van ban bo sung|van ban dinh chinh", Relation.amends, True),
        (r"van ban (?:bi|duoc) thay the", Relation.replaces, False),
        (r"van ban thay the(?: huy bo)?(?: dinh chi)?", Relation.replaces, True),
        (r"van ban (?:bi|duoc) (?:bai bo|huy bo|dinh chi|het hieu luc)", Relation.repeals, False),
        (r"van ban (?:bai bo|huy bo|dinh chi)", Relation.repeals, True),
        (r"van ban duoc huong dan|van ban duoc quy dinh chi tiet", Relation.guides, False),
        (r"van ban huong dan|van ban quy dinh chi tiet", Relation.guides, True),
        (r"van ban can cu", Relation.based_on, False),
        (r"van ban duoc can cu", Relation.based_on, True),
        (r"van ban dan chieu", Relation.cites, False),
    )
)
CHROME_HEADINGS = re.compile(
    r"(?:tin|bai viet|van ban|vb|bai|tin tuc)(?: lien quan| cung chuyen muc| khac| moi hon| cu hon| da dua| moi)"
    r"|xem them|doc them|co the ban quan tam|cung chuyen muc|cac tin khac|tin noi bat|tin xem nhieu|tag|tu khoa"
)
_CHROME_LINE = re.compile(r"^\s*(?:>>|»|Xem thêm\s*:|Tin liên quan\s*:|Đọc thêm\s*:|Trang chủ\s*[>»/|])", re.IGNORECASE)
_LONG_PARAGRAPH = 300
# What a heading or chrome line may start with (checked before anything costlier): most lines fail at once.
_HEADING_START = LinePattern.compile(
    r"^[ \t•*+\-–]*(?:>>|»|(?i:văn bản|vb|được|bị|đã|tin|bài|xem|đọc|có thể|cùng|các tin|tag|từ khóa|trang chủ|hết))"
)
_MAX_HEADING = 90
# A related-news line's stamp: "(15/03/2024)", "15/03/2024 08:30", "08:30 15/03/2024". Each scan starts at a
# literal ("(" or ":"), the date around a time is checked only there.
_DATE_IN_PARENTHESES = re.compile(r"\(\d{1,2}/\d{1,2}/\d{4}\)")
_TIME = re.compile(r":\d\d(?!\d)")
_DATE_BEFORE_TIME = re.compile(r"\d{1,2}/\d{1,2}/\d{4}\s*[-|]?\s*\d{1,2}\Z")
_TIME_THEN_DATE = re.compile(r"\s*[-|,]?\s*\d{1,2}/\d{1,2}/\d{4}")
_NEWS_LINE = 220


@dataclass(frozen=True)
class Section:
    """A run of lines under a heading: ``relation`` for a validity table, ``None`` for chrome."""

    start: int
    end: int
    relation: Relation | None
    rows_are_source: bool = False


def sections(text: str) -> tuple[Section, ...]:
    """Validity tables and chrome blocks of the text, and single chrome lines (">> ...", breadcrumbs)."""
    found: list[Section] = list(_dated_runs(text))
    if not _HEADING_START.search(text):
        return tuple(found)
    lines = _lines(text)
    for index, (start, end) in enumerate(lines):
        if end - start > _MAX_HEADING or not _HEADING_START.match(text, start, end):
            continue
        line = text[start:end]
        if _CHROME_LINE.search(line):
            found.append(Section(start, end, None))
            continue
        heading = _heading(line)
        if heading is None:
            continue
        relation, rows_are_source = heading
        found.append(Section(end, _section_end(text, lines, index), relation, rows_are_source))
    return tuple(found)


def _dated_runs(text: str) -> list[Section]:
    """Runs of two or more short lines stamped with a date and time, or a parenthesized date: related news."""
    stamped: list[tuple[int, int]] = []
    for stamp in sorted((*_DATE_IN_PARENTHESES.finditer(text), *_dated_times(text)), key=lambda m: m.start()):
        start = text.rfind("\n", 0, stamp.start()) + 1
        end = text.find("\n", stamp.end())
        end = len(text) if end < 0 else end
        if end - start <= _NEWS_LINE and (not stamped or stamped[-1][0] != start):
            stamped.append((start, end))
    runs: list[Section] = []
    for (start, end), (next_start, next_end) in pairwise(stamped):
        if not text[end:next_start].strip():
            if runs and runs[-1].end == end:
                runs[-1] = Section(runs[-1].start, next_end, None)
            else:
                runs.append(Section(start, next_end, None))
    return runs


def _dated_times(text: str) -> list[re.Match[str]]:
    return [
        time
        for time in _TIME.finditer(text)
        if _DATE_BEFORE_TIME.search(text, max(0, time.start() - 20), time.start())
        or _TIME_THEN_DATE.match(text, time.end())
    ]


def _lines(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _heading(line: str) -> tuple[Relation | None, bool] | None:
    words = _WORDS.sub(" ", fold(_BULLET.sub("", line)).lower()).strip()
    if not words or len(words) > 60:
        return None
    if CHROME_HEADINGS.fullmatch(words):
        return None, False
    for pattern, relation, rows_are_source in VALIDITY_HEADINGS:
        if pattern.fullmatch(words):
            return relation, rows_are_source
    return None


def _section_end(text: str, lines: list[tuple[int, int]], index: int) -> int:
    """Where the rows under heading ``index`` end: the next heading, a long paragraph, or the row limit."""
    end = lines[index][1]
    for start, line_end in lines[index + 1 : index + 1 + MAX_ROWS]:
        line = text[start:line_end]
        if len(line) > _LONG_PARAGRAPH or (len(line) <= _MAX_HEADING and _heading(line) is not None):
            break
        end = line_end
    return end


def table_links(
    text: str,
    found: tuple[Section, ...],
    mentions: tuple[Mention, ...],
    targets: tuple[Target, ...],
    references: tuple[Reference, ...],
    own_symbol: str | None,
) -> tuple[ExtractedLink, ...]:
    """One link per validity-table row: the row's first document and the page's own document."""
    if own_symbol is None:
        return ()
    links: list[ExtractedLink] = []
    seen_lines: set[int] = set()
    for section in (s for s in found if s.relation is not None):
        assert section.relation is not None
        for i, mention in enumerate(mentions):
            target = targets[i]
            if not section.start <= mention.start < section.end or target is None or target == OWN:
                continue
            line_start = text.rfind("\n", 0, mention.start) + 1
            if line_start in seen_lines:
                continue
            seen_lines.add(line_start)
            row = references[target].symbol
            source, other = (row, own_symbol) if section.rows_are_source else (own_symbol, row)
            evidence = squash_spaces(text[line_start : mention.end])
            links.append(
                ExtractedLink(source, section.relation, other, evidence, VALIDITY_CONFIDENCE, (line_start, mention.end))
            )
    return tuple(links)


def with_layout(
    links: tuple[ExtractedLink, ...], found: tuple[Section, ...], table: tuple[ExtractedLink, ...]
) -> tuple[ExtractedLink, ...]:
    """``links`` less those ending in chrome or in a table row, then the table's links."""
    spans = [(s.start, s.end) for s in found]
    kept = tuple(link for link in links if not any(start <= link.span[1] - 1 < end for start, end in spans))
    known = {(link.source, link.target) for link in kept}
    return kept + tuple(link for link in table if (link.source, link.target) not in known)
