"""Obligations: who a text orders to act, proposed for an audit.

Two readers. :func:`propose_obligations` reads a "Tổ chức thực hiện" section for the units told to issue plans
for the documents it names. :func:`ordered_obligations` reads every sentence ordering units to act by a date
("các tỉnh ủy, thành ủy xây dựng kế hoạch ... trước ngày 30/6/2025", "báo cáo kết quả ... trong quý III/2025"),
taking the addressees from the "Nơi nhận" or "Kính gửi" list when the sentence names them only in general.

"Các huyện, thị, thành ủy, đảng ủy trực thuộc; các sở, ngành ... xây dựng kế hoạch hành động thực hiện
Kết luận số 43-KL/TW ... và Kế hoạch này" proposes that those units issue plans implementing 43-KL/TW and
the text's own document. Units given other duties (propaganda, inspection) are not proposed.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import Any, Literal

from graph.extract.deadlines import FoundDeadline, find_deadlines
from graph.extract.models import ExtractedObligation, Reference, Span
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
from graph.models import Document, Level, Organization, Relation
from graph.obligations import PLAN, Deadline, ObligationDraft, ObligationStatus
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


# Dated orders. The phrases are read in the folded text; a collective ("các tỉnh ủy") obliges a level, a single
# body ("Tỉnh ủy", the issuer) does not.
REPORT = "report"
ORDER_ACTIONS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        PLAN,
        re.compile(
            r"(?<!\w)(?:xay dung|ban hanh|cu the hoa(?:\s+bang)?)\s+(?:(?:cac|nhung)\s+)?"
            r"(?:chuong trinh(?:\s+hanh dong)?\s*(?:,|va|hoac)\s*)?(?:ke hoach|chuong trinh|de an)(?!\w)"
        ),
    ),
    (REPORT, re.compile(r"(?<!\w)bao cao(?!\s+so\s*\d|\s+chinh tri(?!\w))(?!\w)")),
)
LEVEL_PHRASES: tuple[tuple[Level, re.Pattern[str]], ...] = tuple(
    (level, re.compile(rf"(?<!\w)(?:{pattern})(?!\w)"))
    for level, pattern in (
        (
            Level.ministry,
            r"(?:cac\s+|(?<=,\s))(?:ban can su dang|dang doan)|(?:cac\s+)?dang uy truc thuoc trung uong"
            r"|cac\s+bo(?!\s+phan)(?:\s*,\s*(?:nganh|co quan ngang bo))*(?:\s+trung uong)?"
            r"|bo\s*,\s*nganh(?:\s+trung uong)?|co quan ngang bo",
        ),
        (
            Level.province,
            r"cac\s+tinh uy(?:\s*,\s*(?:va\s+)?thanh uy)?|tinh uy\s*,\s*(?:va\s+)?thanh uy"
            r"|cac\s+tinh\s*[,/]\s*thanh(?:\s+uy|\s+pho)?|(?:ubnd|uy ban nhan dan)\s+cac\s+tinh(?:\s*[,/]\s*thanh pho)?"
            r"|cap tinh|cac\s+thanh uy truc thuoc trung uong",
        ),
        (
            Level.district,
            r"cac\s+(?:huyen|quan|thi|thanh)\s+uy|huyen uy\s*,\s*(?:thi|thanh|quan)\s+uy|cap huyen"
            r"|cac\s+(?:huyen|quan)(?:\s*,\s*(?:huyen|quan|thi xa|thi|thanh pho|thanh))+(?:\s+uy)?"
            r"|(?:ubnd|uy ban nhan dan)\s+cac\s+(?:huyen|quan)|(?:cac\s+)?dang uy truc thuoc tinh uy",
        ),
        (
            Level.commune,
            r"cac\s+(?:xa|phuong|dac khu|thi tran)(?!\s+hoi)(?:\s*,\s*(?:xa|phuong|dac khu|thi tran))*"
            r"|(?:dang uy|ubnd|uy ban nhan dan)\s+(?:cac\s+)?(?:xa|phuong|dac khu)(?!\s+hoi)|cap xa"
            r"|cac\s+dang uy co so",
        ),
        (
            Level.unit,
            r"cac\s+so(?!\s+(?:lieu|luong))(?:\s*,\s*(?:ban|nganh))*|cac\s+ban\s*,\s*(?:so|nganh)(?:\s*,\s*nganh)?"
            r"|cac\s+doan the|cac\s+to chuc chinh tri\s*-\s*xa hoi",
        ),
    )
)
# Addressees named only in general: the text's recipients are meant.
GENERIC_ADDRESSEES = re.compile(
    r"(?<!\w)(?:cac cap uy|to chuc dang|cac co quan\s*,\s*don vi|cac dia phuong|cac don vi|cac cap\s*,\s*cac nganh)"
    r"(?!\w)"
)
# Words that may stand before an order without naming its subject: "Đề nghị ... báo cáo".
LEAD_WORDS = re.compile(r"(?<!\w)(?:de nghi|yeu cau|giao|dong thoi|dinh ky|hang nam|sau do)(?!\w)|[\W\d_]+")
# "2." or "II." opens a new item: the units a line before it introduced no longer apply.
NUMBERED_ITEM = re.compile(r"[ \t]*(?:\d+|[IVX]+)[ \t]*[.)]")
RECIPIENTS_HEADING = re.compile(r"^[ \t]*(?:noi nhan|kinh gui)[ \t]*:", re.MULTILINE)
RECIPIENT_LINE = re.compile(r"[ \t]*[-–•+*][^\n]*\n?")
_LEVEL_DEPTH = {level: depth for depth, level in enumerate(Level)}
Levels = dict[Level, list[Span]]


@dataclass(frozen=True)
class OrderedObligation:
    """Units of ``level`` told to do ``kind`` (plan, report) by a date or within days of the document's date."""

    level: Level
    units: tuple[str, ...]
    kind: str
    due: dt.date | None
    within_days: int | None
    evidence: str
    span: Span
    source: Literal["sentence", "recipients"]
    targets: tuple[str, ...] = ()
    status: str = "proposed"

    def to_dict(self) -> dict[str, Any]:
        """The shape of an extracted obligation, with its level and deadline."""
        deadline: dict[str, Any] = {"kind": self.kind, "due": self.due.isoformat() if self.due else None}
        deadline["within_days"] = self.within_days
        return {
            "units": list(self.units),
            "levels": [self.level.value],
            "action": ISSUE_PLAN_ACTION if self.kind == PLAN else self.kind,
            "targets": list(self.targets),
            "relation": Relation.implements.value,
            "deadlines": [deadline],
            "evidence": self.evidence,
            "span": list(self.span),
            "source": self.source,
            "status": self.status,
        }


