"""Incoming wording, validity-history tables and page chrome: who is the source of each link."""

from __future__ import annotations

import pytest

from graph.extract import extract

pytestmark = pytest.mark.unit

DATABASE_PAGE = """Nghị định 34/2016/NĐ-CP quy định chi tiết Luật Ban hành văn bản quy phạm pháp luật
Số hiệu: 34/2016/NĐ-CP
{heading}
- Nghị định 154/2020/NĐ-CP ngày 31/12/2020
"""


def triples(text: str) -> list[tuple[str | None, str, str]]:
    return sorted((link.source, link.relation.value, link.target) for link in extract(text).links)


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("Được sửa đổi, bổ sung bởi:", ("154/2020/NĐ-CP", "amends", "34/2016/NĐ-CP")),
        ("Bị thay thế bởi", ("154/2020/NĐ-CP", "replaces", "34/2016/NĐ-CP")),
        ("Bị hết hiệu lực một phần bởi", ("154/2020/NĐ-CP", "repeals", "34/2016/NĐ-CP")),
        ("Văn bản hướng dẫn", ("154/2020/NĐ-CP", "guides", "34/2016/NĐ-CP")),
        ("Văn bản được hướng dẫn", ("34/2016/NĐ-CP", "guides", "154/2020/NĐ-CP")),
        ("Văn bản bị thay thế", ("34/2016/NĐ-CP", "replaces", "154/2020/NĐ-CP")),
        ("Văn bản căn cứ", ("34/2016/NĐ-CP", "based_on", "154/2020/NĐ-CP")),
        ("• Văn bản sửa đổi, bổ sung", ("154/2020/NĐ-CP", "amends", "34/2016/NĐ-CP")),
    ],
    ids=["amended-by", "replaced-by", "partly-repealed-by", "guided-by", "guides", "replaces", "basis", "bullet"],
)
def test_validity_table_row_direction(heading: str, expected: tuple[str, str, str]) -> None:
    assert triples(DATABASE_PAGE.format(heading=heading)) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Nghị định số 34/2016/NĐ-CP đã được sửa đổi, bổ sung bởi Nghị định số 154/2020/NĐ-CP.",
            [("154/2020/NĐ-CP", "amends", "34/2016/NĐ-CP")],
        ),
        (
            "Thông tư số 04/2008/TT-BNV được thay thế bởi Thông tư số 15/2014/TT-BNV của Bộ Nội vụ.",
            [("15/2014/TT-BNV", "replaces", "04/2008/TT-BNV")],
        ),
        (
            "Quyết định số 12/2019/QĐ-UBND bị bãi bỏ bởi Quyết định số 19/2023/QĐ-UBND.",
            [("19/2023/QĐ-UBND", "repeals", "12/2019/QĐ-UBND")],
        ),
        ("Căn cứ Hiến pháp đã được sửa đổi, bổ sung theo Nghị quyết số 203/2025/QH15;", []),
    ],
    ids=["amended-by", "replaced-by", "repealed-by", "titled-subject-not-guessed"],
)
def test_passive_wording_makes_the_later_document_the_source(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert triples(text) == expected


CHROME = """ỦY BAN NHÂN DÂN TỈNH NGHỆ AN
Số: 45/KH-UBND
KẾ HOẠCH
Thực hiện Chỉ thị số 19/CT-TTg ngày 16/7/2021 của Thủ tướng Chính phủ.
{chrome}
"""


@pytest.mark.parametrize(
    "chrome",
    [
        "Tin liên quan\nBan hành Nghị quyết số 57-NQ/TW về khoa học\nTriển khai Kết luận số 121-KL/TW",
        "Văn bản liên quan\nQuyết định 34/2014/QĐ-TTg",
        ">> Ban hành Nghị quyết số 57-NQ/TW về khoa học",
        "Xem thêm: Kết luận số 121-KL/TW",
    ],
    ids=["related-news", "related-documents", "arrow-line", "see-also"],
)
def test_nothing_is_linked_from_chrome(chrome: str) -> None:
    assert triples(CHROME.format(chrome=chrome)) == [("45/KH-UBND", "implements", "19/CT-TTg")]


def test_dated_related_news_lines_are_chrome() -> None:
    chrome = (
        "Ban hành Nghị quyết số 57-NQ/TW về khoa học (15/03/2024)\n"
        "Triển khai Kết luận số 121-KL/TW về sắp xếp bộ máy (12/03/2024)\n"
    )
    assert triples(CHROME.format(chrome=chrome)) == [("45/KH-UBND", "implements", "19/CT-TTg")]
    assert len(extract(CHROME.format(chrome=chrome)).references) == 3
