"""Plain text: find the charset (BOM, UTF-8, Windows-1258, legacy fonts, then charset-normalizer) and decode."""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass

from charset_normalizer import from_bytes

from graph.files.legacy import detect_legacy, vietnamese_share
from graph.files.model import UnreadableFileError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_TRUSTED_SHARE = 0.9
_LATIN_READINGS = frozenset({"latin-1", "iso8859-1", "cp1252"})  # the code points legacy fonts sit on
LEGACY_NOT_CONVERTED = "legacy Vietnamese encoding (TCVN3/VNI) not converted"


@dataclass(frozen=True, slots=True)
class Decoded:
    """Text decoded from bytes, NFC, newlines as \\n, with the encoding it was read in."""

    text: str
    encoding: str


def decode_text(data: bytes) -> Decoded:
    """Decode bytes of unknown charset into NFC text. Legacy-font text comes back as read (Latin-1 code
    points): ``repair_legacy`` converts it, for every format."""
    encoding, text = _decode(data)
    return Decoded(_clean(text), encoding)


def _decode(data: bytes) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return encoding, data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise UnreadableFileError(f"broken {encoding} text: {exc.reason}") from exc
    try:
        return "utf-8", data.decode("utf-8")
    except UnicodeDecodeError:
        return _decode_8bit(data)


def _decode_8bit(data: bytes) -> tuple[str, str]:
    """An 8-bit Vietnamese file is Windows-1258 or a legacy font read as Latin-1; anything else, ask the library."""
    windows = unicodedata.normalize("NFC", data.decode("cp1258", errors="replace"))
    if "\ufffd" not in windows and vietnamese_share(windows) >= _TRUSTED_SHARE:
        return "cp1258", windows
    latin_encoding, latin = _latin(data)
    if detect_legacy(latin).encoding is not None:
        return latin_encoding, latin  # converted by repair_legacy, which names the font encoding
    best = from_bytes(data).best()
    if best is None:
        raise UnreadableFileError("not a PDF, DOCX, HTML or text file (no character set fits)")
    return best.encoding, str(best)


def _latin(data: bytes) -> tuple[str, str]:
    """Legacy fonts sit on Latin-1 code points; cp1252 first keeps Word's curly quotes where it can."""
    try:
        return "cp1252", data.decode("cp1252")
    except UnicodeDecodeError:
        return "latin-1", data.decode("latin-1")


def _clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return unicodedata.normalize("NFC", text)


def repair_legacy(text: str, encoding: str | None) -> tuple[str, str | None, tuple[str, ...]]:
    """Convert TCVN3/VNI text to Unicode, in any format: old .VnTime DOCX files and their PDFs carry it too.

    Returns the text, the encoding to report (the legacy one when a Latin-1 reading was converted) and warnings.
    """
    verdict = detect_legacy(text)
    if verdict.unsure:
        raise UnreadableFileError(LEGACY_NOT_CONVERTED)
    if verdict.encoding is None:
        return text, encoding, ()
    warning = f"converted from the legacy {verdict.encoding.upper()} font encoding"
    if encoding is not None and encoding not in _LATIN_READINGS:
        return verdict.text, f"{encoding}+{verdict.encoding}", (warning,)
    return verdict.text, verdict.encoding if encoding else None, (warning,)
