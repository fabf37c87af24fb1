"""Tell a file's format from its first bytes, never from its name alone."""

from __future__ import annotations

import io
import re
import zipfile

from graph.files.model import FileFormat, UnreadableFileError

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
DOCX_BODY = "word/document.xml"
# How far into the file a PDF header may sit (the spec tolerates junk before it) and HTML is looked for.
_PDF_WINDOW = 1024
_HTML_WINDOW = 4096
_HTML_MARKERS = re.compile(rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<meta\s[^>]*charset", re.IGNORECASE)
# A saved fragment has no <html> or <body>: several common tags near the start still make it HTML.
_HTML_TAGS = re.compile(rb"<(?:p|div|br|table|td|span|a|h[1-6]|ul|li|strong|b|i)(?:\s[^>]*)?/?>", re.IGNORECASE)
_MIN_FRAGMENT_TAGS = 3
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Formats users hold that are not read: say what they are, so the user knows what to convert them to.
_KNOWN_OTHERS = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Word .doc (Office 97-2003) file: save it as DOCX or PDF first"),
    (b"{\\rtf", "an RTF file: save it as DOCX or PDF first"),
)
NOT_A_DOCUMENT = "not a PDF, DOCX, HTML or text file"


def sniff_format(data: bytes) -> FileFormat:
    """Return the format the bytes hold; raise UnreadableFileError for empty files, other ZIPs and binaries."""
    if not data.strip():
        raise UnreadableFileError("empty file")
    if _is_pdf(data):
        return "pdf"
    for magic, reason in _KNOWN_OTHERS:
        if data.startswith(magic):
            raise UnreadableFileError(reason)
    if data.startswith(ZIP_MAGIC):
        return _zip_format(data)
    head = _ascii_view(data[:_HTML_WINDOW])
    if _HTML_MARKERS.search(head) or len(_HTML_TAGS.findall(head)) >= _MIN_FRAGMENT_TAGS:
        return "html"
    if _looks_binary(data):
        raise UnreadableFileError(NOT_A_DOCUMENT)
    return "text"


def _is_pdf(data: bytes) -> bool:
    """%PDF- first, or after binary junk (the spec allows some); a text that merely mentions it is no PDF."""
    index = data.find(PDF_MAGIC, 0, _PDF_WINDOW)
    if index < 0:
        return False
    prefix = data[:index]
    return not prefix.strip() or b"\x00" in prefix


def _zip_format(data: bytes) -> FileFormat:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise UnreadableFileError(f"corrupt DOCX: {exc}") from exc
    if DOCX_BODY not in names:
        raise UnreadableFileError(f"{NOT_A_DOCUMENT} (a ZIP archive without {DOCX_BODY})")
    return "docx"


def _ascii_view(head: bytes) -> bytes:
    """UTF-16 HTML has a NUL after every ASCII byte: drop NULs so the markers still match."""
    if head.startswith(_UTF16_BOMS):
        return head.replace(b"\x00", b"")
    return head


def _looks_binary(data: bytes) -> bool:
    """NULs outside UTF-16/32 text, or many control bytes, mean a binary we cannot read."""
    sample = data[:_HTML_WINDOW]
    if sample.startswith(_UTF16_BOMS) or sample.startswith(b"\xef\xbb\xbf"):
        return False
    controls = sum(1 for byte in sample if byte < 0x20 and byte not in b"\t\n\r\x0c")
    return b"\x00" in sample or controls > len(sample) // 20
