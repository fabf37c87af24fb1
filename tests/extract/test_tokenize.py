"""Tokenizing and reading the tail of a mention: symbol forms, dates, issuer, term and subject."""

from __future__ import annotations

import datetime as dt

import pytest

from graph.extract import Reference, extract

pytestmark = pytest.mark.unit


def only_reference(text: str) -> Reference:
    references = extract(text).references
    assert len(references) == 1, [r.symbol for r in references]
    return references[0]


@pytest.mark.parametrize(
    ("sentence", "symbol", "doc_type"),
    [
        ("Các chi bộ quán triệt Kết luận số 43-KL/TW của Ban Bí thư.", "43-KL/TW", "Kết luận"),
        ("Thực hiện nghiêm Quy định số 11-QĐi/TW của Bộ Chính trị.", "11-QĐi/TW", "Quy định"),
        ("Tiếp tục thực hiện Kế hoạch số 138-KH/TU của Ban Thường vụ Tỉnh ủy.", "138-KH/TU", "Kế hoạch"),
        ("Theo Công văn số 1158-CV/TU của Ban Thường vụ Tỉnh ủy.", "1158-CV/TU", "Công văn"),
        ("Triển khai Hướng dẫn số 04-HD/TW của Ban Tuyên giáo.", "04-HD/TW", "Hướng dẫn"),
        ("Quán triệt Nghị quyết số 36-NQ/TƯ của Ban Chấp hành Trung ương.", "36-NQ/TW", "Nghị quyết"),
        ("Quán triệt Nghị quyết số 36-NQ/T.Ư của Ban Chấp hành Trung ương.", "36-NQ/TW", "Nghị quyết"),
        ("Thực hiện Quy định số 11/QĐi-TW của Bộ Chính trị về tiếp dân.", "11-QĐi/TW", "Quy định"),
        ("Triển khai Chỉ thị số 16/CT-TTg của Thủ tướng Chính phủ.", "16/CT-TTg", "Chỉ thị"),
        ("Theo Chỉ thị số 16/2001/CT-TTg của Thủ tướng Chính phủ.", "16/2001/CT-TTg", "Chỉ thị"),
        ("Căn cứ Nghị định số 35/2021/NĐ-CP của Chính phủ.", "35/2021/NĐ-CP", "Nghị định"),
        ("Căn cứ Thông tư số 15/2024/TT-NHNN của Ngân hàng Nhà nước.", "15/2024/TT-NHNN", "Thông tư"),
        ("Bãi bỏ Quyết định số 1234/QĐ-UBND của Ủy ban nhân dân tỉnh.", "1234/QĐ-UBND", "Quyết định"),
        ("Căn cứ Luật Bảo vệ môi trường số 55/2014/QH13 của Quốc hội.", "55/2014/QH13", "Luật"),
        ("Căn cứ Pháp lệnh số 34/2007/PL-UBTVQH11 về thực hiện dân chủ.", "34/2007/PL-UBTVQH11", "Pháp lệnh"),
        ("Xét ý kiến của Sở Nội vụ tại văn bản số 2231/SNV-CCHC&PC ngày 2/6/2022.", "2231/SNV-CCHC&PC", None),
        ("Thực hiện Kết luận số 12- KL/TW của Bộ Chính trị.", "12-KL/TW", "Kết luận"),
        ("Thực hiện Nghị quyết số 25-\nNQ/TW của Ban Chấp hành Trung ương.", "25-NQ/TW", "Nghị quyết"),
        ("Theo Quyết định số 217 QĐ/ TW của Bộ Chính trị.", "217-QĐ/TW", "Quyết định"),
        ("Kết luận số Kết luận số 200-KL/TW của Ban Bí thư.", "200-KL/TW", "Kết luận"),
        ("THỰC HIỆN NGHỊ QUYẾT SỐ 18-NQ/TW CỦA BAN CHẤP HÀNH TRUNG ƯƠNG", "18-NQ/TW", "Nghị quyết"),
    ],
    ids=[
        "party-kl",
        "party-qdi",
        "party-local-kh",
        "party-local-cv",
        "party-hd",
        "party-tu-with-horn",
        "party-t-dot-u",
        "party-reversed",
        "state-ct-ttg",
        "state-with-year",
        "state-nd-cp",
        "state-tt-nhnn",
        "state-qd-ubnd",
        "state-law-no-type-code-with-title",
        "state-ordinance",
        "state-department-ampersand",
        "space-after-dash",
        "line-break-inside",
        "spaces-around-slash",
        "doubled-type-phrase",
        "upper-case-heading",
    ],
)
def test_symbol_forms(sentence: str, symbol: str, doc_type: str | None) -> None:
    reference = only_reference(sentence)
    assert (reference.symbol, reference.type) == (symbol, doc_type)


@pytest.mark.parametrize(
    "sentence",
    [
        "Đoàn công tác làm việc tại số nhà 12-A/5 phố Lê Lợi.",
        "Giai đoạn 2021-2025 tỉnh tăng trưởng bình quân 7,5%/năm.",
        "Tổ chức hội nghị vào ngày 12/6 tại hội trường số 2.",
    ],
    ids=["house-number", "year-range-and-percent", "date-and-room-number"],
)
def test_symbol_lookalikes_are_not_references(sentence: str) -> None:
    assert extract(sentence).references == ()


