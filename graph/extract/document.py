"""The text's own document: the one whose header or preamble this is, or the one a news lead announces.

* A header "Số: 1234/QĐ-UBND" / "Số 138-KH/TU" with its type heading ("QUYẾT ĐỊNH", "KẾ HOẠCH"), or a
  preamble ("Căn cứ ...", then "QUYẾT ĐỊNH:"): the text is that document.
* "Ban Thường vụ Tỉnh ủy ban hành Kế hoạch hành động (số 138-KH/TU, ngày 27-3-2019)" in the lead of a
  news report: the report is about that document.
* Otherwise (a report about a meeting) there is none, and nothing is linked from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.extract.context import Context, parse_date
from graph.extract.models import OwnDocument
from graph.extract.patterns import (
    ANNOUNCEMENT,
    DATE,
    ENACTMENT,
    HEADER_MOTTO,
    MEETING_LEAD,
    PLACE_IN_ISSUER,
    PREAMBLE_BASIS,
    TYPE_HEADING,
    TYPE_NAMES,
    TYPE_WORD,
    UPPER,
    starts_word,
    type_name,
)
from graph.extract.tokenize import Mention
from graph.symbols import TYPE_CODE_NAMES, parse_symbol
from graph.text import fold, squash_spaces

HEADER_CHARS = 1500
# "Số: 1234/QĐ-UBND", "Luật số: 72/2025/QH15", "Số hiệu: 78/2025/NĐ-CP"; the number may sit on the next line.
HEADER_NUMBER = re.compile(r"(?:Luật\s+số\s*:|Số(?:\s+hiệu)?[ \t]*[:.]?)\s*(?=\d)")
HEADER_NUMBER_LEAD = re.compile(rf"[\s{UPPER}|*_\-–]*\Z")  # before "Số" in a header flattened into one line
MOTTO_THEN_NUMBER = re.compile(r"(?:VIỆT NAM|Hạnh phúc|HẠNH PHÚC)[\s|*_\-–]*(?=\d)")  # a header without "Số"
_HEADER_DATE = re.compile(r",\s*ngày\s+(?=\d)", re.IGNORECASE)
_ENACTED_TYPES = {"QUYẾT NGHỊ": "Nghị quyết"}
_ISSUER_BEFORE = re.compile(r"[^,.;:\n()“”\"]{2,120}\Z")
_TITLE_LINE = re.compile(
    rf"^[ \t]*(?P<line>(?i:{TYPE_WORD})(?![ \t]+(?:số|này)(?!\w))[^\n]{{10,600}}?)[ \t]*$", re.MULTILINE
)
_LEAD_MIN_CHARS = 60
_SENTENCE_END = re.compile(r"[.;!?](?=\s|\Z)|\n|,\s*(?:nhằm|để)(?!\w)")
_MAX_TITLE = 600
# The line naming the enacting authority above a preamble, never part of a title.
_AUTHORITY_LINE = re.compile(
    r"(?:CHỦ TỊCH|PHÓ CHỦ TỊCH|BỘ TRƯỞNG|THỦ TƯỚNG|CHÍNH PHỦ|ỦY BAN|UỶ BAN|HỘI ĐỒNG|BAN CHẤP HÀNH|BAN THƯỜNG VỤ"
    r"|BỘ CHÍNH TRỊ|BAN BÍ THƯ|QUỐC HỘI|THỐNG ĐỐC|TỔNG KIỂM TOÁN|CHÁNH ÁN|VIỆN TRƯỞNG|GIÁM ĐỐC|TỔNG GIÁM ĐỐC|TRƯỞNG BAN"
    r"|KHÓA|KHOÁ)(?!\w)"
)
_PARENT_PARTY_BODY = re.compile(r"ĐẢNG BỘ(?!\w)")
_SENTENCE_ENDINGS = (".", ":", ";", "!", "?", "…", "”", '"', ")")
_HEADLINE_LINES = 2
_MAX_HEADER_NUMBERS = 1
_HEADLINE_LEAD = 30
_HEADLINE_REACH = 2000
_FOLDED_TYPES = {fold(name).lower(): name for name in TYPE_NAMES}


@dataclass(frozen=True)
class OwnDocumentFinding:
    """The own document and the index of the mention that names it, if one does."""

    document: OwnDocument
    mention: int | None


def find_own_document(
    text: str, mentions: tuple[Mention, ...], contexts: tuple[Context, ...], jurisdiction: str | None
) -> OwnDocumentFinding | None:
    """The document this text is or announces, if any: a header with a number wins, then an announcement."""
    header = _from_header(text, mentions, jurisdiction)
    if header is not None and header.mention is not None:
        return header
    announced = _from_announcement(text, mentions, contexts, jurisdiction)
    return announced or _from_headline(text, mentions, contexts, jurisdiction) or header


def _from_headline(
    text: str, mentions: tuple[Mention, ...], contexts: tuple[Context, ...], jurisdiction: str | None
) -> OwnDocumentFinding | None:
    """A page headed by its document's type and symbol: "Nghị định 78/2025/NĐ-CP quy định ...", also when OCR
    garbled the type word ("KẾT LỦẬN 127-KL/TW ...")."""
    line_start, seen = 0, 0
    if text.count("\n", 0, _HEADLINE_REACH) < _HEADLINE_LINES:
        return None  # one sentence is no page with a headline
    while seen < _HEADLINE_LINES and line_start < len(text):
        line_end = text.find("\n", line_start)
        line_end = len(text) if line_end < 0 else line_end
        if text[line_start:line_end].strip():
            seen += 1
            headline = text[line_start:line_end].rstrip()
            found = None if headline.endswith(".") else _headline_mention(text, mentions, line_start, line_end)
            if found is not None:
                mention = mentions[found]
                document = OwnDocument(
                    mention.symbol, _headline_type(text[line_start : mention.start]) or _code_type(mention.symbol),
                    contexts[found].date, contexts[found].issuer, jurisdiction, None,
                )  # fmt: skip
                return OwnDocumentFinding(document, found)
        line_start = line_end + 1
    return None


def _headline_mention(text: str, mentions: tuple[Mention, ...], start: int, end: int) -> int | None:
    for i, mention in enumerate(mentions):
        if mention.start >= end:
            break
        if mention.kind == "symbol" and mention.start >= start:
            lead = text[start : mention.start]
            return i if len(lead) <= _HEADLINE_LEAD and _headline_type(lead) else None
    return None


def _headline_type(lead: str) -> str | None:
    words = fold(lead).lower().replace("so ", " ").split()
    return _FOLDED_TYPES.get(" ".join(w for w in words if w not in ("so", "so:")))


def _from_header(text: str, mentions: tuple[Mention, ...], jurisdiction: str | None) -> OwnDocumentFinding | None:
    mention = _header_number(text, mentions)
    heading = TYPE_HEADING.search(text, 0, HEADER_CHARS * 2)
    basis = PREAMBLE_BASIS.search(text)
    enactment = ENACTMENT.search(text, basis.end()) if basis else None
    if mention is None and heading is None and enactment is None:
        return None
    if heading:
        doc_type: str | None = type_name(heading["type"])
    elif enactment:
        doc_type = _ENACTED_TYPES.get(enactment["verb"]) or type_name(enactment["verb"])
    else:
        doc_type = _code_type(mentions[mention].symbol if mention is not None else None)
    header_end = min(heading.start() if heading else HEADER_CHARS, basis.start() if basis else HEADER_CHARS)
    issuer = _header_issuer(text, header_end) or (_authority(text, basis.start()) if basis else None)
    date_lead = _HEADER_DATE.search(text, 0, header_end)
    date_match = DATE.match(text, date_lead.end()) if date_lead else None
    title = _heading_title(text, heading.end(), doc_type) if heading and doc_type else None
    document = OwnDocument(
        symbol=mentions[mention].symbol if mention is not None else None,
        type=doc_type,
        date=parse_date(date_match) if date_match else None,
        issuer=issuer,
        jurisdiction=jurisdiction or _place(issuer),
        title=title,
    )
    return OwnDocumentFinding(document, mention)


def _from_announcement(
    text: str, mentions: tuple[Mention, ...], contexts: tuple[Context, ...], jurisdiction: str | None
) -> OwnDocumentFinding | None:
    """The document a news lead (or its headline) says was issued; a numbered announcement wins."""
    lead_end = _lead_end(text)
    statements = [c.statement for c in contexts if c.statement]
    meeting = MEETING_LEAD.search(text, 0, lead_end)
    found = [
        m
        for m in ANNOUNCEMENT.finditer(text, 0, lead_end)
        if not any(start <= m.start() < end for start, end in statements)
        and not (meeting and meeting.start() < m.start())
    ]
    chosen = next((m for m in found if m["unnumbered"] is None and _mention_at(mentions, m.end()) is not None), None)
    # "X có Kế hoạch ..." announces a document only with its number; "ban hành" does without.
    chosen = chosen or next((m for m in found if m["has"] is None), None)
    if chosen is None:
        return None
    doc_type = type_name(chosen["type"])
    mention = None if chosen["unnumbered"] is not None else _mention_at(mentions, chosen.end())
    context = contexts[mention] if mention is not None else None
    issuer = _issuer_before(text, chosen.start())
    title = _title_line(text, doc_type, lead_end)
    if title is None and context is not None and context.subject:
        title = f"{doc_type} {'về ' if context.about else ''}{context.subject}"
    elif title is None and mention is None:
        sentence_end = _SENTENCE_END.search(text, chosen.end())
        words = text[chosen.end() : sentence_end.start() if sentence_end else len(text)].strip()
        title = squash_spaces(f"{doc_type} {words}")[:_MAX_TITLE] if words else None
    document = OwnDocument(
        symbol=mentions[mention].symbol if mention is not None else None,
        type=doc_type,
        date=context.date if context else None,
        issuer=issuer,
        jurisdiction=jurisdiction or _place(issuer),
        title=title,
    )
    return OwnDocumentFinding(document, mention)


def _header_number(text: str, mentions: tuple[Mention, ...]) -> int | None:
    """The mention a header's "Số: ..." introduces, or the number right after the motto of a flattened header."""
    numbers = [n for n in HEADER_NUMBER.finditer(text, 0, HEADER_CHARS) if starts_word(text, n.start())]
    if len({text[n.end() : n.end() + 12].split(" ", 1)[0] for n in numbers}) > _MAX_HEADER_NUMBERS:
        return None  # a list of documents ("Số hiệu: ..." per row), not one document's header
    for number in numbers:
        line_start = text.rfind("\n", 0, number.start()) + 1
        if HEADER_NUMBER_LEAD.match(text, line_start, number.start()) is None:
            continue
        if (mention := _mention_at(mentions, number.end())) is not None:
            return mention
    motto = MOTTO_THEN_NUMBER.search(text, 0, HEADER_CHARS)
    return _mention_at(mentions, motto.end()) if motto else None


