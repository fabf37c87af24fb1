"""Classifying: the relation each mention states, and for which subject; short and anaphoric mentions."""

from __future__ import annotations

import pytest

from graph.extract import extract

pytestmark = pytest.mark.unit

DECISION_HEADER = "ỦY BAN NHÂN DÂN\nTỈNH HÀ TĨNH\nSố: 77/QĐ-UBND\nHà Tĩnh, ngày 3 tháng 4 năm 2024\nQUYẾT ĐỊNH\n"
PLAN_HEADER = "TỈNH ỦY HÀ TĨNH\nSố 41-KH/TU\nHà Tĩnh, ngày 3 tháng 4 năm 2024\nKẾ HOẠCH\n"


def links_of(text: str) -> set[tuple[str | None, str, str]]:
    return {(link.source, link.relation.value, link.target) for link in extract(text).links}


@pytest.mark.parametrize(
    ("body", "relation", "target"),
    [
        (
            "Thực hiện Kết luận số 14-KL/TW ngày 22/9/2021 của Bộ Chính trị, Ban Thường vụ xây dựng Kế hoạch này.",
            "implements",
            "14-KL/TW",
        ),
        ("Các cấp ủy triển khai thực hiện Chỉ thị số 05-CT/TW của Bộ Chính trị.", "implements", "05-CT/TW"),
        ("Tổng kết việc thực hiện Nghị quyết số 39-NQ/TW của Bộ Chính trị.", "implements", "39-NQ/TW"),
        ("Tiếp tục thực hiện Nghị quyết số 07-NQ/TU của Tỉnh ủy về dân vận.", "continues", "07-NQ/TU"),
        (
            "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư;",
            "based_on",
            "30/2020/NĐ-CP",
        ),
        ("Căn cứ Luật Đầu tư công số 58/2024/QH15;", "based_on", "58/2024/QH15"),
        ("Văn bản này hướng dẫn thi hành Nghị định số 62/2020/NĐ-CP của Chính phủ.", "guides", "62/2020/NĐ-CP"),
        ("Văn bản này hướng dẫn thực hiện một số điều của Nghị định số 62/2020/NĐ-CP.", "guides", "62/2020/NĐ-CP"),
        ("Văn bản này quy định chi tiết một số điều của Luật số 15/2012/QH13.", "guides", "15/2012/QH13"),
        (
            "Sửa đổi, bổ sung một số điều của Quyết định số 12/2019/QĐ-UBND của Ủy ban nhân dân tỉnh.",
            "amends",
            "12/2019/QĐ-UBND",
        ),
        (
            "Quyết định này thay thế Quyết định số 3487/QĐ-UBND ngày 15/10/2021 của Ủy ban nhân dân tỉnh.",
            "replaces",
            "3487/QĐ-UBND",
        ),
        ("Bãi bỏ khoản 2 Điều 5 Quyết định số 45/2020/QĐ-UBND của Ủy ban nhân dân tỉnh.", "repeals", "45/2020/QĐ-UBND"),
        ("Các cơ quan báo cáo theo Công văn số 88/UBND-TH của Ủy ban nhân dân tỉnh.", "cites", "88/UBND-TH"),
    ],
    ids=[
        "thuc-hien",
        "trien-khai-thuc-hien",
        "tong-ket-viec-thuc-hien",
        "tiep-tuc-thuc-hien",
        "can-cu",
        "can-cu-law-with-title",
        "huong-dan-thi-hanh",
        "huong-dan-thuc-hien",
        "quy-dinh-chi-tiet",
        "sua-doi-bo-sung",
        "thay-the",
        "bai-bo-with-clause",
        "otherwise-cites",
    ],
)
def test_relation_from_wording(body: str, relation: str, target: str) -> None:
    assert links_of(DECISION_HEADER + body) == {("77/QĐ-UBND", relation, target)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            PLAN_HEADER + "Thực hiện Kết luận số 43-KL/TW ngày 7/1/2019 của Ban Bí thư về tiếp tục thực hiện "
            "Nghị quyết số 25-NQ/TW của Ban Chấp hành Trung ương, Ban Thường vụ Tỉnh ủy ban hành Kế hoạch này.",
            {("41-KH/TU", "implements", "43-KL/TW"), ("43-KL/TW", "continues", "25-NQ/TW")},
        ),
        (
            DECISION_HEADER + "Bãi bỏ Nghị định số 88/2017/NĐ-CP ngày 27/7/2017 của Chính phủ sửa đổi, bổ sung "
            "một số điều của Nghị định số 56/2015/NĐ-CP.",
            {("77/QĐ-UBND", "repeals", "88/2017/NĐ-CP"), ("88/2017/NĐ-CP", "amends", "56/2015/NĐ-CP")},
        ),
        (
            PLAN_HEADER + "Quán triệt Nghị quyết số 18-NQ/TW ngày 25/10/2017 của Ban Chấp hành Trung ương và "
            "Kế hoạch số 73-KH/TU ngày 30/1/2018 của Ban Thường vụ Tỉnh ủy về triển khai thực hiện nghị quyết.",
            {
                ("41-KH/TU", "implements", "18-NQ/TW"),
                ("41-KH/TU", "implements", "73-KH/TU"),
                ("73-KH/TU", "implements", "18-NQ/TW"),
            },
        ),
        (
            "Sáng 5/4, Tỉnh ủy tổ chức hội nghị sơ kết 5 năm thực hiện Nghị quyết số 18-NQ/TW của Ban Chấp hành "
            "Trung ương. Kết luận số 28-KL/TW của Bộ Chính trị về tiếp tục thực hiện Nghị quyết số 18-NQ/TW được "
            "quán triệt.",
            {("28-KL/TW", "continues", "18-NQ/TW")},
        ),
        (
            "Sáng 20/2, Huyện ủy tổ chức hội nghị sơ kết công tác năm 2024 trên địa bàn huyện.\nBan Thường vụ Huyện ủy "
            "đã ban hành Kế hoạch số 75-KH/HU nhằm cụ thể hóa Nghị quyết số 05-NQ/TU của Tỉnh ủy; Chương trình số "
            "12-CTr/HU để thực hiện Kết luận số 14-KL/TW.",
            {("75-KH/HU", "implements", "05-NQ/TU"), ("12-CTr/HU", "implements", "14-KL/TW")},
        ),
        (
            PLAN_HEADER + "Thực hiện Nghị quyết số 18-NQ/TW của Ban Chấp hành Trung ương; Kết luận số 28-KL/TW của Bộ "
            "Chính trị; Hướng dẫn số 12-HD/BTCTW của Ban Tổ chức Trung ương, Ban Thường vụ Tỉnh ủy xây dựng Kế "
            "hoạch này.",
            {
                ("41-KH/TU", "implements", "18-NQ/TW"),
                ("41-KH/TU", "implements", "28-KL/TW"),
                ("41-KH/TU", "implements", "12-HD/BTCTW"),
            },
        ),
        (
            PLAN_HEADER + "- Tiếp tục thực hiện tốt Quy chế dân chủ ở cơ sở; công khai hoạt động quản lý; "
            "Quyết định số 5-QĐ/TU của Tỉnh ủy về đối thoại.",
            {("41-KH/TU", "cites", "5-QĐ/TU")},
        ),
        (
            DECISION_HEADER + "Điều 2. Bãi bỏ các Quyết định sau:\na) Quyết định số 12/2016/QĐ-UBND ngày 3/3/2016;\n"
            "b) Quyết định số 40/2018/QĐ-UBND ngày 9/9/2018.\nĐiều 3. Giao Sở Tư pháp theo dõi Quyết định số "
            "5/QĐ-UBND.",
            {
                ("77/QĐ-UBND", "repeals", "12/2016/QĐ-UBND"),
                ("77/QĐ-UBND", "repeals", "40/2018/QĐ-UBND"),
                ("77/QĐ-UBND", "cites", "5/QĐ-UBND"),
            },
        ),
        (
            DECISION_HEADER
            + "Điều 3. Hiệu lực thi hành\n3. Bãi bỏ các nội dung sau:\n\na) Khoản 4 Điều 1 Quyết định số "
            "12/2016/QĐ-UBND;\n\nb) Điểm c khoản 2 Điều 3 của Quyết định số 40/2018/QĐ-UBND.",
            {("77/QĐ-UBND", "repeals", "12/2016/QĐ-UBND"), ("77/QĐ-UBND", "repeals", "40/2018/QĐ-UBND")},
        ),
        (
            DECISION_HEADER + "Căn cứ Luật Thương mại số 36/2005/QH11; Luật số 67/2020/QH14 sửa đổi, bổ sung một số "
            "điều của Luật Thương mại;",
            {
                ("77/QĐ-UBND", "based_on", "36/2005/QH11"),
                ("77/QĐ-UBND", "based_on", "67/2020/QH14"),
                ("67/2020/QH14", "amends", "36/2005/QH11"),
            },
        ),
    ],
    ids=[
        "statement-between-two-references",
        "amends-between-references-not-the-main-document",
        "anaphoric-nghi-quyet-points-back",
        "meeting-report-links-only-between-references",
        "statement-after-a-purpose-word",
        "opening-wording-governs-a-semicolon-list-of-documents",
        "opening-wording-does-not-reach-other-tasks",
        "list-under-relation-wording",
        "list-of-provisions-under-a-numbered-heading",
        "each-item-of-a-basis-line-and-a-law-by-its-title",
    ],
)
def test_links_between_references(text: str, expected: set[tuple[str | None, str, str]]) -> None:
    assert links_of(text) == expected


