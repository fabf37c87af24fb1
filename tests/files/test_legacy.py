"""Legacy font encodings: the syllable test that scores conversions, both conversions, and when to leave text be."""

from __future__ import annotations

import pytest

from graph.files.legacy import convert_tcvn3, convert_vni, detect_legacy, is_syllable

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Nghệ", True),
        ("quốc", True),
        ("giữa", True),
        ("Đắk", True),
        ("khuyến", True),
        ("người", True),
        ("hoà", True),
        ("hoứa", False),
        ("Vieọt", False),
        ("für", False),
        ("café", False),
        ("ảá", False),
    ],
)
def test_is_syllable(word: str, expected: bool) -> None:
    assert is_syllable(word) is expected


@pytest.mark.parametrize(
    ("legacy", "unicode"),
    [
        ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "Cộng hoà xã hội chủ nghĩa Việt Nam"),
        ("§éc lËp - Tù do - H¹nh phóc", "Độc lập - Tự do - Hạnh phúc"),
        ("B¶o Th¾ng, M\xadêng Kh\xad¬ng", "Bảo Thắng, Mường Khương"),
        ("§¶NG Bé TØNH NGHÖ AN", "ĐẢNG BỘ TỈNH NGHỆ AN"),  # capitals typed in a .VnTimeH font
        ("Sè 45-KH/TU", "Số 45-KH/TU"),
        ("KÕ HO¹CH thùc hiÖn", "Kế HOẠCH thực hiện"),
    ],
)
def test_convert_tcvn3(legacy: str, unicode: str) -> None:
    assert convert_tcvn3(legacy) == unicode


@pytest.mark.parametrize(
    ("legacy", "unicode"),
    [
        ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
        ("Ñoäc laäp - Töï do - Haïnh phuùc", "Độc lập - Tự do - Hạnh phúc"),
        ("Ñöôøng lối; kyø hoïp; möôøi", "Đường lối; kỳ họp; mười"),
        ("ÑAÛNG COÄNG SAÛN VIEÄT NAM", "ĐẢNG CỘNG SẢN VIỆT NAM"),
        ("Tænh uûy; bò; thaêm", "Tỉnh ủy; bị; thăm"),
    ],
)
def test_convert_vni(legacy: str, unicode: str) -> None:
    assert convert_vni(legacy) == unicode


@pytest.mark.parametrize(
    ("text", "encoding", "unsure"),
    [
        ("Ban Thường vụ Tỉnh ủy họp phiên thường kỳ.", None, False),
        ("Un café très bien pour l'été", None, False),  # French in Latin-1: not a legacy font, left alone
        ("Kế hoạch số 12-KH/TU (xem § 3)", None, False),
        ("Ban Thư\xadờng vụ, hư\xadớng dẫn, chỉ đạo", None, False),  # soft hyphens in Unicode text
        ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "tcvn3", False),
        ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "vni", False),
        ("Céng hoµ x· héi chñ nghÜa. Coäng hoøa xaõ hoäi chuû nghóa", None, True),
    ],
)
def test_detect_legacy(text: str, encoding: str | None, unsure: bool) -> None:
    verdict = detect_legacy(text)
    assert verdict.encoding == encoding
    assert verdict.unsure is unsure
    assert (verdict.text == text) is (encoding is None)
