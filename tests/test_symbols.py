import pytest

from graph.symbols import SymbolParts, canonical_symbol, format_symbol, parse_symbol, symbol_match_key

pytestmark = pytest.mark.unit

PARSE_CASES = [
    ("43-KL/TW", SymbolParts("43", "KL", "TW", "party")),
    ("11-QĐi/TW", SymbolParts("11", "QĐi", "TW", "party")),
    ("138-KH/TU", SymbolParts("138", "KH", "TU", "party")),
    ("1158-CV/TU", SymbolParts("1158", "CV", "TU", "party")),
    ("11/QĐi-TW", SymbolParts("11", "QĐi", "TW", "party")),
    ("30-CT/T.Ư", SymbolParts("30", "CT", "TW", "party")),
    ("30-CT/TƯ", SymbolParts("30", "CT", "TW", "party")),
    ("16/CT-TTg", SymbolParts("16", "CT", "TTg", "state")),
    ("16/2001/CT-TTg", SymbolParts("16", "CT", "TTg", "state", 2001)),
    ("35/2021/NĐ-CP", SymbolParts("35", "NĐ", "CP", "state", 2021)),
    ("15/2024/TT-NHNN", SymbolParts("15", "TT", "NHNN", "state", 2024)),
    ("1234/QĐ-UBND", SymbolParts("1234", "QĐ", "UBND", "state")),
    ("55/2014/QH13", SymbolParts("55", None, "QH13", "state", 2014)),
    ("34/2007/PL-UBTVQH11", SymbolParts("34", "PL", "UBTVQH11", "state", 2007)),
    ("2231/SNV-CCHC&PC", SymbolParts("2231", None, "SNV-CCHC&PC", "state")),
]


@pytest.mark.parametrize(("text", "expected"), PARSE_CASES, ids=[c[0] for c in PARSE_CASES])
def test_parse(text: str, expected: SymbolParts) -> None:
    assert parse_symbol(text) == expected


SPELLING_CASES = [
    ("43-kl/tw", "43-KL/TW"),
    (" 43 - KL / TW ", "43-KL/TW"),
    ("số 43-KL/TW", "43-KL/TW"),
    ("Số: 43-KL/TW", "43-KL/TW"),
    ("43–KL/TW", "43-KL/TW"),
    ("11/qđi-tw", "11-QĐi/TW"),
    ("11-QDI/TW", "11-QĐi/TW"),
    ("16/ct-ttg", "16/CT-TTg"),
    ("35 / 2021 / nđ-cp", "35/2021/NĐ-CP"),
    ("290-QD/TW", "290-QĐ/TW"),
    ("04-HD/TW", "04-HD/TW"),
]


@pytest.mark.parametrize(("text", "canonical"), SPELLING_CASES, ids=[c[0] for c in SPELLING_CASES])
def test_canonical_spelling(text: str, canonical: str) -> None:
    assert canonical_symbol(text) == canonical
    assert symbol_match_key(text) == symbol_match_key(canonical)


@pytest.mark.parametrize("text", [c[0] for c in PARSE_CASES], ids=[c[0] for c in PARSE_CASES])
def test_format_parse_round_trip(text: str) -> None:
    parts = parse_symbol(text)
    assert parts is not None
    assert parse_symbol(format_symbol(parts)) == parts


@pytest.mark.parametrize("text", ["", "abc", "43", "KL/TW", "43-/TW", "ngày 7-1-2019"], ids=repr)
def test_not_a_symbol(text: str) -> None:
    assert parse_symbol(text) is None


DISTINCT_CASES = [
    ("43-KL/TW", "43-NQ/TW"),
    ("124-QĐ/TW", "124-QĐi/TW"),
    ("02-NQ/TU", "02-NQ/TW"),
    ("16/CT-TTg", "16/2001/CT-TTg"),
]


@pytest.mark.parametrize(("a", "b"), DISTINCT_CASES, ids=[f"{a} vs {b}" for a, b in DISTINCT_CASES])
def test_different_symbols_have_different_match_keys(a: str, b: str) -> None:
    assert symbol_match_key(a) != symbol_match_key(b)


def test_leading_zeros_do_not_matter_for_matching_but_are_kept() -> None:
    assert symbol_match_key("4-HD/TW") == symbol_match_key("04-HD/TW")
    assert canonical_symbol("04-HD/TW") == "04-HD/TW"


def test_nfd_and_nfc_agree() -> None:
    import unicodedata

    text = "11-QĐi/TƯ"
    assert symbol_match_key(unicodedata.normalize("NFD", text)) == symbol_match_key(text)
    assert canonical_symbol(unicodedata.normalize("NFD", text)) == "11-QĐi/TW"


def test_type_names() -> None:
    assert parse_symbol("43-KL/TW").type_name == "Kết luận"  # type: ignore[union-attr]
    assert parse_symbol("11-QĐi/TW").type_name == "Quy định"  # type: ignore[union-attr]
    assert parse_symbol("35/2021/NĐ-CP").type_name == "Nghị định"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("45-KH/UBND", "45/KH-UBND"),  # a State body's symbol written the Party way
        ("123/QĐ-BTCTW", "123-QĐ/BTCTW"),  # a Party organ's written the State way
        ("84/QĐ-TWĐTN", "84-QĐ/TWĐTN"),  # the Youth Union's Central Committee numbers the Party way
        ("09-CT/ĐUK", "09-CT/ĐUK"),
        ("3001 nq tw", "3001-NQ/TW"),
        ("12.NQ.TW", "12-NQ/TW"),
        ("Nghị quyết số 25-NQ/TW", "25-NQ/TW"),
        ("số 56/ 2015 /NĐ-CP", "56/2015/NĐ-CP"),
        ("35/2021/N.Đ-CP", "35/2021/NĐ-CP"),
    ],
)
def test_the_issuer_decides_the_form(text: str, canonical: str) -> None:
    assert canonical_symbol(text) == canonical
