"""Cleaning: the text every later step and every span refers to.

NFC; HTML tags stripped and entities decoded when present; odd spaces made plain; references
broken by line wrapping or stray spaces mended ("25-\\nNQ/TW", "12- KL/TW", "217 QĐ/ TW");
missing spaces restored ("ngày26/11/2003"); doubled words dropped ("Kết luận số Kết luận số").
"""

from __future__ import annotations

import html
import re

from graph.extract.patterns import SYMBOL_NUMBER, TYPE_WORD_CASED, starts_word, trie_pattern
from graph.symbols import TYPE_CODE_NAMES
from graph.text import fold, nfc

_HTML_TAG = re.compile(r"<[A-Za-z!/][^<>]*>")
_HTML_INVISIBLE = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_HTML_BLOCK_END = re.compile(r"<br\s*/?>|</(?:p|div|li|h[1-6]|tr|table|blockquote)\s*>", re.IGNORECASE)
_HTML_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]+);")
_ODD_CHARACTER = re.compile("[\r\t\u00a0\u00ad\u2000-\u200d\u2010-\u2015\u202f\u205f\u2060\u2212\u3000\ufeff]")
_INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")
_DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2212")

_TYPE_CODES = sorted(
    {
        variant
        for code in TYPE_CODE_NAMES
        for variant in (code, code.upper(), code.replace("Đ", "D"), fold(code).upper())
    },
    key=lambda code: (-len(code), code),
)
_TYPE_CODE = "(?:" + "|".join(re.escape(code) for code in _TYPE_CODES) + ")"
_ISSUER_CODE = r"[A-ZĐƯ][A-Za-zĐđƯư0-9&]*(?:\.[A-ZĐƯ][A-Za-zĐđƯư0-9&]*)*"
_GAP = r"[ \n]*"
# A symbol, possibly with spaces or a line break inside: "25-\nNQ/TW", "12- KL/TW", "217 QĐ/ TW", "16/ CT-TTg".
_SPACED_SYMBOL = re.compile(
    rf"(?P<number>{SYMBOL_NUMBER})(?:"
    rf"(?P<party_gap>{_GAP}-{_GAP}|[ \n]+)(?P<party_type>{_TYPE_CODE}){_GAP}/{_GAP}(?P<party_issuer>{_ISSUER_CODE})"
    rf"|{_GAP}/{_GAP}(?:(?P<year>(?:19|20)\d\d){_GAP}/{_GAP})?(?P<state_type>{_TYPE_CODE}){_GAP}-{_GAP}"
    rf"(?P<state_issuer>{_ISSUER_CODE}))(?![\w/])"
)
_GLUED_WORDS = ("ngày", "Ngày", "NGÀY", "số", "Số", "SỐ", "năm", "Năm", "NĂM", "tháng", "Tháng", "THÁNG")
_GLUED_NUMBER = re.compile(rf"{trie_pattern(_GLUED_WORDS)}(?=\d)")
# "số số", "của của", "về về"; and the middle of "Kết luận số Kết luận số 200": dropping "số Kết luận "
# leaves "Kết luận số 200" when the same type word stands before.
# (Two patterns, each starting with a literal: much faster to scan than one alternation.)
_DOUBLED_NUMBER_WORD = re.compile(rf"số\s+(?:số(?!\w)|(?P<type>{TYPE_WORD_CASED})\s+(?=số(?!\w)))")
_DOUBLED_WORDS = (re.compile(r"của\s+của(?!\w)"), re.compile(r"về\s+về(?!\w)"))


