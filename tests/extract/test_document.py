"""The text's own document, and the anomalies extraction reports instead of hiding."""

from __future__ import annotations

import datetime as dt

import pytest

from graph.extract import extract

pytestmark = pytest.mark.unit

NEWS_LEAD = (
    "(Báo Quảng Trị) - Thực hiện Kết luận số 14-KL/TW ngày 22/9/2021 của Bộ Chính trị, Ban Thường vụ Tỉnh ủy "
    "ban hành Kế hoạch hành động (số 52-KH/TU, ngày 4-11-2021) như sau:\n1. Quán triệt Kế hoạch này."
)
DECISION = (
    "ỦY BAN NHÂN DÂN\nTỈNH CÀ MAU\n-------\nSố: 512/QĐ-UBND\nCà Mau, ngày 20 tháng 3 năm 2023\n\nQUYẾT ĐỊNH\n"
    "Về việc ban hành Quy chế làm việc của Ủy ban nhân dân tỉnh\n\nCHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH\n"
    "Căn cứ Nghị định số 138/2016/NĐ-CP ngày 01/10/2016 của Chính phủ ban hành Quy chế làm việc mẫu;\n"
    "QUYẾT ĐỊNH:\nĐiều 1. Ban hành kèm theo Quyết định này Quy chế làm việc."
)
HEADLESS_DECREE = (
    "Căn cứ Luật Tổ chức Chính phủ ngày 19 tháng 6 năm 2015;\nCăn cứ Nghị định số 15/2020/NĐ-CP của Chính phủ;\n"
    "Theo đề nghị của Bộ trưởng Bộ Thông tin và Truyền thông;\nChính phủ ban hành Nghị định.\n"
    "Điều 1. Sửa đổi, bổ sung Điều 3 Nghị định số 15/2020/NĐ-CP."
)
FLATTENED_HEADER = (
    "CHÍNH PHỦ | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
    "Số: 15/2020/NĐ-CP | Hà Nội, ngày 03 tháng 02 năm 2020\nNGHỊ ĐỊNH\n"
    "QUY ĐỊNH XỬ PHẠT VI PHẠM HÀNH CHÍNH TRONG LĨNH VỰC BƯU CHÍNH, VIỄN THÔNG\n"
    "Căn cứ Luật Tổ chức Chính phủ ngày 19 tháng 6 năm 2015;\n"
    "Chính phủ ban hành Nghị định quy định xử phạt vi phạm hành chính trong lĩnh vực bưu chính, viễn thông."
)
MEETING = (
    "Hội nghị sơ kết công tác dân vận 6 tháng đầu năm\n\n"
    "(Báo Cà Mau) - Sáng 12/7, Ban Dân vận Tỉnh ủy tổ chức hội nghị sơ kết công tác dân vận 6 tháng đầu năm.\n"
    "Theo báo cáo, Ban Thường vụ Tỉnh ủy đã ban hành Kế hoạch số 88-KH/TU ngày 3/3/2023 về thực hiện "
    "Kết luận số 43-KL/TW của Ban Bí thư."
)
HEADLINE_THEN_LEAD = (
    "Tỉnh ban hành kế hoạch chuyển đổi số năm 2024 cho các cơ quan nhà nước\n\n"
    "(Báo Cà Mau) - Ủy ban nhân dân tỉnh Cà Mau vừa ban hành Kế hoạch số 35/KH-UBND ngày 22/1/2024 về chuyển đổi số "
    "nhằm thực hiện Quyết định số 749/QĐ-TTg của Thủ tướng Chính phủ."
)


@pytest.mark.parametrize(
    ("text", "jurisdiction", "expected"),
    [
        (
            NEWS_LEAD,
            "Quảng Trị",
            {"symbol": "52-KH/TU", "type": "Kế hoạch", "date": dt.date(2021, 11, 4), "jurisdiction": "Quảng Trị"},
        ),
        (
            DECISION,
            None,
            {
                "symbol": "512/QĐ-UBND",
                "type": "Quyết định",
                "date": dt.date(2023, 3, 20),
                "jurisdiction": "Cà Mau",
                "title": "Quyết định về việc ban hành Quy chế làm việc của Ủy ban nhân dân tỉnh",
            },
        ),
        (HEADLESS_DECREE, None, {"symbol": None, "type": "Nghị định"}),
        (
            FLATTENED_HEADER,
            None,
            {
                "symbol": "15/2020/NĐ-CP",
                "date": dt.date(2020, 2, 3),
                "issuer": "CHÍNH PHỦ",
                "title": "Nghị định quy định xử phạt vi phạm hành chính trong lĩnh vực bưu chính, viễn thông",
            },
        ),
        (
            HEADLINE_THEN_LEAD,
            None,
            {
                "symbol": "35/KH-UBND",
                "date": dt.date(2024, 1, 22),
                "issuer": "Ủy ban nhân dân tỉnh Cà Mau",
                "jurisdiction": "Cà Mau",
            },
        ),
    ],
    ids=[
        "news-lead-announces-a-plan",
        "decision-header-and-preamble",
        "preamble-without-header",
        "web-copy-with-flattened-header-and-capital-title",
        "numbered-lead-below-headline",
    ],
)
def test_own_document(text: str, jurisdiction: str | None, expected: dict[str, object]) -> None:
    extraction = extract(text, jurisdiction=jurisdiction)
    assert extraction.document is not None
    assert {field: getattr(extraction.document, field) for field in expected} == expected
    assert extraction.document.symbol not in {r.symbol for r in extraction.references}


def test_own_document_links_from_itself() -> None:
    links = {(link.source, link.relation.value, link.target) for link in extract(DECISION).links}
    assert links == {("512/QĐ-UBND", "based_on", "138/2016/NĐ-CP")}