def ordered_obligations(
    text: str, issued: dt.date | None, own_symbol: str | None = None
) -> tuple[OrderedObligation, ...]:
    """Every dated order in ``text``: one per obliged level and action; ``issued`` dates a year-less deadline."""
    folded = _folded(text)
    recipients = _recipient_levels(folded)
    found: list[OrderedObligation] = []
    previous: Levels = {}  # the units the sentence before named, for "Báo cáo ..." right after them
    lead: Levels = {}  # the units a line ending in ":" names, for the items under it
    for start, end in _sentences(text, 0, len(text)):
        item = ITEM_MARKER.match(text, start, end)
        subject_start = item.end() if item else start
        if NUMBERED_ITEM.match(text, start, end):
            lead = {}
        if text[start:end].rstrip().endswith(":"):
            lead, previous = _levels_in(folded, subject_start, end), {}
            continue
        actions = sorted(
            (m.start(), m.end(), kind) for kind, p in ORDER_ACTIONS for m in p.finditer(folded, start, end)
        )
        if not actions:
            previous = {}
            continue
        deadlines = find_deadlines(folded, start, end, issued)
        levels, source = _levels_in(folded, subject_start, actions[0][0]), "sentence"
        if levels:
            previous = levels
        elif _addressed_in_general(folded, subject_start, actions[0][0], deadlines):
            new_item = bool(text[start:subject_start].strip())
            levels, source = _general_addressees({} if new_item else previous, lead, recipients)
        if not deadlines:
            continue
        evidence = squash_spaces(text[subject_start:end])
        for kind, deadline in _dated_actions(actions, deadlines):
            found.extend(
                OrderedObligation(
                    level=level,
                    units=tuple(squash_spaces(text[s:e]) for s, e in spans),
                    kind=kind,
                    due=deadline.due,
                    within_days=deadline.within_days,
                    evidence=evidence,
                    span=(subject_start, end),
                    source="recipients" if source == "recipients" else "sentence",
                    targets=(own_symbol,) if own_symbol else (),
                )
                for level, spans in levels.items()
            )
    return tuple(found)


