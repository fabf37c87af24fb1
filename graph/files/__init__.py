"""Turn document files (PDF with a text layer, DOCX, saved HTML, plain text) into clean NFC text.

``read_document`` tells the format from the bytes, never from the name alone, and raises
``UnreadableFileError`` (an ``InvalidInputError``) with a reason a user can act on.
"""

from __future__ import annotations

import hashlib
import os
import unicodedata

from graph.files.model import FileFormat, FileText, UnreadableFileError
from graph.files.pdf import read_pdf
from graph.files.plaintext import decode_text, repair_legacy
from graph.files.sniff import sniff_format
from graph.files.webpage import read_html
from graph.files.word import read_docx

__all__ = ["FileFormat", "FileText", "UnreadableFileError", "read_document"]

_EXTENSIONS: dict[str, FileFormat] = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".html": "html",
    ".htm": "html",
    ".txt": "text",
}


def read_document(data: bytes, filename: str | None = None) -> FileText:
    """Read one file's bytes into its text; ``filename`` only names the file in messages and warnings."""
    try:
        file_format = sniff_format(data)
        text, encoding, title, warnings = _read(file_format, data)
        text, encoding, repairs = repair_legacy(unicodedata.normalize("NFC", text), encoding)
    except UnreadableFileError as exc:
        raise UnreadableFileError(exc.reason, filename) from exc.__cause__
    if not text.strip():
        raise UnreadableFileError("no text in the file", filename)
    return FileText(
        text=text,
        format=file_format,
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
        title=unicodedata.normalize("NFC", title) if title else None,
        warnings=_name_warning(filename, file_format) + warnings + repairs,
    )


def _read(file_format: FileFormat, data: bytes) -> tuple[str, str | None, str | None, tuple[str, ...]]:
    if file_format == "pdf":
        text, warnings = read_pdf(data)
        return text, None, None, warnings
    if file_format == "docx":
        word = read_docx(data)
        return word.text, None, word.title, ()
    if file_format == "html":
        page = read_html(data)
        return page.text, page.encoding, page.title, ()
    decoded = decode_text(data)
    return decoded.text, decoded.encoding, None, ()


def _name_warning(filename: str | None, file_format: FileFormat) -> tuple[str, ...]:
    claimed = _EXTENSIONS.get(os.path.splitext(filename or "")[1].lower())
    if claimed is None or claimed == file_format:
        return ()
    return (f"named as {claimed} but holds {file_format}: read as {file_format}",)
