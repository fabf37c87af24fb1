"""Regular expressions shared by the extraction steps, as named constants with named groups.

All of them run on cleaned NFC text. ``re.IGNORECASE`` is Unicode-aware, so "QUYẾT ĐỊNH",
"Quyết định" and "quyết định" match alike; where capitalisation carries meaning (an issuer's
name, a law's title) the pattern is case-sensitive and uses :data:`UPPER`.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from graph.models import Relation
from graph.symbols import TYPE_CODE_NAMES
from graph.text import fold


@dataclass(frozen=True)
class LinePattern:
    """A pattern that starts with "^" in MULTILINE mode, searched for only where lines start.

    The regex engine tries a pattern led by "^" at every position of a text; the same pattern led by a
    line break instead is found by a fast scan for that character, and then matched where the line starts.
    """

    line: re.Pattern[str]
    after_break: re.Pattern[str]

    @classmethod
    def compile(cls, pattern: str, flags: int = 0) -> LinePattern:
        if not pattern.startswith("^"):
            raise ValueError(f"a line pattern starts with '^': {pattern!r}")
        flags |= re.MULTILINE
        return cls(re.compile(pattern, flags), re.compile("\n" + pattern[1:], flags))

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.line.match(text, pos, endpos)

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        """What ``self.line.search`` finds."""
        if found := self.line.match(text, pos, endpos):
            return found
        found = self.after_break.search(text, pos, endpos)
        return self.line.match(text, found.start() + 1, endpos) if found else None


# Upper-case letters of Vietnamese, for a character class ("Đ", "Ư", "Ế", ...).
UPPER = "A-Z" + "".join(
    ch for ch in map(chr, range(0xC0, 0x1F00)) if ch.isupper() and unicodedata.name(ch, "").startswith("LATIN")
)

# Document type words beyond those the symbol type codes name.
_EXTRA_TYPE_NAMES = ("Bộ luật", "Hiến pháp", "Đề án", "Thông tri", "Công điện", "Nghị quyết liên tịch")
TYPE_NAMES: tuple[str, ...] = tuple(
    sorted(set(TYPE_CODE_NAMES.values()) | set(_EXTRA_TYPE_NAMES), key=lambda name: (-len(name), name))
)
_TYPE_BY_FOLDED = {fold(name): name for name in TYPE_NAMES}
TYPE_WORD = r"(?<!\w)(?:" + "|".join(re.escape(name) for name in TYPE_NAMES) + r")(?!\w)"


def _case_variants(name: str) -> set[str]:
    return {
        name,
        name.lower(),
        name.upper(),
        name[0].lower() + name[1:],
        " ".join(w.capitalize() for w in name.split()),
    }


def trie_pattern(words: Iterable[str]) -> str:
    """An alternation of ``words`` factored by common prefixes, longest match first.

    The regex engine tries an alternation's branches one by one at every position; shared prefixes
    make a scan of long texts several times faster.
    """
    tree: dict[str, Any] = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_node(tree)


def _trie_node(node: dict[str, Any]) -> str:
    branches = [re.escape(ch) + _trie_node(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    if "" in node:
        return "(?:" + "|".join(branches) + ")?"
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


# The type words in the cases texts write them, matched case-sensitively: several times faster than
# IGNORECASE on long texts. No look-behind either, so that the scan can skip ahead; callers check
# the word boundary before a match.
TYPE_WORD_CASED = trie_pattern({v for name in TYPE_NAMES for v in _case_variants(name)}) + r"(?!\w)"
# Words that may stand between a type word and its number: "Kế hoạch hành động số ...".
TYPE_QUALIFIER = r"(?:\s+(?:hành động|liên tịch|liên ngành|kết luận))?"

ROMAN = r"[IVXLC]{1,7}"
_CODE = r"[A-ZĐƯ][A-Za-zĐđƯư0-9&]*(?:\.[A-ZĐƯ][A-Za-zĐđƯư0-9&]*)*"
# A symbol's number, at most six digits, in a pattern whose next character cannot be a digit. It is tried
# only where a run of digits begins, or where the run's last six begin: any later start in the run would
# end where they end and match just as they did, so the scan need not try it.
SYMBOL_NUMBER = r"\d(?:(?<!\d\d)|(?=\d{5}(?!\d)))\d{0,5}+"

# Starts with the digits (no look-behind) so that the scan skips ahead; see :func:`starts_word`.
SYMBOL = re.compile(
    rf"{SYMBOL_NUMBER}(?:-{_CODE}/{_CODE}(?:-{_CODE})*|(?:/(?:19|20)\d\d)?/{_CODE}(?:-{_CODE})*)(?![\w/])"
)
# Between a type word and its symbol: "Kế hoạch| hành động (số |138-KH/TU", "Quyết định| |290-QĐ/TW".
# ... or the issuer first: "Quyết định của Bộ Chính trị số 31-QĐ/TW".
SYMBOL_INTRODUCER = re.compile(
    rf"{TYPE_QUALIFIER}\s*[(,]?\s*(?:(?-i:của\s+[{UPPER}][^\d,;:()\n]{{1,40}}?)\s+(?=số))?(?:số\s*[:.]?\s*)?",
    re.IGNORECASE,
)
# Laws and ordinances put their title between the type word and the number: "Luật Đất đai số 31/2024/QH15".
TITLED_TYPES = frozenset({"Luật", "Bộ luật", "Pháp lệnh"})
TITLE_INTRODUCER = re.compile(rf"\s+[{UPPER}][^\d;:!?\n()“”\"]{{0,150}}?\s+số\s*[:.]?\s*")
TITLE_LOOKBACK = 170
LAW_TITLE = re.compile(rf"(?P<title>(?:Bộ luật|Luật|Pháp lệnh)\s+[{UPPER}][^\d;:!?\n()“”\"]{{0,150}}?)\s+số\s*[:.]?\s*")
NUMBER_WORD_BEFORE = re.compile(r"(?<!\w)số\s*[:.]?\s*\Z", re.IGNORECASE)

DATE = re.compile(
    r"(?P<day>\d{1,2})\s*[-/.]\s*(?P<month>\d{1,2})\s*[-/.]\s*(?P<year>(?:19|20)\d\d)(?!\d)"
    r"|(?P<wday>\d{1,2})\s+tháng\s+(?P<wmonth>\d{1,2})\s*,?\s+năm\s+(?P<wyear>(?:19|20)\d\d)(?!\d)",
    re.IGNORECASE,
)

# --- What follows a symbol (each used with ``match`` at the position where the previous part ended).
_DATE_LEAD = r"\s*(?:[,(]?\s*(?:ban hành\s+)?ngày\s+|\(\s*)(?=\d)"
# A date and what leads to it ("ngày ", "("), in group ``lead``; the lead is matched as it would be alone (atomic).
TAIL_DATE = re.compile(rf"(?P<lead>(?>{_DATE_LEAD}))(?:{DATE.pattern})", re.IGNORECASE)
TAIL_TERM = re.compile(
    rf"\s*,?\s*(?:\(\s*kh(?:óa|oá)\s+(?P<term>{ROMAN})\s*\)|kh(?:óa|oá)\s+(?P<bare_term>{ROMAN})(?!\w))",
    re.IGNORECASE,
)
_ISSUER_TOKEN = r"[^\s,;:()“”\"'.…]+(?:\.[^\s,;:()“”\"'.…]+)*"
# :data:`TYPE_WORD` factored by prefixes: checked after every word of an issuer phrase.
_TYPE_WORD_TRIE = rf"(?<!\w){trie_pattern(TYPE_NAMES)}(?!\w)"
# Words that end an issuer's name.
_ISSUER_STOP_WORDS = (
    "về",
    "ngày",
    "khóa",
    "khoá",
    "số",
    "nhằm",
    "để",
    "tại",
    "theo",
    "trong",
    "trên",
    "đã",
    "đang",
    "sẽ",
    "với",
    "cho",
    "là",
    "đến",
    "từ",
    "nhiệm kỳ",
    "thực hiện",
    "tiếp tục",
    "triển khai",
    "quy định",
    "hướng dẫn",
    "sửa đổi",
    "bổ sung",
    "ban hành",
    "phê duyệt",
    "thay thế",
    "bãi bỏ",
)
_ISSUER_STOP = (
    rf"(?:{trie_pattern(_ISSUER_STOP_WORDS)}"
    rf"|và(?!\s+[{UPPER}])|và\s+(?i:{_TYPE_WORD_TRIE})|(?i:{_TYPE_WORD_TRIE})\s+(?:số\s*)?\d)(?!\w)"
)
ISSUER_PHRASE = rf"(?=[{UPPER}]){_ISSUER_TOKEN}(?:\s+(?!{_ISSUER_STOP}){_ISSUER_TOKEN}){{0,11}}"
TAIL_ISSUER = re.compile(rf"\s*,?\s*của\s+(?P<issuer>{ISSUER_PHRASE})")
# The issuer named before the mention: "Ban Thường vụ Tỉnh ủy đã ban hành Kế hoạch số ...",
# "đề nghị của Sở Nội vụ tại Văn bản số ...". Checked only after :data:`ISSUER_VERB_BEFORE` matched.
ISSUER_VERB_BEFORE = re.compile(r"(?:ban hành|có|tại)(?:\s+(?:văn bản|công văn))?\s*\Z", re.IGNORECASE)
ISSUER_BEFORE = re.compile(
    rf"(?:(?<=[,;:.\n(])|(?<=của )|^)\s*(?P<issuer>{ISSUER_PHRASE})\s+(?:(?:đã|vừa|mới)\s+)*"
    rf"(?:ban hành|có|tại)(?:\s+(?i:văn bản|công văn))?\s*\Z"
)
ISSUER_BEFORE_WINDOW = 120
_SUBJECT_ABOUT = r"\s*,?\s*về\s+(?!\d)"
_SUBJECT_QUOTED = r"\s*,?\s*(?=[“\"«])"
OPENING_QUOTES = {"“": "”", '"': '"', "«": "»"}

# --- Relation wording, as (relation, pattern) in the order tried at one position.
RELATION_CUES: tuple[tuple[Relation, str], ...] = (
    (Relation.continues, r"tiếp tục thực hiện"),
    (Relation.based_on, r"căn cứ(?:\s+vào)?"),
    (
        Relation.guides,
        r"hướng dẫn(?:\s+(?:thi hành|thực hiện|triển khai(?:\s+thực hiện)?))?"
        r"|quy định chi tiết(?:\s+thi hành)?(?:\s+(?:một số|các) điều(?:,\s*khoản)?)?(?:\s+và\s+biện pháp thi hành)?",
    ),
    (
        Relation.amends,
        r"sửa đổi,?\s+bổ sung(?:\s+một số điều)?|sửa đổi(?:\s+một số điều)?|bổ sung\s+một số điều",
    ),
    (Relation.replaces, r"thay thế(?:\s+cho)?"),
    (Relation.repeals, r"bãi bỏ"),
    (Relation.implements, r"thực hiện|thi hành|triển khai|quán triệt|cụ thể h(?:óa|oá)"),
)
_CUE_ALTERNATIVES = "|".join(f"(?P<{relation.value}>{pattern})" for relation, pattern in RELATION_CUES)
# Words allowed between the wording and the mention it governs ("thực hiện có hiệu quả Chỉ thị ...").
_GAP_WORD = (
    r"có hiệu quả|hiệu quả|tốt|nghiêm túc|nghiêm|đầy đủ|đúng|kịp thời|đồng bộ|quyết liệt|triệt để|sâu rộng"
    r"|sâu sắc|toàn diện|chặt chẽ|thắng lợi|thành công|hơn nữa|ngay|việc|các|những|toàn bộ"
    r"|(?:nội dung|tinh thần|mục tiêu|nhiệm vụ)(?:\s+của)?|quy định\s+(?:của|tại)|một số điều(?:\s+của)?"
    r"|(?:(?:điểm\s+\w\s+)?khoản\s+\d+\s+)?điều\s+\d+(?:\s+của)?|của"
)


def _branches(pattern: str) -> list[str]:
    """The top-level alternatives of ``pattern`` (which has no character classes holding "(", ")" or "|")."""
    branches, depth, start = [], 0, 0
    for i, ch in enumerate(pattern):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch == "|" and depth == 0:
            branches.append(pattern[start:i])
            start = i + 1
    return [*branches, pattern[start:]]


# The letters cue wording begins with, in every case that IGNORECASE matches them ("ſ" is an "s").
_CUE_INITIALS = {
    ch for _, pattern in RELATION_CUES for branch in _branches(pattern) for ch in branch[0] + branch[0].upper()
}
CUE_INITIALS = "".join(sorted(_CUE_INITIALS | ({"ſ"} if "s" in _CUE_INITIALS else set())))
# The cue alternatives past their first letter, which a look-behind checks: the scan for the governing
# cue then starts only at those letters (a pattern that ignores case or opens with a look-behind is
# tried at every position).
_CUE_AFTER_INITIAL = "|".join(
    f"(?P<{relation.value}>{'|'.join(f'(?<={b[0]}){b[1:]}' for b in _branches(pattern))})"
    for relation, pattern in RELATION_CUES
)
# The group that matched is named after the relation (``m.lastgroup``).
GOVERNING_CUE = re.compile(
    rf"(?-i:[{CUE_INITIALS}])(?<!\w\w)(?:{_CUE_AFTER_INITIAL})(?:\s*,?\s+(?:{_GAP_WORD})(?!\w))*\s*[,:]?\s*\Z",
    re.IGNORECASE,
)
# A list introduced by relation wording: "Bãi bỏ các Quyết định sau:\na) Quyết định số ...".
LIST_ITEM = re.compile(r"[ \t]*(?:[-–•+*]|\(?(?:\d{1,2}|[a-zđ])[.)])[ \t]*")
# The provisions an item may name before its document: "a) Khoản 4 Điều 1 Nghị quyết số ...".
PROVISION_PREFIX = re.compile(
    r"(?:(?:điểm|khoản|điều|mục|phần|chương|phụ lục)\s+[\w.]{1,6}\s*,?\s*)*(?:(?:của|tại)\s+)?", re.IGNORECASE
)
LIST_HEADING = re.compile(
    rf"(?<!\w)(?:{_CUE_ALTERNATIVES})(?!\w)[^\n]{{0,120}}?(?:sau|dưới đây|như sau)\s*:[ \t]*\Z", re.IGNORECASE
)
MAX_LIST_ITEMS = 30
# A subject that is itself a statement: "... của Chính phủ sửa đổi, bổ sung ...", "... ban hành Quy chế ...".
# ... of its addressees or a purpose first: "Công văn số 3105/UBND-NC gửi các sở, ngành hướng dẫn triển khai ...",
# "Kế hoạch số 75-KH/TU để triển khai thực hiện ...".
_STATEMENT_LEAD = (
    rf"\s*,?\s*(?:gửi\s+[^.;:!?\n()“”\"]{{1,80}}?\s+)?(?:(?:để|nhằm)\s+)?"
    rf"(?=(?:{_CUE_ALTERNATIVES}|ban hành|phê duyệt)(?!\w))"
)
# What opens a subject, tried in this order: "về ..." (group ``about``), a quotation, a statement.
SUBJECT_LEAD = re.compile(rf"(?P<about>{_SUBJECT_ABOUT})|{_SUBJECT_QUOTED}|{_STATEMENT_LEAD}", re.IGNORECASE)
COORDINATION = re.compile(r"\s*(?:,\s*(?:và|hoặc)?|và|hoặc)\s*", re.IGNORECASE)

# What ends a clause: the wording before a mention governs it only from the clause's start.
CLAUSE_MARKS = ("\n", ";", ":", "!", "?", ". ", "… ")
SUBJECT_EVENT = re.compile(rf"[\n;!?()“\"«]|[.…](?=\s|\Z)|,\s*(?=[{UPPER}]|ngày\s+\d[\d/.-]*\s*,?\s*[{UPPER}])")

# --- Other mentions.
ANY_TYPE_WORD = re.compile(TYPE_WORD_CASED)
SHORT_NUMBER = re.compile(
    r"\s+(?:số\s+)?(?P<number>\d{1,5})(?:/(?P<year>(?:19|20)\d\d)|-(?P<code>NQ|KL|CT|TB|HD|QĐ|KH)(?=\s))?"
    r"(?![\w/\-–]|[.,]\d)",
    re.IGNORECASE,
)
THIS_DOCUMENT = re.compile(r"\s+này(?!\w)", re.IGNORECASE)
ANAPHORA_END = re.compile(r"\s*(?:[.,;:)\n]|\Z)|\s+(?:nói trên|nêu trên|trên|đó)(?!\w)", re.IGNORECASE)
ANAPHORA_BLOCKERS = frozenset({"các", "những", "mọi", "một", "bản", "dự thảo", "từng", "mỗi", "pháp"})
ALIAS_DEFINITION = re.compile(
    r"\(\s*(?:sau đây\s+)?(?:được\s+)?gọi\s+(?:tắt\s+)?là\s*:?\s*[“\"]?(?P<alias>[^()“”\"\n]{1,60}?)[”\"]?\s*\)",
    re.IGNORECASE,
)
_ORDINAL = r"một|hai|ba|tư|bốn|năm|sáu|bảy|tám|chín|mười(?:\s+(?:một|hai|ba|bốn|lăm))?"
_TERM_SUFFIX = rf"(?:\s*\(\s*kh(?:óa|oá)\s+{ROMAN}\s*\)|\s+kh(?:óa|oá)\s+{ROMAN}(?!\w))?"
_TERM_OF_OFFICE = r"(?:\s*\(\s*nhiệm kỳ\s+\d{4}\s*[-–]\s*\d{4}\s*\)|\s*,?\s+nhiệm kỳ\s+\d{4}\s*[-–]\s*\d{4})?"
# Words that end a title, or show the words are a sentence about a law rather than its title.
_NOT_TITLE_WORD = r"n[ăá]m|ngày|số|Luật|Bộ luật|Pháp lệnh|này|có|được|đã|từ|theo|tại|trong|thì|là|nêu|trên|đó|hiện hành"
_LAW_WORD = rf"(?!(?:{_NOT_TITLE_WORD})(?!\w))[^\W\d_]+"
_LAW_WORDS = rf"{_LAW_WORD}(?:,?\s+{_LAW_WORD}){{0,14}}?"
_LAW_TYPE = r"(?:Bộ luật|Luật|Pháp lệnh)"
# "Luật sửa đổi, bổ sung một số điều của Luật A và Luật B": the title names the laws it amends.
_LAW_TITLE = (
    rf"{_LAW_TYPE}\s+(?:(?i:sửa đổi,?\s+bổ sung\s+(?:một số điều\s+)?(?:của\s+)?(?:các\s+)?){_LAW_TYPE}\s+)?"
    rf"{_LAW_WORDS}(?:\s+và\s+{_LAW_TYPE}\s+{_LAW_WORDS})?"
)
_YEAR_LEAD = r"(?:n[ăá]m\s+|ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+n[ăá]m\s+|ngày\s+\d{1,2}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*)"
NAMED_REFERENCE_START = re.compile(r"(?:Nghị quyết|Hiến pháp|Bộ luật|Luật|Pháp lệnh|Điều lệ)(?=\s)")
NAMED_REFERENCE = re.compile(
    rf"(?:"
    rf"(?P<plenum>Nghị quyết\s+(?:Hội nghị\s+)?(?:lần thứ\s+(?:\d{{1,2}}|{_ORDINAL})\s+(?:của\s+)?Ban Chấp "
    rf"hành\s+Trung ương"
    rf"(?:\s+Đảng)?|(?:Ban Chấp hành\s+)?Trung ương(?:\s+Đảng)?\s+(?:lần thứ\s+)?(?P<plenum_number>\d{{1,2}}|"
    rf"{_ORDINAL})(?!\w))"
    rf"(?P<plenum_term>{_TERM_SUFFIX}))"
    rf"|(?P<congress>Nghị quyết\s+Đại hội\s+(?:(?:đại biểu|toàn quốc|Đảng bộ|tỉnh|thành phố|huyện|"
    rf"[{UPPER}]\w*)\s+){{0,6}}"
    rf"(?:lần thứ\s+)?{ROMAN}(?!\w)(?:\s+của\s+Đảng)?){_TERM_OF_OFFICE}"
    rf"|(?P<constitution>Hiến pháp(?:\s+nước\s+Cộng hòa xã hội chủ nghĩa Việt "
    rf"Nam)?)\s+(?:năm\s+)?(?P<constitution_year>(?:19|20)\d\d)"
    rf"|(?P<charter>Điều lệ Đảng(?:\s+Cộng sản Việt Nam)?)(?!\w)"
    rf"|(?P<law>{_LAW_TITLE})\s+{_YEAR_LEAD}(?P<law_year>(?:19|20)\d\d)"
    rf")(?!\w)"
)

# --- The text's own document.
ANNOUNCEMENT = re.compile(
    rf"(?<!\w)(?:(?:vừa|mới|đã)\s+)*(?:ban hành|(?P<has>có))\s+(?P<type>{TYPE_WORD}){TYPE_QUALIFIER}"
    rf"(?:\s*[(,]?\s*(?:số\s*[:.]?\s*)?(?=\d)|(?P<unnumbered>(?!\s*[(,]?\s*số)))",
    re.IGNORECASE,
)
# A news lead reporting a meeting: the plans it mentions are news about the meeting, not its subject.
MEETING_LEAD = re.compile(
    r"(?<!\w)(?:tổ chức|khai mạc|diễn ra|chủ trì|dự|bế mạc)\s+(?:(?:phiên\s+)?(?:hội nghị|kỳ họp|cuộc họp|phiên họp"
    r"|hội thảo|tọa đàm|toạ đàm|buổi làm việc|lễ))(?!\w)",
    re.IGNORECASE,
)
TYPE_HEADING = LinePattern.compile(
    r"^[ \t]*(?P<type>" + "|".join(re.escape(name.upper()) for name in TYPE_NAMES) + r")[ \t]*$"
)
ENACTMENT = LinePattern.compile(r"^[ \t]*(?P<verb>QUYẾT ĐỊNH|QUYẾT NGHỊ|KẾT LUẬN|CHỈ THỊ|QUY ĐỊNH)[ \t]*:[ \t]*$")
PREAMBLE_BASIS = LinePattern.compile(r"^[ \t]*Căn cứ(?!\w)")
# A sentence opening "Thực hiện A; B; C, Ban Thường vụ ban hành ...": the wording governs every ';' item.
OPENING_CUE = re.compile(
    r"[ \t]*(?:[-–•+*][ \t]*)?(?:(?P<continues>tiếp tục thực hiện)|(?P<implements>(?:triển khai\s+)?thực hiện|thi "
    r"hành))(?!\w)",
    re.IGNORECASE,
)
SENTENCE_BREAK = re.compile(r"[.!?](?=\s)")
HEADER_MOTTO = re.compile(r"CỘNG HÒA|CỘNG HOÀ|ĐỘC LẬP|Độc lập|ĐẢNG CỘNG SẢN VIỆT NAM|^[\s*\-_—]*$")
PLACE_IN_ISSUER = re.compile(
    rf"(?i:tỉnh ủy|tỉnh uỷ|thành ủy|thành uỷ|tỉnh|thành phố)\s+(?P<place>[{UPPER}][\w]*(?:\s+[{UPPER}][\w]*){{0,2}})"
)
LOCAL_BODY = re.compile(
    r"(?<!\w)(?:(?:tinh|thanh|huyen|quan|thi) uy|uy ban nhan dan|ubnd|hoi dong nhan dan|hdnd"
    r"|dang bo (?:tinh|thanh pho|huyen|quan|thi xa|xa|phuong))(?!\w)"
)

# --- "Tổ chức thực hiện": who must issue plans.
SECTION_HEADING = LinePattern.compile(
    r"^[ \t]*(?:(?:[IVX]+|\d+|[a-z])\s*[.)/-]\s*|Điều\s+\d+\s*[.:]\s*)?(?i:tổ chức thực hiện)[ \t]*:?[ \t]*$",
)
NEXT_SECTION = LinePattern.compile(r"^[ \t]*(?:[IVX]+\s*[.)]\s+|Điều\s+\d+\s*[.:])")
SENTENCE_END = re.compile(rf"\n|[.!?](?=\s+[{UPPER}\d-]|\s*\Z)")
ITEM_MARKER = re.compile(r"\s*(?:[-–•+*]\s*|(?:\d+|[a-zđ])\s*[.)]\s*)*")
ISSUE_PLAN = re.compile(
    r"(?<!\w)(?:xây dựng|ban hành|cụ thể h(?:óa|oá)\s+bằng)\s+(?:(?:các|những)\s+)?"
    r"(?:chương trình(?:\s+hành động)?\s*(?:,|và|hoặc)\s*)?(?:kế hoạch|chương trình)(?:\s+hành động)?(?!\w)",
    re.IGNORECASE,
)
UNIT_VERB = re.compile(
    r"(?<!\w)(?:tổ chức(?!\s+(?:đảng|chính trị|cơ sở|thành viên|xã hội|hội|đoàn thể)(?!\w))|chủ trì|phối hợp"
    r"|xây dựng|có trách nhiệm|chịu trách nhiệm|thường xuyên|khẩn trương|căn cứ|cụ thể h(?:óa|oá)|triển khai"
    r"|quán triệt|kiểm tra|theo dõi|chỉ đạo|lãnh đạo|đẩy mạnh|tăng cường|tham mưu|hướng dẫn|ban hành"
    r"|nghiên cứu|phổ biến|tuyên truyền|thực hiện|định kỳ)(?!\w)",
    re.IGNORECASE,
)
# Levels guessed from a unit's folded name; the keyword that comes first in the name wins.
UNIT_LEVEL_HINTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("province", re.compile(r"(?<!\w)(?:tinh uy|tinh|ubnd tinh|uy ban nhan dan tinh)(?!\w)")),
    ("district", re.compile(r"(?<!\w)(?:huyen|quan|thi xa|thi|thanh uy|thanh pho|dang uy truc thuoc)(?!\w)")),
    ("commune", re.compile(r"(?<!\w)(?:xa|phuong|thi tran|chi bo|dang uy co so)(?!\w)")),
    ("ministry", re.compile(r"(?:^|(?<=cac ))bo(?!\w)")),
    ("unit", re.compile(r"(?<!\w)(?:so|ban|nganh|dang doan|mat tran|doan the|hoi|co quan|don vi)(?!\w)")),
)


def starts_word(text: str, position: int) -> bool:
    """Whether ``position`` is not inside a word or a code (the look-behind the fast scans leave out)."""
    return position == 0 or not (text[position - 1].isalnum() or text[position - 1] in "/.-_")


@lru_cache(maxsize=512)
def type_name(word: str) -> str:
    """The canonical type name of a matched type word, whatever its case: "KẾ HOẠCH" → "Kế hoạch"."""
    return _TYPE_BY_FOLDED.get(fold(word), word)
