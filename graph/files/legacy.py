"""Legacy Vietnamese font encodings (TCVN3/ABC and VNI) seen as Latin-1 mojibake: detect and convert.

Before Unicode, drafting offices typed with 8-bit fonts (.VnTime is TCVN3, VNI-Times is VNI). Read as
Latin-1 or cp1252 their bytes become text like "Céng hoµ" (TCVN3) or "Coäng hoøa" (VNI). Each candidate
conversion is scored by how Vietnamese its words look; one is used only when it clearly wins.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

LegacyEncoding = Literal["tcvn3", "vni"]

# TCVN 5712:1993 (VN3, the ABC fonts), bytes 0xA1-0xFF. Bytes 0x80-0x9F and below 0x20 carry capitals in
# the VN1 variant only and clash with cp1252 punctuation, so they are left alone.
_TCVN3_HIGH = (
    "ĂÂÊÔƠƯĐăâêôơưđẰ"  # 0xA1-0xAF
    "\u0300\u0309\u0303\u0301\u0323àảãáạẲằẳẵắẴ"  # 0xB0-0xBF
    "ẮẦẨẪẤỀặầẩẫấậèỂẻẽ"  # 0xC0-0xCF
    "éẹềểễếệìỉỄẾỒĩíịò"  # 0xD0-0xDF
    "Ổỏõóọồổỗốộờởỡớợù"  # 0xE0-0xEF
    "Ỗủũúụừửữứựỳỷỹýỵố"  # 0xF0-0xFF
)
TCVN3_TABLE: dict[str, str] = {chr(0xA1 + index): char for index, char in enumerate(_TCVN3_HIGH)}
_TCVN3_TRANSLATION = str.maketrans(dict(TCVN3_TABLE))

_GRAVE, _ACUTE, _HOOK, _TILDE, _DOT = "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"
_CIRCUMFLEX, _BREVE, _HORN = "\u0302", "\u0306", "\u031b"
# VNI: a vowel is followed by one mark byte; the same marks in upper case follow capitals.
_VNI_MARKS_LOWER = {
    "ø": _GRAVE, "ù": _ACUTE, "û": _HOOK, "õ": _TILDE, "ï": _DOT,
    "â": _CIRCUMFLEX, "à": _CIRCUMFLEX + _GRAVE, "á": _CIRCUMFLEX + _ACUTE, "å": _CIRCUMFLEX + _HOOK,
    "ã": _CIRCUMFLEX + _TILDE, "ä": _CIRCUMFLEX + _DOT,
    "ê": _BREVE, "è": _BREVE + _GRAVE, "é": _BREVE + _ACUTE, "ú": _BREVE + _HOOK,
    "ü": _BREVE + _TILDE, "ë": _BREVE + _DOT,
}  # fmt: skip
VNI_MARKS: dict[str, str] = {**_VNI_MARKS_LOWER, **{key.upper(): value for key, value in _VNI_MARKS_LOWER.items()}}
# Letters VNI writes as one byte: ơ, ư (which still take a mark), đ, and i/y with a tone.
VNI_HORNED = {"ô": "o" + _HORN, "ö": "u" + _HORN, "Ô": "O" + _HORN, "Ö": "U" + _HORN}
VNI_SINGLE: dict[str, str | int | None] = {
    "ñ": "đ", "Ñ": "Đ", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ", "Æ": "Ỉ", "Ó": "Ĩ", "Ò": "Ị", "Î": "Ỵ",
}  # fmt: skip
_VNI_TRANSLATION = str.maketrans(VNI_SINGLE)
_VNI_SYLLABLE = re.compile("([aeouyAEOUYôöÔÖ])([" + "".join(VNI_MARKS) + "]?)")

_TONES = frozenset((_GRAVE, _ACUTE, _HOOK, _TILDE, _DOT))
_VIETNAMESE_LOWER = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
VIETNAMESE_LETTERS = frozenset(_VIETNAMESE_LOWER + _VIETNAMESE_LOWER.upper())
# Letters no legacy conversion reads from Latin-1: their presence proves some of the text is real Unicode.
_UNICODE_ONLY_LETTERS = frozenset(char for char in VIETNAMESE_LETTERS if ord(char) > 0xFF)
_SOFT_HYPHEN = "\xad"
_LETTER = re.compile(r"[^\W\d_]")
# Latin-1 signs and letters that Vietnamese never uses: inside a word they are a legacy font's letters.
# The soft hyphen (TCVN3's "ư") is left out: Unicode pages use it as a hyphenation hint inside words.
_LATIN1_FOREIGN = frozenset(chr(code) for code in range(0xA1, 0x100)) - VIETNAMESE_LETTERS - set("«»°×\xad")
# A word of capitals typed in a VN3 "H" font comes out with lower-case accented letters: "KHO¹CH".
_CAPITALS_WORD = re.compile(r"\b(?=\w*[A-Z]\w*[A-Z])(?!\w*[a-z])\w+\b")
_ASCII_LOWER = re.compile("[a-z]")
_WORD = re.compile(r"[^\W\d_]+")
_ONSETS = "ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x"
_NUCLEI = (
    "iêu|yêu|oai|oay|oeo|uây|uôi|ươi|ươu|uya|uyê|uyu|"
    "ai|ao|au|ay|âu|ây|eo|êu|ia|iê|iu|oa|oă|oe|oi|oo|ôi|ơi|ua|uâ|uê|ui|uô|uơ|uy|ưa|ưi|ươ|ưu|yê|"
    "a|ă|â|e|ê|i|o|ô|ơ|u|ư|y"
)
_SYLLABLE = re.compile(f"(?:{_ONSETS})?(?:{_NUCLEI})(?:ch|ng|nh|c|k|m|n|p|t)?")  # k: Đắk Lắk
_TRUSTED_SHARE = 0.9  # text whose non-ASCII words are this Vietnamese is taken as it is
_MIN_GAIN = 0.2  # a conversion must make clearly more words Vietnamese than the text had


@dataclass(frozen=True, slots=True)
class LegacyVerdict:
    """What the detector concluded: the text to use, the encoding it came from, or that it gave up."""

    text: str
    encoding: LegacyEncoding | None
    unsure: bool


def convert_tcvn3(text: str) -> str:
    """Map TCVN3 (ABC) code points read as Latin-1 to Unicode NFC; capital words get their accents raised."""
    lines = text.translate(_TCVN3_TRANSLATION).split("\n")
    return unicodedata.normalize("NFC", "\n".join(_raise_capitals(line) for line in lines))


def _raise_capitals(line: str) -> str:
    """Upper-case the accented letters of capital words; a whole line of capitals ("§¶NG Bé") all of it."""
    capital_words = [word for word in _CAPITALS_WORD.findall(line) if not word.isascii()]
    if capital_words and not _ASCII_LOWER.search(line):
        return line.upper()
    return _CAPITALS_WORD.sub(lambda match: match.group(0).upper(), line)


def convert_vni(text: str) -> str:
    """Map VNI code points read as Latin-1 to Unicode NFC."""

    def compose(match: re.Match[str]) -> str:
        base, mark = match.group(1), match.group(2)
        return VNI_HORNED.get(base, base) + VNI_MARKS.get(mark, "")

    composed = _VNI_SYLLABLE.sub(compose, text).translate(_VNI_TRANSLATION)
    return unicodedata.normalize("NFC", composed)


def _toneless(word: str) -> str:
    return unicodedata.normalize("NFC", "".join(c for c in unicodedata.normalize("NFD", word) if c not in _TONES))


def is_syllable(word: str) -> bool:
    """True for a word that can be one Vietnamese syllable: onset, vowel nucleus, final, at most one tone."""
    tones = sum(1 for char in unicodedata.normalize("NFD", word) if char in _TONES)
    return tones <= 1 and _SYLLABLE.fullmatch(_toneless(word).lower()) is not None


def vietnamese_share(text: str) -> float:
    """Share of the non-ASCII words that are Vietnamese syllables; a word holding a Latin-1 sign is not."""
    tokens = [token for token in text.split() if not token.isascii() and _LETTER.search(token)]
    if not tokens:
        return 1.0
    return sum(1 for token in tokens if _is_vietnamese_token(token)) / len(tokens)


def _is_vietnamese_token(token: str) -> bool:
    if any(char in _LATIN1_FOREIGN for char in token):
        return False
    words = [word for word in _WORD.findall(token.replace(_SOFT_HYPHEN, "")) if not word.isascii()]
    return all(is_syllable(word) for word in words)


def detect_legacy(text: str) -> LegacyVerdict:
    """Return the text converted from TCVN3 or VNI when that is clearly what it is, else as it was.

    A text that also holds letters only Unicode has (ạ, ơ, đ...) mixes fonts, as a document retyped in
    part does: then each line is judged on its own. ``unsure`` is set when a text looks like a legacy
    encoding but no conversion repairs it: the caller must not use the text then.
    """
    if _LATIN1_FOREIGN.isdisjoint(text):
        return LegacyVerdict(text, None, unsure=False)
    if not any(char in _UNICODE_ONLY_LETTERS for char in text):
        return _convert_block(text)
    verdicts = [_convert_block(line) for line in text.split("\n")]
    encodings = [verdict.encoding for verdict in verdicts if verdict.encoding is not None]
    return LegacyVerdict(
        "\n".join(verdict.text for verdict in verdicts),
        encodings[0] if encodings else None,
        unsure=any(verdict.unsure for verdict in verdicts),
    )


def _convert_block(text: str) -> LegacyVerdict:
    original = vietnamese_share(text)
    if original >= _TRUSTED_SHARE or _LATIN1_FOREIGN.isdisjoint(text):
        return LegacyVerdict(text, None, unsure=False)
    conversions: tuple[tuple[LegacyEncoding, str], ...] = (("tcvn3", convert_tcvn3(text)), ("vni", convert_vni(text)))
    candidates = [(vietnamese_share(converted), encoding, converted) for encoding, converted in conversions]
    share, encoding, converted = max(candidates, key=lambda candidate: candidate[0])
    if share >= _TRUSTED_SHARE and share - original >= _MIN_GAIN:
        return LegacyVerdict(converted, encoding, unsure=False)
    return LegacyVerdict(text, None, unsure=share > original)