# Odd spellings of symbols, each normalised and reported: lower-case codes ("31/2017/tt-btc"), a missing
# hyphen ("61/2018/NĐCP"), a hyphen for the slash before the codes ("132/2008-NĐCP"), a doubled slash.
_STATE_TYPE_CODES = "NĐ|ND|QĐ|QD|TT|TTLT|NQ|CT|TB|KH|HD|CV"
_GLUED_ISSUERS = "CP|TTg|UBND|HĐND|VPCP|B[A-ZĐ]{1,5}|S[A-ZĐ]{1,5}"
# Only odd forms match (a scan over normal symbols would cost every text): the type code in lower case ...
_LOWER_SYMBOL = re.compile(
    r"\d{1,5}(?:/(?:19|20)\d\d)?/(?:ttlt|tt|nđ|nd|qđ|qd|nq|ct|tb|kh|hd|cv)-[a-zđA-ZĐ&]+(?:-[a-zđA-ZĐ&]+)*(?![\w/])"
    r"|\d{1,5}-(?:nq|kl|ct|qđi|qđ|qd|hd|tb|kh|ctr)/(?i:tw|tu)(?![\w/])"
)
# ... or a hyphen for the slash before it, or no hyphen after it.
_GLUED_CODES = re.compile(
    rf"(?P<head>\d{{1,5}}(?:/(?:19|20)\d\d)?)(?:-(?P<type>{_STATE_TYPE_CODES})-?(?P<issuer>{_GLUED_ISSUERS})"
    rf"|/(?P<glued_type>{_STATE_TYPE_CODES})(?P<glued_issuer>{_GLUED_ISSUERS}))(?![\w/])"
)
_DOUBLED_SLASH = re.compile(r"(?<=\d)//(?=[\dA-ZĐ])")
_MIXED_CASE_CODES = {"TTG": "TTg", "QĐI": "QĐi", "CTR": "CTr", "ND": "NĐ", "QD": "QĐ"}
# What every odd form holds, found in one scan that starts at "/" or "-": a text without it is left alone.
_ODD_HINTS = (
    re.compile(rf"/(?:(?:ttlt|tt|nđ|nd|qđ|qd|nq|ct|tb|kh|hd|cv)-|(?:{_STATE_TYPE_CODES})(?:{_GLUED_ISSUERS}))"),
    re.compile(rf"-(?:(?:nq|kl|ct|qđi|qđ|qd|hd|tb|kh|ctr)/|(?:{_STATE_TYPE_CODES})-?(?:{_GLUED_ISSUERS}))"),
)
_CODE_SPLIT = re.compile(r"([/-])")
_SYMBOL_HEAD = re.compile(r"\d+(?:/\d{4})?[/-]")


# A database page's fields glued to the value before ("Số hiệu:78/2025/NĐ-CPNgày đăng công báo").
_FIELD_WORD = re.compile(r"(?:Ngày|Loại|Người|Nơi|Tình trạng|Lĩnh vực|Cơ quan)(?=\s)")


def _unglued_fields(text: str) -> str:
    if "Số hiệu" not in text and "Loại văn bản" not in text:
        return text  # not a database page
    cuts = [m.start() for m in _FIELD_WORD.finditer(text) if m.start() and text[m.start() - 1] in _CODE_END]
    if not cuts:
        return text
    pieces = [text[i:j] for i, j in zip([0, *cuts], [*cuts, len(text)], strict=True)]
    return " ".join(pieces)


_CODE_END = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZĐ0123456789")


# OCR reads "1" as "l" or "I" in a symbol's number: "l5/2020/NĐ-CP", "2l-KL/TW", "I8-NQ/TW". The scan starts at
# the letter (a pattern led by the run of digits would be tried at every position of every text).
_OCR_ONE = re.compile(r"[lI](?=[\dlI]*(?:/(?:19|20)\d\d)?/[A-ZĐ]{2}|[\dlI]*-[A-ZĐ]{2,4}i?/[A-ZĐ])")
_NUMBER_RUN = re.compile(r"[\dlI]*")
_RUN_CHARACTERS = frozenset("0123456789lI")


def _ocr_numbers(text: str, changes: list[tuple[str, str]]) -> str:
    pieces: list[str] = []
    done = 0
    for m in _OCR_ONE.finditer(text):
        start = m.start()
        if start < done:
            continue
        while start > 0 and text[start - 1] in _RUN_CHARACTERS:
            start -= 1
        run = _NUMBER_RUN.match(text, start)
        assert run is not None
        written = run.group()
        if not starts_word(text, start) or not any(ch.isdigit() for ch in written):
            continue
        pieces.extend((text[done:start], written.replace("l", "1").replace("I", "1")))
        changes.append((written, pieces[-1]))
        done = run.end()
    return "".join(pieces) + text[done:] if pieces else text


# A type name or relation wording split by a line break ("Thực hiện Chỉ\nthị số ...", "sửa\nđổi, bổ sung"): the
# scan starts at the line break.
_SPLIT_TYPE = re.compile(
    r"\n(?=(?:thị|định|hoạch|quyết|tư|luận|dẫn|trình|văn|chế|cáo|báo|đổi|sung|thế|cứ|hiện|hành|khai|bỏ|tục)(?!\w))"
)
_TYPE_HEADS = (
    *("Chỉ", "Quyết", "Kế", "Nghị", "Thông", "Kết", "Hướng", "Chương", "Công", "Quy", "Tờ", "Báo"),
    *(" sửa", " bổ", " thay", " căn", " Căn", " thực", " hướng", " thi", " ban", " triển", " bãi", " tiếp", " quy"),
)


