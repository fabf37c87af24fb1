"""Forms seen on real pages: split and flattened headers, title-only laws, lists inside a statement."""

from __future__ import annotations

import pytest

from graph.extract import extract

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("header", "symbol"),
    [
        ("ỦY BAN NHÂN DÂN\nTỈNH LÀO CAI\n|\nSố:\n258/KH-UBND\n|\nLào Cai, ngày 07 tháng 06 năm 2021", "258/KH-UBND"),
        (
            "CHÍNH PHỦ Số: 15/2020/NĐ-CP |\nCỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM Hà Nội, ngày 3 tháng 2 năm 2020",
            "15/2020/NĐ-CP",
        ),
        (
            "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM 45/KH-UBND\nNghệ An, ngày 1/3/2024",
            "45/KH-UBND",
        ),
        ("QUỐC HỘI\nLuật số: 72/2025/QH15\nLUẬT\nTỔ CHỨC CHÍNH QUYỀN ĐỊA PHƯƠNG", "72/2025/QH15"),
    ],
    ids=["number-on-next-line", "flattened-one-line", "motto-then-number", "law-number"],
)
def test_header_number_forms(header: str, symbol: str) -> None:
    text = f"{header}\nKẾ HOẠCH\nThực hiện Chỉ thị số 19/CT-TTg ngày 16/7/2021 của Thủ tướng Chính phủ.\n"
    extraction = extract(text)
    assert extraction.document is not None and extraction.document.symbol == symbol
    assert symbol not in [ref.symbol for ref in extraction.references]
    assert all(link.source == symbol for link in extraction.links)


@pytest.mark.parametrize(
    ("text", "titles"),
    [
        ("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;", [("Luật", 2015, "based_on")]),
        ("Căn cứ Luật tổ chức Chính phủ\nngày 30 tháng 9 năm 1992;", [("Luật", 1992, "based_on")]),
        ("Căn cứ Luật Ban hành văn bản quy phạm pháp luật ngày 22 tháng 6 nám 2015;", [("Luật", 2015, "based_on")]),
        (
            "Căn cứ Luật A ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung một số điều của Luật B và Luật C ngày"
            " 22 tháng 11 năm 2019;",
            [("Luật", 2015, "based_on"), ("Luật", 2019, "based_on")],
        ),
        ("Theo Luật Tổ chức Quốc hội năm 2014, Quốc hội bầu Chủ tịch nước.", [("Luật", 2014, "cites")]),
        ("Căn cứ Điều lệ Đảng;", [("Điều lệ", None, "based_on")]),
        ("Luật này có hiệu lực thi hành từ ngày 01 tháng 7 năm 2016.", []),
    ],
    ids=["dated", "lower-case-title-wrapped", "typo-in-year-word", "amending-law", "cited", "charter", "not-a-title"],
)
def test_title_only_references(text: str, titles: list[tuple[str, int | None, str]]) -> None:
    header = "BỘ TƯ PHÁP\nSố: 12/2020/TT-BTP\nTHÔNG TƯ\n"
    extraction = extract(header + text)
    found = [(n.type, n.year) for n in extraction.named_references]
    assert found == [(t, y) for t, y, _ in titles]
    by_label = {link.target: link.relation.value for link in extraction.links}
    assert [by_label.get(n.label) for n in extraction.named_references] == [r for _, _, r in titles]


def test_a_statement_carries_its_relation_over_a_list() -> None:
    text = (
        "Căn cứ Nghị định số 187/2025/NĐ-CP của Chính phủ sửa đổi, bổ sung một số điều của Nghị định số"
        " 78/2025/NĐ-CP ngày 01 tháng 4 năm 2025 của Chính phủ quy định chi tiết một số điều và Nghị định số"
        " 79/2025/NĐ-CP ngày 01 tháng 4 năm 2025 của Chính phủ về kiểm tra văn bản;"
    )
    links = {(link.source, link.relation.value, link.target) for link in extract("Số: 43/2025/QĐ-UBND\n" + text).links}
    assert ("187/2025/NĐ-CP", "amends", "78/2025/NĐ-CP") in links
    assert ("187/2025/NĐ-CP", "amends", "79/2025/NĐ-CP") in links
    assert ("43/2025/QĐ-UBND", "based_on", "187/2025/NĐ-CP") in links