MEETING_LEAD_WITH_A_PLAN = (
    "(Báo Yên Bái) - Sáng 20/2, Ban Thường vụ Tỉnh ủy tổ chức hội nghị quán triệt Nghị quyết số 57-NQ/TW ngày "
    "22/12/2024 của Bộ Chính trị; Ban Thường vụ Tỉnh ủy đã ban hành Kế hoạch số 210-KH/TU ngày 10/2/2025 để triển "
    "khai thực hiện nghị quyết.\nPhát biểu tại hội nghị, đồng chí Bí thư Tỉnh ủy yêu cầu quán triệt nghị quyết."
)
UNNUMBERED_NEWS = (
    "(Báo Đắk Lắk) - Ban Thường vụ Tỉnh ủy vừa ban hành Kế hoạch thực hiện Kết luận số 84-KL/TW ngày 21/6/2024 "
    "của Bộ Chính trị về cải cách chính sách tiền lương.\nKế hoạch yêu cầu các cấp ủy quán triệt Kế hoạch này."
)


def test_unnumbered_announcement_is_an_own_document_without_symbol() -> None:
    extraction = extract(UNNUMBERED_NEWS)
    assert extraction.document is not None
    assert (extraction.document.symbol, extraction.document.issuer) == (None, "Ban Thường vụ Tỉnh ủy")
    assert extraction.document.title == (
        "Kế hoạch thực hiện Kết luận số 84-KL/TW ngày 21/6/2024 của Bộ Chính trị về cải cách chính sách tiền lương"
    )
    # Without a symbol the plan cannot be a link's source: the reference stays, the link does not.
    assert [ref.symbol for ref in extraction.references] == ["84-KL/TW"]
    assert extraction.links == ()


@pytest.mark.parametrize(
    ("text", "expected_links"),
    [
        (MEETING, [("88-KH/TU", "implements", "43-KL/TW")]),
        (MEETING_LEAD_WITH_A_PLAN, [("210-KH/TU", "implements", "57-NQ/TW")]),
    ],
    ids=["plan-mentioned-below-the-lead", "plan-mentioned-in-a-meeting-lead"],
)
def test_meeting_report_has_no_own_document(text: str, expected_links: list[tuple[str, str, str]]) -> None:
    extraction = extract(text)
    assert extraction.document is None
    assert [(link.source, link.relation.value, link.target) for link in extraction.links] == expected_links


def test_meeting_report_references() -> None:
    extraction = extract(MEETING)
    assert extraction.document is None
    assert {r.symbol for r in extraction.references} == {"88-KH/TU", "43-KL/TW"}


@pytest.mark.parametrize(
    ("text", "kind", "symbols"),
    [
        (
            "Thực hiện Quy định số 124-QĐ/TW, ngày 2-2-2018 của Ban Bí thư về giám sát; Kế hoạch của Tỉnh ủy về "
            "thực hiện Quy định số 124-QĐi/TW, ngày 2-2-2018 của Ban Bí thư.",
            "alias_spelling",
            ("124-QĐ/TW", "124-QĐi/TW"),
        ),
        (
            "Thực hiện Hướng dẫn số 04-HD/TW, ngày 11-1-2019 của Ban Thường vụ Tỉnh ủy về giám sát.",
            "provincial_tw_suffix",
            ("04-HD/TW",),
        ),
        (
            "Tiếp tục thực hiện Kế hoạch số 112-KH/TU ngày 15/3/2022 của Tỉnh ủy; theo dõi việc thực hiện "
            "Kế hoạch số 112-KH/TU ngày 16/3/2022.",
            "conflicting_dates",
            ("112-KH/TU",),
        ),
        (
            "Thực hiện nghiêm Quy định số 22-QĐ/TW ngày 28/7/2021 của Ban Chấp hành Trung ương.",
            "type_mismatch",
            ("22-QĐ/TW",),
        ),
    ],
    ids=[
        "two-spellings-one-document",
        "tw-suffix-on-a-provincial-body",
        "one-symbol-two-dates",
        "type-word-disagrees-with-code",
    ],
)
def test_anomalies_are_reported(text: str, kind: str, symbols: tuple[str, ...]) -> None:
    extraction = extract(text)
    assert (kind, symbols) in {(a.kind, a.symbols) for a in extraction.anomalies}
    assert kind in next(r for r in extraction.references if r.symbol == symbols[0]).anomalies


def test_two_spellings_are_one_reference_with_aliases() -> None:
    text = (
        "Thực hiện Quy định số 124-QĐ/TW, ngày 2-2-2018 của Ban Bí thư; Kế hoạch về thực hiện Quy định số "
        "124-QĐi/TW, ngày 2-2-2018 của Ban Bí thư."
    )
    (reference,) = extract(text).references
    assert (reference.symbol, reference.aliases, len(reference.spans)) == ("124-QĐ/TW", ("124-QĐi/TW",), 2)


@pytest.mark.parametrize(
    "text",
    [
        "Quán triệt Nghị quyết số 43-NQ/TW ngày 24/1/2023 của Ban Chấp hành Trung ương và Kết luận số 43-KL/TW ngày "
        "7/1/2019 của Ban Bí thư.",
        "Căn cứ Quyết định số 26/QĐ-TTg của Thủ tướng Chính phủ và Nghị quyết số 26/NQ-CP của Chính phủ.",
    ],
    ids=["party-nq-and-kl", "state-qd-and-nq"],
)
def test_same_number_different_type_code_is_a_different_document(text: str) -> None:
    extraction = extract(text)
    assert len(extraction.references) == 2
    assert not any(a.kind == "alias_spelling" for a in extraction.anomalies)
