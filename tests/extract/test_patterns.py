"""The scan-speed forms of the shared patterns find exactly what their plain forms find."""

from __future__ import annotations

import re
import sys

import pytest

from graph.extract.patterns import (
    CUE_INITIALS,
    GOVERNING_CUE,
    PREAMBLE_BASIS,
    SECTION_HEADING,
    SYMBOL,
    SYMBOL_NUMBER,
    TYPE_HEADING,
    LinePattern,
)
from graph.symbols import parse_compact_symbol, parse_symbol
from graph.text import squash_spaces

pytestmark = pytest.mark.unit

# SYMBOL as it reads with a plain number: tried at every digit.
_PLAIN_SYMBOL = re.compile(SYMBOL.pattern.replace(SYMBOL_NUMBER, r"\d{1,6}", 1))


@pytest.mark.parametrize(
    "text",
    [
        "Kết luận số 43-KL/TW và Quyết định số 1234/QĐ-UBND.",
        "Số hiệu 1234567-KL/TW có bảy chữ số.",
        "Mã 123456789012/2020/QĐ-UBND quá dài.",
        "Ngày 12/03/2019, theo văn bản 2231/SNV-CCHC&PC.",
        "Các số 000123-NQ/TW và 0007/2021/NĐ-CP.",
        "Dãy 12345678 rồi 9-KL/TW liền sau.",
        "123456-KL/TW1234567/CT-TTg",
    ],
    ids=[
        "ordinary",
        "seven-digit-run",
        "twelve-digit-run",
        "dates-and-codes",
        "leading-zeros",
        "long-run-then-symbol",
        "glued",
    ],
)
def test_symbol_scan_matches_plain_scan(text: str) -> None:
    assert [m.span() for m in SYMBOL.finditer(text)] == [m.span() for m in _PLAIN_SYMBOL.finditer(text)]


def test_cue_initials_hold_every_letter_ignorecase_equates_with_them() -> None:
    """The scan for a cue starts at these letters case-sensitively, the cue itself ignores case."""
    equal_ignoring_case = re.compile(f"[{CUE_INITIALS}]", re.IGNORECASE)
    matched = {chr(c) for c in range(sys.maxunicode + 1) if equal_ignoring_case.fullmatch(chr(c))}
    assert matched == set(CUE_INITIALS)


@pytest.mark.parametrize(
    ("before", "relation"),
    [
        ("Tiếp tục thực hiện có hiệu quả ", "continues"),
        ("CĂN CỨ ", "based_on"),
        ("Quy định chi tiết một số điều của ", "guides"),
        ("sửa đổi, bổ sung một số điều của ", "amends"),
        ("Bổ sung một số điều ", "amends"),
        ("Thay thế cho ", "replaces"),
        ("Bãi bỏ ", "repeals"),
        ("- Triển khai, ", "implements"),
        ("Tổ chức quán triệt nghiêm túc ", "implements"),
        ("Hiệu quả thực hiện tốt ", "implements"),
        ("Sau khi xem xét ", None),
        ("Các thiết chế ", None),
    ],
    ids=[
        "continues",
        "upper-case",
        "guides",
        "amends",
        "adds",
        "replaces",
        "repeals",
        "list-item",
        "mid-sentence",
        "after-other-words",
        "no-cue",
        "cue-letters-inside-words",
    ],
)
def test_governing_cue_ends_at_the_mention(before: str, relation: str | None) -> None:
    text = f"{before}Nghị quyết số 25-NQ/TW"
    cue = GOVERNING_CUE.search(text, 0, len(before))
    assert (cue.lastgroup if cue else None) == relation


_LINES = (
    "KẾ HOẠCH\nCăn cứ Luật Tổ chức chính quyền địa phương;\n  Căn cứ Nghị định số 35/2021/NĐ-CP;\n"
    "III. TỔ CHỨC THỰC HIỆN\nCăn cứ"
)


@pytest.mark.parametrize(
    ("pattern", "pos", "endpos"),
    [
        (PREAMBLE_BASIS, 0, len(_LINES)),
        (PREAMBLE_BASIS, 1, len(_LINES)),
        (PREAMBLE_BASIS, 60, len(_LINES)),
        (PREAMBLE_BASIS, 0, 20),
        (PREAMBLE_BASIS, len(_LINES) - 6, len(_LINES)),
        (TYPE_HEADING, 0, len(_LINES)),
        (SECTION_HEADING, 0, len(_LINES)),
        (SECTION_HEADING, 0, len(_LINES) - 8),
    ],
    ids=[
        "basis-first-line",
        "basis-mid-line",
        "basis-indented",
        "basis-cut-off",
        "basis-last-line",
        "heading",
        "section",
        "section-cut-off",
    ],
)
def test_line_pattern_finds_what_a_multiline_search_finds(pattern: LinePattern, pos: int, endpos: int) -> None:
    found, expected = pattern.search(_LINES, pos, endpos), pattern.line.search(_LINES, pos, endpos)
    assert (found and found.span()) == (expected and expected.span())


@pytest.mark.parametrize(
    "written", ["43-KL/TW", "11/QĐi-TW", "16/2001/CT-TTg", "55/2014/QH13", "2231/SNV-CCHC&PC", "007-QĐ/TW", "12-NQ/T.Ư"]
)
def test_a_symbol_match_parses_as_compact(written: str) -> None:
    match = SYMBOL.fullmatch(written)
    assert match is not None
    assert parse_compact_symbol(match.group()) == parse_symbol(match.group())


def test_squash_spaces_collapses_every_character_a_regex_space_matches() -> None:
    spaces = "".join(chr(c) for c in range(sys.maxunicode + 1) if re.fullmatch(r"\s", chr(c)))
    text = f"{spaces}Kết luận{spaces}số 43-KL/TW{spaces}"
    assert squash_spaces(text) == re.sub(r"\s+", " ", text).strip() == "Kết luận số 43-KL/TW"