@pytest.mark.parametrize(
    ("sentence", "day"),
    [
        ("Kết luận số 43-KL/TW, ngày 7-1-2019 của Ban Bí thư.", dt.date(2019, 1, 7)),
        ("Kết luận số 43-KL/TW ngày 07/01/2019 của Ban Bí thư.", dt.date(2019, 1, 7)),
        ("Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ.", dt.date(2020, 3, 5)),
        ("Nghị quyết số 07-NQ/TU, ngày26/11/2021 của Tỉnh ủy.", dt.date(2021, 11, 26)),
        ("Kế hoạch hành động (số 138-KH/TU, ngày 27-3-2019) của Tỉnh ủy.", dt.date(2019, 3, 27)),
        ("Chỉ thị số 19-CT/TW (10/1/2023) của Ban Bí thư.", dt.date(2023, 1, 10)),
        ("Quyết định số 15/QĐ-UBND ngày 31/2/2020 của Ủy ban nhân dân tỉnh.", None),
        ("Quyết định số 15/QĐ-UBND của Ủy ban nhân dân tỉnh.", None),
    ],
    ids=[
        "dashes",
        "slashes-zero-padded",
        "words",
        "glued-to-ngay",
        "inside-parentheses",
        "parenthesized-without-ngay",
        "impossible-day",
        "absent",
    ],
)
def test_dates(sentence: str, day: dt.date | None) -> None:
    assert only_reference(sentence).date == day


@pytest.mark.parametrize(
    ("sentence", "issuer", "term", "title"),
    [
        (
            "Thực hiện Kết luận số 43-KL/TW, ngày 7-1-2019 của Ban Bí thư Trung ương Đảng (khóa XII) về công "
            "tác dân vận.",
            "Ban Bí thư Trung ương Đảng",
            "XII",
            "công tác dân vận",
        ),
        (
            "Quán triệt Nghị quyết số 25-NQ/TW của Ban Chấp hành Trung ương Đảng khóa XI về “Tăng cường công tác "
            "dân vận”.",
            "Ban Chấp hành Trung ương Đảng",
            "XI",
            "“Tăng cường công tác dân vận”",
        ),
        (
            "Theo Quyết định số 290-QĐ/TW ngày 25-2-2010 của Bộ Chính trị (khoá X) ban hành Quy chế công tác dân vận.",
            "Bộ Chính trị",
            "X",
            "ban hành Quy chế công tác dân vận",
        ),
        (
            # In a plan's body (in a news lead the letter would be the report's own document).
            "Số: 1/KH-UBND\nKẾ HOẠCH\nNgày 12/6/2023, Ủy ban nhân dân tỉnh đã có Công văn số 3105/UBND-NC gửi các sở.",
            "Ủy ban nhân dân tỉnh",
            None,
            None,
        ),
        (
            "Sáng 18/7, Huyện ủy tổ chức hội nghị sơ kết công tác chuyển đổi số trên địa bàn huyện năm 2023.\n"
            "Ban Thường vụ Huyện ủy đã ban hành Kế hoạch số 34-KH/HU ngày 2/12/2021 về chuyển đổi số.",
            "Ban Thường vụ Huyện ủy",
            None,
            "chuyển đổi số",
        ),
        ("Tiếp tục thực hiện Chỉ thị số 05-CT/TW.", None, None, None),
    ],
    ids=[
        "issuer-term-in-parentheses-subject",
        "bare-term-quoted-subject",
        "subject-is-a-statement",
        "issuer-before-with-co",
        "issuer-before-with-ban-hanh-below-a-meeting-lead",
        "nothing-after",
    ],
)
def test_issuer_term_and_subject(sentence: str, issuer: str | None, term: str | None, title: str | None) -> None:
    reference = only_reference(sentence)
    assert (reference.issuer, reference.term, reference.title) == (issuer, term, title)


def test_list_items_share_the_issuer_stated_once() -> None:
    text = "Theo Quyết định số 217-QĐ/TW, Quyết định số 218-QĐ/TW của Bộ Chính trị (khóa XI) về giám sát."
    issuers = {r.symbol: (r.issuer, r.term) for r in extract(text).references}
    assert issuers == {"217-QĐ/TW": ("Bộ Chính trị", "XI"), "218-QĐ/TW": ("Bộ Chính trị", "XI")}


@pytest.mark.parametrize(
    ("sentence", "name", "year"),
    [
        (
            "Các cấp ủy thực hiện Nghị quyết Trung ương 4 (khóa XII) về xây dựng Đảng.",
            "Nghị quyết Trung ương 4 (khóa XII)",
            None,
        ),
        (
            "Quán triệt Nghị quyết Hội nghị lần thứ sáu Ban Chấp hành Trung ương khóa XIII.",
            "Nghị quyết Hội nghị lần thứ sáu Ban Chấp hành Trung ương khóa XIII",
            None,
        ),
        ("Căn cứ Hiến pháp năm 2013;", "Hiến pháp năm 2013", 2013),
        ("Căn cứ Luật Tổ chức chính quyền địa phương năm 2015;", "Luật Tổ chức chính quyền địa phương năm 2015", 2015),
        ("Thi hành Bộ luật Lao động năm 2019.", "Bộ luật Lao động năm 2019", 2019),
        (
            "Căn cứ Luật Ngân sách nhà nước ngày 25 tháng 6 năm 2015;",
            "Luật Ngân sách nhà nước ngày 25 tháng 6 năm 2015",
            2015,
        ),
    ],
    ids=[
        "plenum-resolution",
        "plenum-by-ordinal",
        "constitution",
        "law-with-year",
        "code-with-year",
        "law-with-its-date",
    ],
)
def test_named_references_without_number(sentence: str, name: str, year: int | None) -> None:
    extraction = extract(sentence)
    assert extraction.references == ()
    assert [n.name for n in extraction.named_references] == [name]