@pytest.mark.parametrize(
    ("text", "target", "mentions"),
    [
        (
            PLAN_HEADER + "Thực hiện Kết luận số 21-KL/TW ngày 25/10/2021 của Ban Chấp hành Trung ương. "
            "Các cấp ủy quán triệt Kết luận 21 đến mọi đảng viên.",
            "21-KL/TW",
            2,
        ),
        (
            PLAN_HEADER + "Thực hiện Nghị quyết số 42-NQ/TW ngày 24/11/2023 của Ban Chấp hành Trung ương "
            "(sau đây gọi là Nghị quyết), Tỉnh ủy ban hành Kế hoạch này.\n1. Quán triệt sâu sắc Nghị quyết đến cán bộ.",
            "42-NQ/TW",
            2,
        ),
        (
            PLAN_HEADER + "Thực hiện Chỉ thị số 35-CT/TW của Bộ Chính trị về đại hội đảng bộ các cấp; "
            "các chi bộ tổ chức học tập chỉ thị.",
            "35-CT/TW",
            2,
        ),
    ],
    ids=["short-form-after-full-form", "sau-day-goi-la", "lower-case-anaphora"],
)
def test_short_and_anaphoric_mentions_denote_the_earlier_reference(text: str, target: str, mentions: int) -> None:
    reference = next(r for r in extract(text).references if r.symbol == target)
    assert len(reference.spans) == mentions


def test_this_plan_is_the_own_document_not_a_reference() -> None:
    text = (
        PLAN_HEADER
        + "Các huyện ủy xây dựng kế hoạch thực hiện Kế hoạch này và Kết luận số 21-KL/TW của Ban Chấp hành Trung ương."
    )
    extraction = extract(text)
    assert [r.symbol for r in extraction.references] == ["21-KL/TW"]
    assert {(link.source, link.target) for link in extraction.links} == {("41-KH/TU", "21-KL/TW")}


def test_generic_plural_is_not_anaphora() -> None:
    text = PLAN_HEADER + "Thực hiện Nghị quyết số 18-NQ/TW của Ban Chấp hành Trung ương và các nghị quyết của Tỉnh ủy."
    reference = extract(text).references[0]
    assert len(reference.spans) == 1


def test_links_carry_evidence_offsets_and_confidence() -> None:
    extraction = extract(DECISION_HEADER + "Căn cứ Nghị định số 30/2020/NĐ-CP của Chính phủ về công tác văn thư;")
    (link,) = extraction.links
    start, end = link.span
    assert extraction.text[start:end] == link.evidence == "Căn cứ Nghị định số 30/2020/NĐ-CP"
    assert 0.5 < link.confidence <= 1.0
