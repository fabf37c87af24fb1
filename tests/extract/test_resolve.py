"""Resolution against a graph lookup injected as a callable: symbol + year + jurisdiction; else stubs."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from graph.extract import extract, resolved_in_graph
from graph.models import Document
from graph.symbols import symbol_match_key

pytestmark = pytest.mark.unit

STORED = (
    Document(key="43-kl-tw-2019", symbol="43-KL/TW", year=2019),
    Document(key="43-nq-tw-2023", symbol="43-NQ/TW", year=2023),
    Document(key="16-ct-ttg-2016", symbol="16/CT-TTg", year=2016),
    Document(key="16-ct-ttg-2020", symbol="16/CT-TTg", year=2020),
    Document(key="02-nq-tu-thanh-hoa-2015", symbol="02-NQ/TU", year=2015, jurisdiction="thanh-hoa"),
    Document(key="02-nq-tu-nghe-an-2021", symbol="02-NQ/TU", year=2021, jurisdiction="nghe-an"),
    Document(key="2543-qd-tw-thanh-hoa", symbol="2543-QĐ/TW", jurisdiction="thanh-hoa"),
    Document(key="35-2021-nd-cp", symbol="35/2021/NĐ-CP", year=2021),
)


def lookup(symbol: str) -> Sequence[Document]:
    key = symbol_match_key(symbol)
    return [d for d in STORED if symbol_match_key(d.symbol) == key]


@pytest.mark.parametrize(
    ("text", "jurisdiction", "symbol", "status", "key"),
    [
        ("Thực hiện Kết luận số 43-KL/TW của Ban Bí thư.", None, "43-KL/TW", "resolved", "43-kl-tw-2019"),
        (
            "Thực hiện Nghị quyết số 43-NQ/TW của Ban Chấp hành Trung ương.",
            None,
            "43-NQ/TW",
            "resolved",
            "43-nq-tw-2023",
        ),
        (
            "Thực hiện Chỉ thị số 16/CT-TTg, ngày 16-5-2016 của Thủ tướng.",
            None,
            "16/CT-TTg",
            "resolved",
            "16-ct-ttg-2016",
        ),
        ("Thực hiện Chỉ thị số 16/CT-TTg của Thủ tướng.", None, "16/CT-TTg", "ambiguous", None),
        (
            "Thực hiện Nghị quyết số 02-NQ/TU của Ban Thường vụ Tỉnh ủy.",
            "Thanh Hóa",
            "02-NQ/TU",
            "resolved",
            "02-nq-tu-thanh-hoa-2015",
        ),
        (
            "Thực hiện Nghị quyết số 02-NQ/TU của Ban Thường vụ Tỉnh ủy.",
            "Nghệ An",
            "02-NQ/TU",
            "resolved",
            "02-nq-tu-nghe-an-2021",
        ),
        ("Thực hiện Nghị quyết số 02-NQ/TU của Ban Thường vụ Tỉnh ủy.", "Hà Tĩnh", "02-NQ/TU", "unknown", None),
        (
            "Theo Quyết định 2543-QĐ/TW của Ban Thường vụ Tỉnh ủy về đối thoại.",
            "Thanh Hóa",
            "2543-QĐ/TW",
            "resolved",
            "2543-qd-tw-thanh-hoa",
        ),
        (
            "Theo Quyết định 2543-QĐ/TW của Ban Thường vụ Tỉnh ủy về đối thoại.",
            "Nghệ An",
            "2543-QĐ/TW",
            "unknown",
            None,
        ),
        ("Căn cứ Nghị định số 35/2021/NĐ-CP của Chính phủ.", None, "35/2021/NĐ-CP", "resolved", "35-2021-nd-cp"),
        ("Căn cứ Nghị định số 36/2021/NĐ-CP của Chính phủ.", None, "36/2021/NĐ-CP", "unknown", None),
    ],
    ids=[
        "central-by-symbol",
        "same-number-other-type-code",
        "year-from-the-date",
        "undated-matches-two-years",
        "local-series-in-its-jurisdiction",
        "local-series-in-another-jurisdiction",
        "local-series-unknown-here",
        "tw-suffix-of-a-provincial-body-is-local",
        "tw-suffix-of-a-provincial-body-elsewhere",
        "year-in-the-symbol",
        "unknown",
    ],
)
def test_resolution(text: str, jurisdiction: str | None, symbol: str, status: str, key: str | None) -> None:
    (reference,) = extract(text, jurisdiction=jurisdiction, lookup=lookup).references
    assert (reference.symbol, reference.resolution.status, reference.resolution.key) == (symbol, status, key)


def test_ambiguous_reference_is_reported_with_its_candidates() -> None:
    extraction = extract("Thực hiện Chỉ thị số 16/CT-TTg của Thủ tướng.", lookup=lookup)
    (reference,) = extraction.references
    assert set(reference.resolution.candidates) == {"16-ct-ttg-2016", "16-ct-ttg-2020"}
    assert [a.kind for a in extraction.anomalies] == ["ambiguous"]


def test_named_reference_resolves_through_its_lookup() -> None:
    constitution = Document(key="hien-phap-2013", symbol="HP-2013", year=2013, title="Hiến pháp năm 2013")
    extraction = extract(
        "Căn cứ Hiến pháp năm 2013; Hiến pháp năm 1992 đã hết hiệu lực.",
        named_lookup=lambda name: [constitution] if "Hiến pháp" in name else [],
    )
    resolved = {n.name: n.resolution.status for n in extraction.named_references}
    assert resolved == {"Hiến pháp năm 2013": "resolved", "Hiến pháp năm 1992": "unknown"}


def test_without_a_lookup_everything_is_unknown() -> None:
    (reference,) = extract("Thực hiện Kết luận số 43-KL/TW của Ban Bí thư.").references
    assert reference.resolution.status == "unknown"


@pytest.mark.parametrize(
    ("text", "jurisdiction"),
    [
        ("Thực hiện Nghị quyết số 02-NQ/TU của Ban Thường vụ Tỉnh ủy và Chỉ thị số 16/CT-TTg.", "Thanh Hóa"),
        ("Căn cứ Nghị định số 35/2021/NĐ-CP; Nghị quyết số 43-NQ/TW ngày 24/11/2023.", None),
        ("Quán triệt Nghị quyết số 18-NQ/TW và Quyết định số 2543-QĐ/TW.", "Thanh Hóa"),
    ],
    ids=["local-and-reused", "dated", "undated-reused"],
)
def test_resolving_after_extraction_equals_resolving_during_it(text: str, jurisdiction: str | None) -> None:
    during = extract(text, jurisdiction=jurisdiction, lookup=lookup)
    after = resolved_in_graph(extract(text, jurisdiction=jurisdiction), jurisdiction, lookup)
    assert after.references == during.references
    assert sorted(after.anomalies, key=repr) == sorted(during.anomalies, key=repr)
    assert after.links == during.links
