"""Vietnamese text normalization: NFC on the way in, folding for search and matching."""

from __future__ import annotations

import re
import unicodedata

_COMBINING = re.compile(r"[\u0300-\u036f]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC, the form every stored string uses."""
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lowercase ``text`` and strip Vietnamese diacritics (đ→d): "Đảng" → "dang".

    Done here rather than by a search engine's analyzer because generic folding
    analyzers drop English stop words after folding ("tổ" → "to").
    """
    if text.isascii():  # no marks to strip: symbols and codes, folded once per mention
        return text.lower()
    decomposed = unicodedata.normalize("NFD", text)
    stripped = _COMBINING.sub("", decomposed).replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFC", stripped).lower()


def squash_spaces(text: str) -> str:
    """Collapse runs of whitespace to one space and trim."""
    # str.split() splits on the characters ``\s`` matches; several times faster than a regex sub.
    return " ".join(text.split())


def slugify(text: str) -> str:
    """URL-safe ascii slug: "Thanh Hóa" → "thanh-hoa"."""
    return _NON_ALNUM.sub("-", fold(text)).strip("-")


# Control (Cc but tab and line breaks), format (Cf: zero-width, soft hyphen, bidirectional overrides and
# isolates, BOM) and surrogate (Cs) code points: invisible, they make two equal-looking values differ.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f]"
)
_LINE_BREAKS = re.compile("[\t\n\r]")


def invisible_character(text: str, *, multiline: bool = False) -> str | None:
    """Why ``text`` is refused, if it holds a control, format or bidirectional character (or a line break
    where ``multiline`` is false): "U+202E (Cf) at position 3"."""
    found = _INVISIBLE.search(text) or (None if multiline else _LINE_BREAKS.search(text))
    if found is None:
        return None
    char = found.group()
    return (
        f"U+{ord(char):04X} ({unicodedata.category(char)}) at position {found.start()}: control, format and "
        "bidirectional characters are not accepted" + ("" if multiline else ", nor line breaks in a one-line field")
    )


def strip_invisible(text: str) -> str:
    """``text`` without control, format and bidirectional characters (line breaks and tabs kept): for text
    read from files, where a soft hyphen or a zero-width space is layout, not content."""
    return _INVISIBLE.sub("", text)