def _joined_types(text: str) -> str:
    return _SPLIT_TYPE.sub(lambda m: " " if m.string.endswith(_TYPE_HEADS, 0, m.start()) else "\n", text)


def normalise_forms(text: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """``text`` with odd symbol spellings normalised, and each (written, normalised) pair."""
    changes: list[tuple[str, str]] = []

    def note(new: str, m: re.Match[str]) -> str:
        if new != m.group() and (new == "/" or starts_word(m.string, m.start())):
            changes.append((m.group(), new))
            return new
        return m.group()

    text = _joined_types(_unglued_fields(text))
    if "ềviệc" in text:  # "vềviệc", a web copy's lost space in the most common title phrase
        text = text.replace("vềviệc", "về việc").replace("Vềviệc", "Về việc")
    text = _ocr_numbers(text, changes)
    if "//" in text:
        text = _DOUBLED_SLASH.sub(lambda m: note("/", m), text)
    if any(hint.search(text) for hint in _ODD_HINTS):
        text = _GLUED_CODES.sub(lambda m: note(_unglued(m), m), text)
        text = _LOWER_SYMBOL.sub(lambda m: note(_upper_codes(m.group()), m), text)
    return text, tuple(changes)


def _unglued(m: re.Match[str]) -> str:
    return f"{m['head']}/{m['type'] or m['glued_type']}-{m['issuer'] or m['glued_issuer']}"


def _upper_codes(written: str) -> str:
    head = _SYMBOL_HEAD.match(written)
    assert head is not None
    codes = _CODE_SPLIT.split(written[head.end() :])
    return head.group() + "".join(_MIXED_CASE_CODES.get(c.upper(), c.upper()) for c in codes)


def clean_text(text: str) -> str:
    """The cleaned NFC text extraction works on; spans index into it, in characters."""
    return clean_with_notes(text)[0]


def clean_with_notes(text: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """:func:`clean_text`, with the odd symbol spellings it normalised as (written, normalised) pairs."""
    text = nfc(text)
    if _HTML_TAG.search(text):
        text = _HTML_INVISIBLE.sub("", text)
        text = _HTML_BLOCK_END.sub("\n", text)
        text = _HTML_TAG.sub("", text)
    if "&" in text and _HTML_ENTITY.search(text):
        text = nfc(html.unescape(text))
    text = _ODD_CHARACTER.sub(_plain_character, text.replace("\r\n", "\n"))
    text = _SPACED_SYMBOL.sub(_joined_symbol, text)
    text = _GLUED_NUMBER.sub(_spaced_word, text)
    text = _DOUBLED_NUMBER_WORD.sub(_single_number_word, text)
    for doubled in _DOUBLED_WORDS:
        text = doubled.sub(_single_word, text)
    return normalise_forms(text)


def _plain_character(m: re.Match[str]) -> str:
    ch = m.group()
    if ch in _INVISIBLE:
        return ""
    if ch in _DASHES:
        return "-"
    return "\n" if ch == "\r" else " "


def _joined_symbol(m: re.Match[str]) -> str:
    written = m.group()
    if not (" " in written or "\n" in written) or not starts_word(m.string, m.start()):
        return written
    if m["party_type"]:
        return f"{m['number']}-{m['party_type']}/{m['party_issuer']}"
    year = f"{m['year']}/" if m["year"] else ""
    return f"{m['number']}/{year}{m['state_type']}-{m['state_issuer']}"


def _spaced_word(m: re.Match[str]) -> str:
    return f"{m.group()} " if starts_word(m.string, m.start()) else m.group()


def _single_number_word(m: re.Match[str]) -> str:
    if not starts_word(m.string, m.start()):
        return m.group()
    if m["type"] is None:
        return "số"
    before = m.string[max(0, m.start() - len(m["type"]) - 1) : m.start()].rstrip()
    return "" if before.endswith(m["type"]) else m.group()


def _single_word(m: re.Match[str]) -> str:
    return m.group().split()[0] if starts_word(m.string, m.start()) else m.group()