def test_issuer_between_type_word_and_number() -> None:
    text = "Số: 11-HD/VPTW\nThi hành Điều 2 Quyết định của Bộ Chính trị số31-QĐ/TW, ngày 01-10-1997."
    links = [(link.source, link.relation.value, link.target) for link in extract(text).links]
    assert links == [("11-HD/VPTW", "implements", "31-QĐ/TW")]


@pytest.mark.parametrize(
    ("written", "symbol"),
    [
        ("Thông tư 31/2017/tt-btc", "31/2017/TT-BTC"),
        ("Chỉ thị 16/ct-ttg", "16/CT-TTg"),
        ("Nghị quyết 5-nq/tw", "5-NQ/TW"),
        ("Nghị định 132/2008-NĐCP", "132/2008/NĐ-CP"),
        ("Nghị định số 61/2018/NĐCP", "61/2018/NĐ-CP"),
        ("Quyết định số 2468/QĐUBND", "2468/QĐ-UBND"),
        ("Nghị định số 56//2015/NĐ-CP", "56/2015/NĐ-CP"),
    ],
    ids=[
        "lower-case",
        "lower-case-mixed",
        "party-lower-case",
        "hyphen-for-slash",
        "no-hyphen",
        "no-hyphen-local",
        "slash",
    ],
)
def test_odd_spellings_are_normalised_and_reported(written: str, symbol: str) -> None:
    extraction = extract(f"Thực hiện {written} về cải cách hành chính.")
    assert [ref.symbol for ref in extraction.references] == [symbol]
    if "//" not in written:
        assert [a.symbols for a in extraction.anomalies if a.kind == "odd_form"] == [(symbol,)]


def test_a_provincial_header_with_a_central_suffix_is_reported() -> None:
    text = "TỈNH ỦY THỪA THIÊN HUẾ\nĐẢNG CỘNG SẢN VIỆT NAM\nSố 445-KL/TƯ\nKẾT LUẬN\nvề hạ tầng\n"
    extraction = extract(text)
    assert extraction.document is not None and extraction.document.symbol == "445-KL/TW"
    assert [a.kind for a in extraction.anomalies] == ["provincial_tw_suffix"]


def test_an_amending_law_is_named_by_its_own_type_word() -> None:
    text = (
        "Số: 43/2025/QĐ-UBND\nCăn cứ Luật Ban hành văn bản quy phạm pháp luật số 64/2025/QH15;\n"
        "Căn cứ Luật Sửa đổi, bổ sung một số điều của Luật Ban hành văn bản quy phạm pháp luật số 87/2025/QH15;\n"
        "Căn cứ Nghị định số 78/2025/NĐ-CP của Chính phủ hướng dẫn thi hành Luật Ban hành văn bản quy phạm pháp luật;"
    )
    links = {(link.source, link.relation.value, link.target) for link in extract(text).links}
    assert ("43/2025/QĐ-UBND", "based_on", "87/2025/QH15") in links
    assert ("78/2025/NĐ-CP", "guides", "64/2025/QH15") in links
    assert ("87/2025/QH15", "amends", "64/2025/QH15") in links
    assert not any(source == "43/2025/QĐ-UBND" and relation == "amends" for source, relation, _ in links)


@pytest.mark.parametrize(
    ("sentence", "relation"),
    [
        ("Chính phủ ban hành Nghị định sửa đổi, bổ sung một số điều của", "amends"),
        ("Nghị định này thay thế", "replaces"),
        ("Bãi bỏ", "repeals"),
    ],
)
def test_an_enacting_list_over_semicolons_carries_its_relation(sentence: str, relation: str) -> None:
    text = (
        f"CHÍNH PHỦ\nSố: 10/2025/NĐ-CP\nNGHỊ ĐỊNH\n{sentence} Nghị định số 15/2020/NĐ-CP ngày 03 tháng 02 năm 2020"
        " của Chính phủ quy định xử phạt; Nghị định số 14/2022/NĐ-CP ngày 27 tháng 01 năm 2022; và Nghị định số"
        " 98/2020/NĐ-CP ngày 26 tháng 8 năm 2020.\n"
    )
    links = [(link.relation.value, link.target) for link in extract(text).links]
    assert links == [(relation, "15/2020/NĐ-CP"), (relation, "14/2022/NĐ-CP"), (relation, "98/2020/NĐ-CP")]


