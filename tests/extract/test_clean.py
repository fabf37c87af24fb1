"""Cleaning, and spans that index the cleaned text in characters."""

from __future__ import annotations

import unicodedata

import pytest

from graph.extract import clean_text, extract

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("Nghị quyết số 36-\nNQ/TW về kinh tế biển", "Nghị quyết số 36-NQ/TW về kinh tế biển"),
        ("Kết luận số 12- KL/TW của Bộ Chính trị", "Kết luận số 12-KL/TW của Bộ Chính trị"),
        ("theo Quy định 217 QĐ/ TW", "theo Quy định 217-QĐ/TW"),
        ("Chỉ thị số 16/ 2001 /CT - TTg", "Chỉ thị số 16/2001/CT-TTg"),
        ("ban hành ngày26/11/2003", "ban hành ngày 26/11/2003"),
        ("Công văn số1158-CV/TU", "Công văn số 1158-CV/TU"),
        ("Kết luận số Kết luận số 200-KL/TW", "Kết luận số 200-KL/TW"),
        ("ý kiến của của Ban Thường vụ", "ý kiến của Ban Thường vụ"),
        ("Nghị quyết\u00a0số 18–NQ/TW\u200b", "Nghị quyết số 18-NQ/TW"),
        ("dòng một\r\ndòng hai", "dòng một\ndòng hai"),
        (
            "<p>Thực hiện <b>Chỉ thị số 05-CT/TW</b></p><p>ngày 15/5/2016</p>",
            "Thực hiện Chỉ thị số 05-CT/TW\nngày 15/5/2016\n",
        ),
        ("Quyết định số 99/QĐ-UBND &amp; Kế hoạch số 7/KH-UBND", "Quyết định số 99/QĐ-UBND & Kế hoạch số 7/KH-UBND"),
        ("nhiệm kỳ 2020 - 2025, năm 2019", "nhiệm kỳ 2020 - 2025, năm 2019"),
        ("một số Nghị quyết số 3-NQ/TU", "một số Nghị quyết số 3-NQ/TU"),
    ],
    ids=[
        "line-break-in-party-symbol",
        "space-after-dash",
        "missing-dash-and-space-after-slash",
        "spaces-in-state-symbol",
        "glued-date",
        "glued-number-word",
        "doubled-type-phrase",
        "doubled-word",
        "odd-spaces-dashes-invisible",
        "crlf",
        "html-tags",
        "html-entities",
        "ordinary-ranges-untouched",
        "ordinary-so-untouched",
    ],
)
def test_clean_text(raw: str, cleaned: str) -> None:
    assert clean_text(raw) == cleaned


def test_clean_text_is_nfc() -> None:
    raw = unicodedata.normalize("NFD", "Nghị quyết số 18-NQ/TW của Ban Chấp hành Trung ương Đảng")
    assert clean_text(raw) == unicodedata.normalize("NFC", raw)


@pytest.mark.parametrize(
    "text",
    [
        unicodedata.normalize("NFD", "Đảng ủy khối thực hiện nghiêm Kết luận số 43-KL/TW của Ban Bí thư."),
        "𝐓𝐢𝐧 𝐦𝐨̛́𝐢 — Tỉnh ủy triển khai Kết luận số 43-KL/TW của Ban Bí thư.",
        "Nghị quyết số 36-\nNQ/TW và Kết luận số 43-KL/TW.",
        "<div>Ủy ban nhân dân tỉnh: Kết luận số 43-KL/TW</div>",
    ],
    ids=["nfd-input", "astral-characters-before", "repair-before", "html-before"],
)
def test_spans_are_character_offsets_into_the_cleaned_text(text: str) -> None:
    extraction = extract(text)
    reference = next(r for r in extraction.references if r.symbol == "43-KL/TW")
    (start, end), *_ = reference.spans
    assert extraction.text[start:end] == "43-KL/TW"
    assert start == extraction.text.index("43-KL/TW")