def _mention_at(mentions: tuple[Mention, ...], position: int) -> int | None:
    return next((i for i, m in enumerate(mentions) if m.kind == "symbol" and m.start == position), None)


def _code_type(symbol: str | None) -> str | None:
    parts = parse_symbol(symbol) if symbol else None
    return TYPE_CODE_NAMES.get(parts.type_code) if parts and parts.type_code else None


def _lead_end(text: str) -> int:
    """The end of a news report's lead: its first paragraph of real content that reads as a sentence.

    A headline above it (no closing punctuation) is part of the lead region too.
    """
    pos, first_long = 0, None
    while pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        paragraph = text[pos:end].strip()
        if len(paragraph) >= _LEAD_MIN_CHARS:
            if paragraph.endswith(_SENTENCE_ENDINGS):
                return end
            first_long = end if first_long is None else first_long
        pos = end + 1
    return len(text) if first_long is None else first_long


def _issuer_before(text: str, position: int) -> str | None:
    before = _ISSUER_BEFORE.search(text, max(0, position - 120), position)
    issuer = before.group().strip().lstrip("-– ") if before else ""
    return issuer if issuer[:1].isupper() else None


def _header_issuer(text: str, header_end: int) -> str | None:
    """The issuing body's lines of a header, without the national or Party motto lines."""
    # Web copies flatten the header's two-column table into "CHÍNH PHỦ | CỘNG HÒA ...".
    lines = [cell.strip() for line in text[:header_end].split("\n") for cell in line.split("|")]
    names: list[str] = []
    for line in lines:
        if HEADER_NUMBER.match(line.lstrip()) or _HEADER_DATE.search(line):
            break
        if line and line.upper() == line and not HEADER_MOTTO.search(line):
            names.append(line)
    # A Party header names the parent organization first: "ĐẢNG BỘ TỈNH NGHỆ AN / HUYỆN ỦY DIỄN CHÂU".
    if len(names) > 1 and _PARENT_PARTY_BODY.match(names[0]):
        names = names[1:]
    return squash_spaces(" ".join(names)) or None