def _general_addressees(previous: Levels, lead: Levels, recipients: Levels) -> tuple[Levels, str]:
    """Whom an order addressed in general obliges: the units the sentence before named, else those of the line
    introducing its item ("Đề nghị các tỉnh ủy, thành ủy:"), else the text's recipients."""
    if previous:
        return previous, "sentence"
    if lead:
        return lead, "sentence"
    return recipients, "recipients"


def _folded(text: str) -> str:
    """``text`` folded character by character when folding the whole would move positions."""
    folded = fold(text)
    return folded if len(folded) == len(text) else "".join((fold(c) or " ")[0] for c in text)


def _levels_in(folded: str, start: int, end: int) -> Levels:
    """The levels whose collectives a stretch names, with their spans; the first pattern to claim text keeps it."""
    levels: Levels = {}
    taken: list[Span] = []
    for level, pattern in LEVEL_PHRASES:
        for match in pattern.finditer(folded, start, end):
            if not any(s < match.end() and match.start() < e for s, e in taken):
                taken.append(match.span())
                levels.setdefault(level, []).append(match.span())
    return dict(sorted(levels.items(), key=lambda item: item[1][0]))


def _recipient_levels(folded: str) -> Levels:
    """The levels the "Nơi nhận" and "Kính gửi" lists name."""
    levels: Levels = {}
    for heading in RECIPIENTS_HEADING.finditer(folded):
        line_end = folded.find("\n", heading.end())
        end = len(folded) if line_end < 0 else line_end + 1
        while (line := RECIPIENT_LINE.match(folded, end)) is not None and line.end() > end:
            end = line.end()
        for level, spans in _levels_in(folded, heading.end(), end).items():
            levels.setdefault(level, []).extend(spans)
    return levels


def _addressed_in_general(folded: str, start: int, end: int, deadlines: list[FoundDeadline]) -> bool:
    """Whether the words before the order name no unit of their own ("Đề nghị các cấp ủy ...", "Báo cáo ...")."""
    if GENERIC_ADDRESSEES.search(folded, start, end):
        return True
    words = "".join(folded[i] for i in range(start, end) if not any(s <= i < e for s, e in (d.span for d in deadlines)))
    return not LEAD_WORDS.sub("", words).strip()


def _dated_actions(
    actions: list[tuple[int, int, str]], deadlines: list[FoundDeadline]
) -> list[tuple[str, FoundDeadline]]:
    """Each action with the first deadline after it and before the next one; the first may take one before it."""
    dated: list[tuple[str, FoundDeadline]] = []
    for i, (_, action_end, kind) in enumerate(actions):
        until = actions[i + 1][0] if i + 1 < len(actions) else None
        after = [d for d in deadlines if d.span[0] >= action_end and (until is None or d.span[0] < until)]
        before = [d for d in deadlines if d.span[1] <= actions[0][0]] if i == 0 else []
        chosen = after[0] if after else before[-1] if before else None
        if chosen is not None and (kind, chosen) not in dated:
            dated.append((kind, chosen))
    return dated


def ordered_drafts(
    found: tuple[OrderedObligation, ...], document: str, unit: Organization | None
) -> list[ObligationDraft]:
    """One proposed obligation on ``document`` per level ordered, with every deadline given to that level.

    In a local text (``unit``), only the levels below the unit are obliged, and only the units under it.
    """
    by_level: dict[Level, list[OrderedObligation]] = {}
    for order in found:
        if unit is None or _LEVEL_DEPTH[order.level] > _LEVEL_DEPTH[unit.level]:
            by_level.setdefault(order.level, []).append(order)
    return [
        ObligationDraft(
            document=document,
            level=level,
            parent=unit.key if unit is not None else None,
            deadlines=[Deadline(kind=o.kind, due=o.due, within_days=o.within_days) for o in orders],
            status=ObligationStatus.proposed,
            evidence=" … ".join(dict.fromkeys(o.evidence for o in orders))[:4000],
        )
        for level, orders in by_level.items()
    ]


def with_ordered_obligations(
    drafts: list[ObligationDraft], text: str, document: Document, unit: Organization | None
) -> list[ObligationDraft]:
    """``drafts`` and the dated orders ``text`` gives for its own ``document``; a dated draft replaces an undated
    one for the same document, level and parent."""
    ordered = ordered_drafts(ordered_obligations(text, document.date, document.symbol), document.key, unit)
    dated = {(d.document, d.level, d.parent) for d in ordered}
    return [*(d for d in drafts if d.deadlines or (d.document, d.level, d.parent) not in dated), *ordered]
