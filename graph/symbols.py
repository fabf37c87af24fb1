"""Document symbols (số ký hiệu): parse symbol-like text into parts and format them canonically.

Two shapes exist:

* Party form ``<number>-<type>/<issuer>``: ``43-KL/TW``, ``11-QĐi/TW``, ``138-KH/TU``.
  Texts also write it reversed (``11/QĐi-TW``) and with ``TƯ``/``T.Ư`` for ``TW``.
* State form ``<number>[/<year>]/<type>-<issuer>``: ``16/CT-TTg``, ``35/2021/NĐ-CP``,
  ``1234/QĐ-UBND``; laws and some resolutions carry no type code (``55/2014/QH13``).

Everything here is pure and total: unparseable text gives ``None``, never an exception.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal

from graph.text import fold, nfc

SymbolForm = Literal["party", "state"]

# Canonical spelling of codes whose case or "Đ" is often lost in texts, keyed by folded upper case.
_CANONICAL_CODES: dict[str, str] = {
    "QD": "QĐ",
    "QDI": "QĐi",
    "ND": "NĐ",
    "TTG": "TTg",
    "TTR": "TTr",
    "CTR": "CTr",
    "DU": "ĐU",
    "HDND": "HĐND",
    "BCD": "BCĐ",
    "TTLT": "TTLT",
}

# Type codes and the document type each names.
TYPE_CODE_NAMES: dict[str, str] = {
    "NQ": "Nghị quyết",
    "KL": "Kết luận",
    "QĐ": "Quyết định",
    "QĐi": "Quy định",
    "CT": "Chỉ thị",
    "KH": "Kế hoạch",
    "CV": "Công văn",
    "HD": "Hướng dẫn",
    "TB": "Thông báo",
    "NĐ": "Nghị định",
    "TT": "Thông tư",
    "TTLT": "Thông tư liên tịch",
    "PL": "Pháp lệnh",
    "BC": "Báo cáo",
    "CTr": "Chương trình",
    "QC": "Quy chế",
    "TTr": "Tờ trình",
    "L": "Luật",
    "ĐA": "Đề án",
    "CĐ": "Công điện",
}

# Type words a symbol may be typed after ("Nghị quyết số 25-NQ/TW"), folded, longest first.
_TYPE_WORDS = sorted({fold(name) for name in TYPE_CODE_NAMES.values()}, key=len, reverse=True)

# Issuer codes of Party committees: a State-shaped symbol ending in one of these is a reversed Party symbol.
PARTY_ISSUER_CODES = frozenset({"TW", "TU", "HU", "QU", "TXU", "TPU", "ĐU", "ĐĐ", "BCSĐ"})
# Issuer codes of the central Party series (all others are local series).
CENTRAL_PARTY_ISSUER_CODES = frozenset({"TW"})
# Issuer codes of district-level Party committees: huyện ủy, quận ủy, thị ủy, thành ủy of a provincial city.
DISTRICT_PARTY_ISSUER_CODES = frozenset({"HU", "QU", "TXU", "TPU"})

_CENTRAL_ISSUER_SPELLINGS = re.compile(r"^(?:T\.?Ư|T\.W|TW)$", re.IGNORECASE)
_LEADING_SO = re.compile(r"^\s*(?:số|so)\s*(?::|\.)?\s*", re.IGNORECASE)
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_WHITESPACE = re.compile(r"\s+")
_CODE = r"[A-Za-zĐđƯư][A-Za-zĐđƯư0-9&.]*"
PARTY_FORM = re.compile(rf"^(?P<number>\d{{1,6}})-(?P<type>{_CODE})/(?P<issuer>{_CODE}(?:-{_CODE})*)$")
STATE_FORM = re.compile(rf"^(?P<number>\d{{1,6}})(?:/(?P<year>(?:19|20)\d\d))?/(?P<rest>{_CODE}(?:-{_CODE})*)$")
# Typed with other separators: "3001 nq/tw", "12.NQ.TW", "3001-nq-tw". Read as tokens; the issuer decides the form.
_TOKEN_SEPARATORS = re.compile(r"[\s./\-]+")
_NUMBER_TOKEN = re.compile(r"^\d{1,6}$")
_YEAR_TOKEN = re.compile(r"^(?:19|20)\d\d$")
_CODE_TOKEN = re.compile(r"^[A-Za-zĐđƯư][A-Za-zĐđƯư0-9&]*$")
# Party committees and their organs: TW, TU, HU, ĐU, BCSĐ, organs named after them (BTCTW, VPTU, ĐUK), and the
# central bodies of mass organizations that number the Party way (TWĐTN: the Youth Union's Central Committee).
_PARTY_ISSUER = re.compile(r"^(?:BCSD|DD|DU[A-Z0-9]*|TW[A-Z0-9]*|[A-Z0-9]*(?:TW|TU|HU|QU|TXU|TPU))$")


def is_party_issuer(code: str) -> bool:
    """Whether an issuer code names a Party committee or one of its organs (``TU``, ``BTCTW``, ``ĐUK``)."""
    return bool(_PARTY_ISSUER.match(fold(code).upper()))


@dataclass(frozen=True)
class SymbolParts:
    """A parsed symbol. ``issuer`` is everything after the type code (``TW``, ``CP``, ``UBND``, ``SNV-CCHC&PC``)."""

    number: str
    type_code: str | None
    issuer: str
    form: SymbolForm
    year: int | None = None

    @property
    def type_name(self) -> str | None:
        """The document type the type code names, if it is a known one."""
        return TYPE_CODE_NAMES.get(self.type_code) if self.type_code else None

    @property
    def is_central_party(self) -> bool:
        return self.form == "party" and self.issuer in CENTRAL_PARTY_ISSUER_CODES

    @property
    def is_district_party(self) -> bool:
        return self.form == "party" and self.issuer in DISTRICT_PARTY_ISSUER_CODES

    @property
    def match_key(self) -> str:
        """The key all spellings of this symbol share (see :func:`symbol_match_key`)."""
        number = self.number.lstrip("0") or "0"
        return fold(format_symbol(self if number == self.number else replace(self, number=number))).upper()


@lru_cache(maxsize=4096)
def canonical_code(code: str) -> str:
    """Canonical spelling of one code: ``qđi`` → ``QĐi``, ``T.Ư`` → ``TW``, ``ttg`` → ``TTg``."""
    code = nfc(code)
    if _CENTRAL_ISSUER_SPELLINGS.match(code):
        return "TW"
    code = code.replace(".", "")  # abbreviation dots: "N.Đ" is "NĐ"
    return _CANONICAL_CODES.get(fold(code).upper(), code.upper())


def _strip_prefix(text: str) -> str:
    """Drop a leading type word and "số": "Nghị quyết số 25-NQ/TW" → "25-NQ/TW"."""
    text = nfc(text).strip()
    folded = fold(text)
    for name in _TYPE_WORDS:
        if folded.startswith(name) and not folded[len(name) : len(name) + 1].isalnum():
            text = text[len(name) :]
            break
    return _LEADING_SO.sub("", text)


def _compact(text: str) -> str:
    return _WHITESPACE.sub("", _DASHES.sub("-", _strip_prefix(text)))


def parse_symbol(text: str) -> SymbolParts | None:
    """Parse symbol-like text, tolerant of case, spaces, dots, "số", a type word in front, reversed Party form
    and TƯ/T.Ư."""
    return parse_compact_symbol(_compact(text)) or _parse_tokens(_DASHES.sub("-", _strip_prefix(text)))


def _parse_tokens(text: str) -> SymbolParts | None:
    """A symbol typed with spaces, dots or dashes only: number, optional year, then two codes or more."""
    tokens = [t for t in _TOKEN_SEPARATORS.split(text) if t]
    if len(tokens) < 2 or not _NUMBER_TOKEN.match(tokens[0]):
        return None
    number, rest = tokens[0], tokens[1:]
    year = int(rest[0]) if _YEAR_TOKEN.match(rest[0]) and len(rest) > 1 else None
    codes = rest[1:] if year is not None else rest
    if not codes or not all(_CODE_TOKEN.match(c) for c in codes) or (year is None and len(codes) < 2):
        return None
    return _from_codes(number, year, [canonical_code(c) for c in codes])


def _from_codes(number: str, year: int | None, codes: list[str]) -> SymbolParts:
    """Parts from a number, a year and codes: Party form when an issuer code is a Party one and there is no year."""
    if year is None and len(codes) > 1 and any(is_party_issuer(c) for c in codes[1:]):
        return SymbolParts(number=number, type_code=codes[0], issuer="-".join(codes[1:]), form="party")
    if codes[0] in TYPE_CODE_NAMES and len(codes) > 1:
        return SymbolParts(number, codes[0], "-".join(codes[1:]), "state", year)
    return SymbolParts(number, None, "-".join(codes), "state", year)


def parse_compact_symbol(compact: str) -> SymbolParts | None:
    """:func:`parse_symbol` of text already compact: NFC, no spaces or leading "số", dashes as "-"."""
    if m := PARTY_FORM.match(compact):
        codes = [canonical_code(m["type"]), *(canonical_code(p) for p in m["issuer"].split("-"))]
        return _from_codes(m["number"], None, codes)
    if not (m := STATE_FORM.match(compact)):
        return None
    year = int(m["year"]) if m["year"] else None
    return _from_codes(m["number"], year, [canonical_code(p) for p in m["rest"].split("-")])


def format_symbol(parts: SymbolParts) -> str:
    """The canonical text of a parsed symbol."""
    if parts.form == "party":
        return f"{parts.number}-{parts.type_code}/{parts.issuer}"
    head = parts.number if parts.year is None else f"{parts.number}/{parts.year}"
    tail = parts.issuer if parts.type_code is None else f"{parts.type_code}-{parts.issuer}"
    return f"{head}/{tail}"


def canonical_symbol(text: str) -> str:
    """Canonical form of a symbol, or the NFC text without spaces when it does not parse."""
    parts = parse_symbol(text)
    return format_symbol(parts) if parts else _compact(text)


# Symbols recur across jurisdictions and terms ("1-KH/TU" in every province): each spelling is parsed once.
@lru_cache(maxsize=1 << 16)
def symbol_match_key(text: str) -> str:
    """The key two spellings of one symbol share: folded, upper case, no leading zeros in the number.

    ``43-kl/tw``, `` 43 - KL / TW `` and ``Số 43-KL/TƯ`` all give ``43-KL/TW``.
    """
    parts = parse_symbol(text)
    return fold(_compact(text)).upper() if parts is None else parts.match_key
