"""Obligations: who a "Tổ chức thực hiện" section orders to issue their own plans, proposed for an audit.

"Các huyện, thị, thành ủy, đảng ủy trực thuộc; các sở, ngành ... xây dựng kế hoạch hành động thực hiện
Kết luận số 43-KL/TW ... và Kế hoạch này" proposes that those units issue plans implementing 43-KL/TW and
the text's own document. Units given other duties (propaganda, inspection) are not proposed.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from graph.extract.models import ExtractedObligation, Reference
from graph.extract.patterns import (
    ISSUE_PLAN,
    ITEM_MARKER,
    NEXT_SECTION,
    SECTION_HEADING,
    SENTENCE_END,
    UNIT_LEVEL_HINTS,
    UNIT_VERB,
)
from graph.extract.resolve import OWN, Target
from graph.extract.tokenize import Mention
from graph.models import Relation
from graph.text import fold, squash_spaces

ISSUE_PLAN_ACTION = "issue_plan"
_UNIT_SEPARATOR = re.compile(r",|(?<!\w)(?:và|cùng)(?!\w)")
_COLLECTIVE = re.compile(r"(?:các|những)\s+\S+", re.IGNORECASE)
_CONTINUES = re.compile(r"tiếp tục thực hiện", re.IGNORECASE)


def propose_obligations(
    text: str,
    mentions: tuple[Mention, ...],
    targets: tuple[Target, ...],
    references: tuple[Reference, ...],
    own_symbol: str | None,
) -> tuple[ExtractedObligation, ...]:
    """Proposed obligations to issue plans, one per sentence of the "Tổ chức thực hiện" section that orders it."""
    heading = SECTION_HEADING.search(text)
    if heading is None:
        return ()
    following = NEXT_SECTION.search(text, heading.end())
    section_end = following.start() if following else len(text)
    starts = [m.start for m in mentions]
    proposed: list[ExtractedObligation] = []
    for start, end in _sentences(text, heading.end(), section_end):
        action = ISSUE_PLAN.search(text, start, end)
        if action is None:
            continue
        item_start = ITEM_MARKER.match(text, start, end)
        subject_start = item_start.end() if item_start else start
        verb = UNIT_VERB.search(text, subject_start, action.start() + 1)
        units = _units(text[subject_start : verb.start() if verb else action.start()])
        named = _targets(mentions, targets, references, own_symbol, starts, action.end(), end)
        if not units or not named:
            continue
        relation = Relation.continues if _CONTINUES.search(text, action.end(), end) else Relation.implements
        proposed.append(
            ExtractedObligation(
                units=tuple(units),
                levels=tuple(_level(unit) for unit in units),
                action=ISSUE_PLAN_ACTION,
                targets=named,
                relation=relation,
                evidence=squash_spaces(text[subject_start:end]),
                span=(subject_start, end),
            )
        )
    return tuple(proposed)


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for boundary in SENTENCE_END.finditer(text, start, end):
        if boundary.start() > start:
            spans.append((start, boundary.end() if boundary.group() != "\n" else boundary.start()))
        start = boundary.end()
    if end > start:
        spans.append((start, end))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _units(subject: str) -> list[str]:
    """The units a subject lists, keeping elliptical lists together: "các huyện, thị, thành ủy"."""
    units: list[str] = []
    for clause in subject.split(";"):
        open_list = False
        for piece in (squash_spaces(p) for p in _UNIT_SEPARATOR.split(clause)):
            if not piece:
                continue
            starts_new = piece[0].isupper() or _COLLECTIVE.match(piece) is not None
            if units and open_list and not starts_new:
                units[-1] = f"{units[-1]}, {piece}"
                # "các huyện, thị, thành ủy": a piece of several words completes the list.
                open_list = " " not in piece
                continue
            units.append(piece)
            open_list = _COLLECTIVE.fullmatch(piece) is not None
    return [_sentence_case(unit) for unit in units]


def _sentence_case(unit: str) -> str:
    """ "Các sở" → "các sở": a sentence's first capital is not part of a unit's name."""
    first = unit.split(" ", 1)[0]
    return unit[0].lower() + unit[1:] if first in ("Các", "Những") else unit


def _level(unit: str) -> str:
    folded = fold(unit)
    found = [(m.start(), level) for level, pattern in UNIT_LEVEL_HINTS if (m := pattern.search(folded))]
    return min(found)[1] if found else "unit"


def _targets(
    mentions: tuple[Mention, ...],
    targets: tuple[Target, ...],
    references: tuple[Reference, ...],
    own_symbol: str | None,
    starts: list[int],
    start: int,
    end: int,
) -> tuple[str, ...]:
    named: list[str] = []
    for i in range(bisect_left(starts, start), bisect_left(starts, end)):
        target = targets[i]
        symbol = own_symbol if target == OWN else references[target].symbol if target is not None else None
        if symbol and symbol not in named:
            named.append(symbol)
    return tuple(named)
