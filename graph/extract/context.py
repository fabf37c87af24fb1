"""What the words after a mention say about the document: date, issuer, term and subject.

"Kết luận số 43-KL/TW, ngày 7-1-2019 của Ban Bí thư (khóa XII) về tiếp tục thực hiện Nghị quyết số 25-NQ/TW ..."
gives the date, the issuer, the term and the subject; the subject is also the *statement* of the mention:
a document mentioned inside it is the object of what this document says (43-KL/TW continues 25-NQ/TW).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from graph.extract.patterns import (
    CLAUSE_MARKS,
    COORDINATION,
    GOVERNING_CUE,
    ISSUER_BEFORE,
    ISSUER_BEFORE_WINDOW,
    ISSUER_VERB_BEFORE,
    OPENING_QUOTES,
    SUBJECT_EVENT,
    SUBJECT_LEAD,
    TAIL_DATE,
    TAIL_ISSUER,
    TAIL_TERM,
    UPPER,
)
from graph.extract.tokenize import Mention
from graph.text import squash_spaces

MAX_SUBJECT = 400
# The rest of a ministry's name after its comma: "Bộ Lao động|, Thương binh và Xã hội".
_MINISTRY_REST = re.compile(rf",\s*[{UPPER}]\w*(?:\s+\w+)?\s+và\s+[{UPPER}]\w*(?:\s+[{UPPER}]?\w+)?(?=[\s,;.(])")
# Wording that opens a statement and governs every document it names: "sửa đổi, bổ sung ... tại Nghị định B".
LEAD_CUE = re.compile(
    r"(?P<amends>(?:hướng\s+dẫn\s+)?(?:sửa\s+đổi,?\s+bổ\s+sung|sửa\s+đổi|bổ\s+sung))|(?P<replaces>thay\s+thế)"
    r"|(?P<repeals>bãi\s+bỏ)|(?P<guides>hướng\s+dẫn|quy\s+định\s+chi\s+tiết)(?!\w)",
    re.IGNORECASE,
)
# A "Căn cứ" clause's start anywhere ("- Căn cứ ...", a flattened preamble), and what ends the clause: an item
# ending its line ("...;\n"), a blank line, a sentence end or a colon.
BASIS_START = re.compile(r"(?<!\w)(?:Căn cứ|CĂN CỨ)(?:\s+vào)?(?!\w)")
BASIS_END = re.compile(r"[;,.:]\s*\n|\n[ \t]*\n|[.:](?=\s)")
BASIS_WINDOW = 800
CUE_WINDOW = 100
_CLAUSE_MARK = re.compile("|".join(map(re.escape, CLAUSE_MARKS)))
_OF = re.compile(r"(?<!\w)của\s+")
_CLOSING_PAREN = re.compile(r"\s*\)")
_JOINING_WORDS = ("và", "hoặc", "cùng")
_TRAILING_JUNK = re.compile(rf"(?:[\s,;:\-]|(?<!\w)(?:{'|'.join(_JOINING_WORDS)})(?!\w))+\Z", re.IGNORECASE)
# The characters trailing junk ends with: a subject ending otherwise is not searched for it.
_JUNK_END = re.compile(rf"[\s,;:\-{''.join(word[-1] for word in _JOINING_WORDS)}]", re.IGNORECASE)


# Not frozen: one is built per mention, and a frozen dataclass is ten times slower to build.
@dataclass(slots=True)
class Context:
    """The tail of one mention. ``statement`` is the span of its subject; ``end`` where the tail ends."""

    end: int
    date: dt.date | None = None
    issuer: str | None = None
    term: str | None = None
    subject: str | None = None
    about: bool = False
    statement: tuple[int, int] | None = None

    @property
    def is_bare(self) -> bool:
        """Nothing follows the mention: a list item whose issuer may be stated once for the whole list."""
        return self.date is None and self.issuer is None and self.term is None and self.subject is None


def read_contexts(text: str, mentions: tuple[Mention, ...]) -> tuple[Context, ...]:
    """The context of every mention (right to left, so that a subject can step over the tails it contains)."""
    contexts: list[Context | None] = [None] * len(mentions)
    for i in range(len(mentions) - 1, -1, -1):
        mention = mentions[i]
        if mention.kind in ("symbol", "short"):
            context = _tail(text, mentions, contexts, i)
        else:
            context = Context(end=mention.end)
        contexts[i] = _with_list_issuer(text, mentions, contexts, i, context)
    return tuple(c for c in contexts if c is not None)


def parse_date(m: re.Match[str]) -> dt.date | None:
    """The date a :data:`DATE` (or :data:`TAIL_DATE`) match denotes, or ``None`` for an impossible one (31-2-2019)."""
    day, month, year = (m["day"], m["month"], m["year"]) if m["day"] else (m["wday"], m["wmonth"], m["wyear"])
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def clause_start(text: str, position: int) -> int:
    """Where the clause holding ``position`` starts, looking back no further than the cue window."""
    start = max(0, position - CUE_WINDOW)
    for mark in _CLAUSE_MARK.finditer(text, start, position):
        start = mark.end()
    return start


def basis_clause(text: str, position: int) -> int | None:
    """The start of the "Căn cứ A; B; và C" clause holding ``position``, over soft line wraps, if any."""
    low = max(0, position - BASIS_WINDOW)
    start = max(text.rfind("Căn cứ", low, position), text.rfind("CĂN CỨ", low, position))
    if start < 0 or not BASIS_START.match(text, start) or BASIS_END.search(text, start, position):
        return None
    return start


def governs(text: str, start: int, position: int) -> re.Match[str] | None:
    """The relation wording that directly governs a mention beginning at ``position``, looking back to ``start``."""
    return GOVERNING_CUE.search(text, max(start, position - CUE_WINDOW), position)


def _tail(text: str, mentions: tuple[Mention, ...], contexts: list[Context | None], i: int) -> Context:
    mention = mentions[i]
    pos = mention.end
    opened = "(" in text[mention.phrase_start : mention.start]
    date: dt.date | None = None
    issuer: str | None = None
    term: str | None = None
    for _ in range(3):
        if date is None and (found := TAIL_DATE.match(text, pos)):
            date, pos = parse_date(found), found.end()
            opened = opened or "(" in found["lead"]
            if opened and (close := _CLOSING_PAREN.match(text, pos)):
                pos, opened = close.end(), False
        elif issuer is None and (of := TAIL_ISSUER.match(text, pos)):
            issuer, pos = of["issuer"].rstrip(" -"), of.end()
            if issuer.startswith("Bộ ") and (more := _MINISTRY_REST.match(text, pos)):
                issuer, pos = f"{issuer}{squash_spaces(more.group())}", more.end()
        elif term is None and (kh := TAIL_TERM.match(text, pos)):
            term, pos = (kh["term"] or kh["bare_term"]).upper(), kh.end()
        else:
            break
    if issuer is None:
        issuer = _issuer_named_before(text, mention.phrase_start)
    lead = SUBJECT_LEAD.match(text, pos)
    if lead is None:
        return Context(end=pos, date=date, issuer=issuer, term=term)
    start = lead.end()
    end = _subject_end(text, mentions, contexts, i, start)
    if end <= start:
        return Context(end=pos, date=date, issuer=issuer, term=term)
    subject = squash_spaces(text[start:end])
    return Context(end, date, issuer, term, subject, lead["about"] is not None, (start, end))


def _issuer_named_before(text: str, position: int) -> str | None:
    """The issuer a clause names before the mention: "Ủy ban nhân dân tỉnh đã có Công văn số ..."."""
    if not ISSUER_VERB_BEFORE.search(text, max(0, position - 20), position):
        return None
    found = ISSUER_BEFORE.search(text, max(0, position - ISSUER_BEFORE_WINDOW), position)
    return _OF.split(found["issuer"])[-1] if found else None


def _subject_end(text: str, mentions: tuple[Mention, ...], contexts: list[Context | None], i: int, start: int) -> int:
    """Where the subject starting at ``start`` ends.

    It runs to the end of its clause, over parentheses and quotations, and over the documents it
    governs ("về tiếp tục thực hiện Nghị quyết số 25-NQ/TW ..."); it stops before a document that
    merely follows it in a list ("..., Quyết định số 290-QĐ/TW").
    """
    limit = min(len(text), start + MAX_SUBJECT)
    pos = start
    j = i + 1
    lead = LEAD_CUE.match(text, start)
    # Where the last document the subject governs ends, and its type: a coordinated one of that type follows it
    # ("sửa đổi Nghị định A ... và Nghị định B"); one of another type belongs to an outer list.
    included_end, included_type = -1, None
    while pos < limit:
        event = SUBJECT_EVENT.search(text, pos, limit)
        event_pos = event.start() if event else limit
        while j < len(mentions) and mentions[j].phrase_start < pos:
            j += 1
        if j < len(mentions) and mentions[j].phrase_start < event_pos:
            nested, nested_context = mentions[j], contexts[j]
            if (
                nested.kind in ("this", "anaphora")
                or (included_end < 0 and _led(lead, mentions[i], nested))
                or governs(text, start, nested.phrase_start)
                or (
                    included_end >= 0
                    and nested.type == included_type
                    and COORDINATION.fullmatch(text, included_end, nested.phrase_start)
                )
            ):
                pos = included_end = max(nested.end, nested_context.end if nested_context else nested.end)
                included_type = nested.type
                j += 1
                continue
            return _trimmed(text, start, nested.phrase_start)
        if event is None:
            return _trimmed(text, start, limit)
        opening = event.group()
        if opening == "(" or opening in OPENING_QUOTES:
            close = text.find(")" if opening == "(" else OPENING_QUOTES[opening], event.end(), limit)
            if close < 0:
                return _trimmed(text, start, event.start())
            pos = close + 1
            continue
        # "hướng dẫn sửa đổi Khoản 2 Mục III, Thông tư số 04/...": the wording's object after a comma.
        nested_after = j < len(mentions) and mentions[j].phrase_start == event.end()
        if opening.startswith(",") and included_end < 0 and nested_after and _led(lead, mentions[i], mentions[j]):
            pos = event.end()
            continue
        return _trimmed(text, start, event.start())
    return _trimmed(text, start, limit)


def _led(lead: re.Match[str] | None, owner: Mention, nested: Mention) -> bool:
    """Whether a statement's opening wording governs the first document it names (a decree details a law, not a
    decree of its own kind: "Nghị định A quy định chi tiết ... và Nghị định B" lists B beside A)."""
    return lead is not None and (lead.lastgroup != "guides" or nested.type != owner.type)


def _trimmed(text: str, start: int, end: int) -> int:
    if end <= start or not _JUNK_END.match(text, end - 1):
        return end
    junk = _TRAILING_JUNK.search(text, start, end)
    return junk.start() if junk else end


def _with_list_issuer(
    text: str, mentions: tuple[Mention, ...], contexts: list[Context | None], i: int, context: Context
) -> Context:
    """A bare list item takes the issuer and term of the next item: "Quyết định số 217-QĐ/TW, Quyết định số
    218-QĐ/TW của Bộ Chính trị (khóa XI)"."""
    if not context.is_bare or i + 1 >= len(mentions) or mentions[i].kind not in ("symbol", "short"):
        return context
    following, following_context = mentions[i + 1], contexts[i + 1]
    if following_context is None or following.kind not in ("symbol", "short"):
        return context
    if not COORDINATION.fullmatch(text, context.end, following.phrase_start):
        return context
    return Context(end=context.end, issuer=following_context.issuer, term=following_context.term)
