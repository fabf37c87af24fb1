"""Property tests: the symbol parser (round trips, idempotent, NFC = NFD) and the extractor (total, spans inside)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.extract import Extraction, extract
from graph.symbols import (
    PARTY_ISSUER_CODES,
    TYPE_CODE_NAMES,
    canonical_symbol,
    format_symbol,
    parse_symbol,
    symbol_match_key,
)

pytestmark = pytest.mark.unit

STATE_ISSUERS = ["CP", "TTg", "UBND", "BNV", "BTC", "QH13", "HĐND", "SNV-CCHC&PC", "BCĐ"]
WORDS = [
    "Nghị quyết",
    "Kết luận",
    "Kế hoạch",
    "số",
    "ngày",
    "tháng",
    "năm",
    "của",
    "Ban Chấp hành Trung ương",
    "Tỉnh ủy",
    "thực hiện",
    "căn cứ",
    "Tổ chức thực hiện",
    "các huyện ủy",
    "xây dựng kế hoạch",
    "sửa đổi",
    "bổ sung",
    "Quyết định",
    "Chỉ thị",
    "về",
    "đẩy mạnh",
    "TƯ",
    "T.Ư",
    "Đảng",
    "Thông tư",
    "Luật",
    ";",
    ",",
    ".",
    "\n",
    "<p>",
    "</p>",
    "&nbsp;",
]


def _recase(draw: st.DrawFn, text: str) -> str:
    return draw(st.sampled_from([text, text.lower(), text.upper()]))


@st.composite
def symbol_texts(draw: st.DrawFn) -> str:
    """Symbols as texts write them: either form, odd case and spacing, "số", dashes, TƯ for TW."""
    number = draw(st.sampled_from(["", "0"])) + str(draw(st.integers(0, 99999)))
    code = _recase(draw, draw(st.sampled_from(sorted(TYPE_CODE_NAMES))))
    dash = draw(st.sampled_from(["-", "–", " - ", "−"]))
    slash = draw(st.sampled_from(["/", " / "]))
    if draw(st.booleans()):
        issuer = _recase(draw, draw(st.sampled_from([*sorted(PARTY_ISSUER_CODES), "TƯ", "T.Ư"])))
        core = f"{number}{dash}{code}{slash}{issuer}"
    else:
        issuer = _recase(draw, draw(st.sampled_from(STATE_ISSUERS)))
        year = draw(st.sampled_from(["", "/2014", "/2021"]))
        core = f"{number}{year}{slash}{code}{dash}{issuer}" if draw(st.booleans()) else f"{number}{year}/{issuer}"
    return draw(st.sampled_from(["", "số ", "Số: ", "  "])) + core


any_symbol_text = st.one_of(symbol_texts(), st.text(max_size=40))
document_texts = st.one_of(
    st.text(max_size=400),
    st.lists(st.one_of(st.sampled_from(WORDS), symbol_texts(), st.dates().map(str)), max_size=60).map(" ".join),
)


@given(symbol_texts())
def test_symbol_texts_parse(text: str) -> None:
    assert parse_symbol(text) is not None


@given(any_symbol_text)
def test_format_then_parse_round_trips(text: str) -> None:
    parts = parse_symbol(text)
    if parts is not None:
        assert parse_symbol(format_symbol(parts)) == parts


@given(any_symbol_text)
def test_normalization_is_idempotent(text: str) -> None:
    once = canonical_symbol(text)
    assert canonical_symbol(once) == once
    key = symbol_match_key(text)
    assert symbol_match_key(key) == key


@given(any_symbol_text)
def test_nfc_and_nfd_inputs_agree(text: str) -> None:
    nfc, nfd = unicodedata.normalize("NFC", text), unicodedata.normalize("NFD", text)
    assert parse_symbol(nfd) == parse_symbol(nfc)
    assert canonical_symbol(nfd) == canonical_symbol(nfc)
    assert symbol_match_key(nfd) == symbol_match_key(nfc)


def _spans(extraction: Extraction) -> Iterator[tuple[int, int]]:
    for reference in extraction.references:
        yield from reference.spans
    for named in extraction.named_references:
        yield from named.spans
    yield from (link.span for link in extraction.links)
    yield from (obligation.span for obligation in extraction.obligations)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document_texts, st.sampled_from([None, "thanh-hoa", "nghe-an"]))
def test_extract_is_total_and_spans_lie_inside(text: str, jurisdiction: str | None) -> None:
    extraction = extract(text, jurisdiction=jurisdiction)
    for start, end in _spans(extraction):
        assert 0 <= start < end <= len(extraction.text), (start, end, len(extraction.text))
    extraction.to_dict()