def _authority(text: str, basis_start: int) -> str | None:
    """The upper-case line just before the preamble: "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH"."""
    line = text[:basis_start].rstrip("\n").rsplit("\n", 1)[-1].strip()
    return line if line.upper() == line and _AUTHORITY_LINE.match(line) else None


def _heading_title(text: str, position: int, doc_type: str) -> str | None:
    """The type heading and the lines under it: "QUYẾT ĐỊNH / Về việc ban hành ..." → "Quyết định về việc ..."."""
    lines: list[str] = []
    for line in text[position:].lstrip("\n").split("\n"):
        line = line.strip()
        if not line or PREAMBLE_BASIS.match(line) or _AUTHORITY_LINE.match(line):
            break
        if line.upper() == line:
            # Web copies print the title in capitals; only the first line under the heading can be one.
            if lines or not any(ch.isalpha() for ch in line):
                break
            line = " ".join(word if any(ch.isdigit() for ch in word) else word.lower() for word in line.split())
        lines.append(line)
    if not lines:
        return None
    rest = " ".join(lines)
    return f"{doc_type} {rest[0].lower()}{rest[1:]}"


def _title_line(text: str, doc_type: str, after: int) -> str | None:
    """A heading line that starts with the document's type: "Kế hoạch hành động thực hiện ..."."""
    for found in _TITLE_LINE.finditer(text, after):
        line = found["line"]
        if type_name(line[: len(doc_type)]) == doc_type and not line.rstrip().endswith((".", ":", ";")):
            return squash_spaces(line)
    return None


def _place(issuer: str | None) -> str | None:
    found = PLACE_IN_ISSUER.search(issuer) if issuer else None
    return found["place"].title() if found else None
