"""The registry of central documents, and the short forms and conference resolutions it completes."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.extract import extract
from graph.extract.registry import Registry, build_registry, default_registry, issuer_keys, load_registry

pytestmark = pytest.mark.unit

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "registry.yaml"
REGISTRY = load_registry([FIXTURE])
EMPTY = build_registry([])


@pytest.mark.parametrize(
    ("doc_type", "number", "year", "term", "issuer", "expected"),
    [
        ("Nghị quyết", "57", None, None, "Bộ Chính trị", ["57-NQ/TW"]),
        ("Nghị quyết", "18", None, None, None, ["18-NQ/TW", "18-NQ/TW"]),
        ("Nghị quyết", "18", 2017, None, None, ["18-NQ/TW"]),
        ("Nghị quyết", "18", None, "XIII", None, ["18-NQ/TW"]),
        ("Nghị quyết", "18", 2005, None, None, []),
        ("Chỉ thị", "5", None, None, None, ["05-CT/TW"]),
        ("Kết luận", "57", None, None, None, []),
    ],
    ids=["issuer", "two-terms", "year-narrows", "term-narrows", "wrong-year", "leading-zero", "other-type"],
)
def test_numbered_lookup(
    doc_type: str, number: str, year: int | None, term: str | None, issuer: str | None, expected: list[str]
) -> None:
    found = REGISTRY.numbered(doc_type, number, year=year, term=term, issuer=issuer)
    assert [e.symbol for e in found] == expected


def test_plenum_and_title_lookups() -> None:
    assert [e.symbol for e in REGISTRY.plenary(4, "XII")] == ["04-NQ/TW"]
    assert len(REGISTRY.plenary(6, "XII")) == 2
    assert [e.year for e in REGISTRY.titled("Hiến pháp", "Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam")] == [2013]


@pytest.mark.parametrize(
    ("issuer", "keys"),
    [
        ("Bộ Chính trị, Ban Bí thư", {"bo-chinh-tri", "ban-bi-thu"}),
        ("Ban Chấp hành Trung ương Đảng khóa XII", {"bch-tw"}),
        ("Ban Thường vụ Tỉnh ủy", set()),
        (None, set()),
    ],
)
def test_issuer_keys(issuer: str | None, keys: set[str]) -> None:
    assert issuer_keys(issuer) == keys


def test_missing_files_give_an_empty_registry(tmp_path: Path) -> None:
    assert load_registry([tmp_path / "absent.yaml"]).entries == ()
    assert default_registry(tmp_path / "nowhere").entries == ()
    (tmp_path / "broken.yaml").write_text("documents: [unclosed", encoding="utf-8")
    assert load_registry([tmp_path / "broken.yaml"]).entries == ()


@pytest.mark.parametrize(
    ("text", "registry", "symbols"),
    [
        ("Các cấp ủy quán triệt Nghị quyết số 57 của Bộ Chính trị về khoa học.", REGISTRY, ["57-NQ/TW"]),
        ("Tổng kết Nghị quyết số 18 của Ban Chấp hành Trung ương khóa XII.", REGISTRY, ["18-NQ/TW"]),
        ("Thực hiện Chỉ thị 05 của Bộ Chính trị về học tập.", EMPTY, ["05-CT/TW"]),
        ("Sửa đổi thủ tục tại Nghị định số 116/2005 của Chính phủ.", EMPTY, ["116/2005/NĐ-CP"]),
        ("Huyện ủy có Kế hoạch số 79 về quán triệt.", REGISTRY, []),
        ("Thực hiện Nghị quyết số 57-NQ/TW, sau đó Nghị quyết số 57 của Bộ Chính trị.", REGISTRY, ["57-NQ/TW"]),
        ("Sơ kết Nghị quyết Trung ương 4 (khóa XII) trong toàn Đảng bộ.", REGISTRY, ["04-NQ/TW"]),
        ("Sơ kết Nghị quyết Trung ương 6 khóa XII trong toàn Đảng bộ.", REGISTRY, []),
    ],
    ids=[
        "registry-by-issuer",
        "registry-by-term",
        "central-party-rule",
        "decree-with-year-rule",
        "local-short-form-left",
        "written-symbol-wins",
        "conference-resolution",
        "ambiguous-conference-left",
    ],
)
def test_short_forms_become_references(text: str, registry: Registry, symbols: list[str]) -> None:
    extraction = extract(text, registry=registry)
    assert [ref.symbol for ref in extraction.references] == symbols
    completed = [a for a in extraction.anomalies if a.kind == "short_form"]
    assert bool(completed) == (bool(symbols) and "57-NQ/TW," not in text)


@pytest.mark.parametrize(
    ("text", "status", "candidates"),
    [
        ("Sơ kết Nghị quyết Trung ương 6 khóa XII trong toàn Đảng bộ.", "ambiguous", ("18-NQ/TW", "19-NQ/TW")),
        (
            "Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam năm 2013;",
            "resolved",
            ("Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam (2013)",),
        ),
        ("Căn cứ Luật Đất đai năm 2024;", "unknown", ()),
    ],
    ids=["conference-candidates", "constitution", "not-registered"],
)
def test_title_references_are_looked_up(text: str, status: str, candidates: tuple[str, ...]) -> None:
    (named,) = extract(text, registry=REGISTRY).named_references
    assert (named.resolution.status, named.resolution.candidates) == (status, candidates)


def test_an_ambiguous_short_form_lists_its_candidates() -> None:
    extraction = extract("Tổng kết Nghị quyết số 18 về sắp xếp tổ chức bộ máy.", registry=REGISTRY)
    assert extraction.references == ()
    (anomaly,) = [a for a in extraction.anomalies if a.kind == "ambiguous_short_form"]
    assert anomaly.symbols == ("18-NQ/TW (2017)", "18-NQ/TW (2022)")


def test_a_party_number_without_its_issuer_code() -> None:
    text = "Thực hiện Thông báo Kết luận số 159-TB của Bộ Chính trị về việc thảo luận các văn kiện."
    extraction = extract(text, registry=EMPTY)
    assert [ref.symbol for ref in extraction.references] == ["159-TB/TW"]
    assert [a.kind for a in extraction.anomalies] == ["short_form"]


def test_a_subject_ends_where_a_dated_clause_begins() -> None:
    text = (
        "Thực hiện Chỉ thị số 35-CT/TW của Bộ Chính trị về đại hội đảng bộ các cấp, ngày 10/9/2020 Ban Tuyên giáo"
        " Trung ương có Hướng dẫn số 151-HD/BTGTW về việc lấy ý kiến nhân dân."
    )
    links = [(link.source, link.relation.value, link.target) for link in extract(text, registry=EMPTY).links]
    assert links == [("151-HD/BTGTW", "implements", "35-CT/TW")]