@pytest.mark.parametrize(
    ("written", "symbol"),
    [
        ("Kết luận số 2l-KL/TW", "21-KL/TW"),
        ("Nghị định số l5/2020/NĐ-CP", "15/2020/NĐ-CP"),
        ("Nghị quyết I8-NQ/TW", "18-NQ/TW"),
    ],
    ids=["l-inside", "l-first", "capital-i"],
)
def test_ocr_letters_for_one_in_a_number(written: str, symbol: str) -> None:
    extraction = extract(f"Triển khai {written} trong toàn tỉnh.")
    assert [ref.symbol for ref in extraction.references] == [symbol]
    assert [a.kind for a in extraction.anomalies] == ["odd_form"]


def test_a_database_page_field_glued_to_the_symbol_is_split_off() -> None:
    text = "Nghị định 78/2025/NĐ-CP quy định chi tiết\nSố hiệu:78/2025/NĐ-CPNgày đăng công báo:Đang cập nhật\n"
    extraction = extract(text)
    assert extraction.document is not None and extraction.document.symbol == "78/2025/NĐ-CP"
    assert extraction.references == ()


def test_a_type_word_split_by_a_line_break() -> None:
    text = "Số: 07/KH-UBND\nKẾ HOẠCH\nThực hiện Chỉ\nthị số 8008/CT-TCTL ngày 25/10/2019 của Bộ trưởng.\n"
    assert [(link.relation.value, link.target) for link in extract(text).links] == [("implements", "8008/CT-TCTL")]


def test_the_own_symbol_written_with_its_year_is_the_own_document() -> None:
    text = "Quyết định số 1961/2019/QĐ-UBND tỉnh Kiên Giang\nỦY BAN NHÂN DÂN\nSố: 1961/QĐ-UBND\nQUYẾT ĐỊNH\n"
    extraction = extract(text + "Căn cứ Nghị định số 61/2018/NĐ-CP;\n")
    assert [ref.symbol for ref in extraction.references] == ["61/2018/NĐ-CP"]


def test_a_list_of_database_rows_has_no_own_document() -> None:
    text = "Số hiệu: 28/2004/QH11\nNgày ban hành: 03/12/2004\nSố hiệu: 27/2001/QH10\nSố hiệu: 5/2000/QH10\n"
    extraction = extract(text)
    assert extraction.document is None and extraction.links == ()


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        ("Ngày 10/9/2020 Ban Tuyên giáo Trung ương có Hướng dẫn số 151-HD/BTGTW", [("151-HD/BTGTW", "implements")]),
        ("Ban Tuyên giáo Trung ương có hướng dẫn về việc lấy ý kiến", []),
    ],
    ids=["numbered", "unnumbered-is-no-document"],
)
def test_a_lead_that_says_a_body_has_a_document(lead: str, expected: list[tuple[str, str]]) -> None:
    text = (
        f"Thực hiện Chỉ thị số 35-CT/TW của Bộ Chính trị về đại hội đảng bộ các cấp, {lead} về lấy ý kiến nhân dân.\n"
    )
    assert [(link.source, link.relation.value) for link in extract(text).links] == expected


def test_guidance_that_amends_another_circular() -> None:
    text = (
        "Số: 3/2009/QĐ-UBND\nCăn cứ Thông tư số 06/2008/TT-BNV ngày 21 tháng 8 năm 2008 của Bộ Nội vụ hướng dẫn sửa"
        " đổi, bổ sung Khoản 2 Mục III Phần I, Thông tư số 04/2008/TT-BNV ngày 04 tháng 6 năm 2008 của Bộ Nội vụ;\n"
    )
    links = {(link.source, link.relation.value, link.target) for link in extract(text).links}
    assert ("06/2008/TT-BNV", "amends", "04/2008/TT-BNV") in links


def test_relation_wording_wrapped_onto_the_next_line() -> None:
    text = (
        "Số: 3/2009/QĐ-UBND\nCăn cứ Thông tư số 06/2008/TT-BNV của Bộ Nội vụ hướng dẫn sửa\nđổi, bổ sung Khoản 2"
        " Mục III Phần I, Thông tư số 04/2008/TT-BNV ngày 04 tháng 6 năm 2008 của Bộ Nội vụ;\n"
    )
    links = {(link.source, link.relation.value, link.target) for link in extract(text).links}
    assert ("06/2008/TT-BNV", "amends", "04/2008/TT-BNV") in links
