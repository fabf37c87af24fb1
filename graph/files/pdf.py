"""PDF text layer through pdfminer.six, boxes put back in reading order (header columns kept whole)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator

from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams, LTPage, LTTextBox
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

from graph.files.model import UnreadableFileError

# line_margin 0.8 (pdfminer's default is 0.5): the lines of one header column are spaced wider than body
# lines, and must group into one box so the column comes out whole instead of row by row.
LAYOUT = LAParams(line_margin=0.8)
NO_TEXT_LAYER = "no text layer: a scanned PDF needs OCR first"
_BLANK_RUNS = re.compile(r"\n{3,}")


def read_pdf(data: bytes) -> str:
    """Return the text of every page, boxes in reading order; raise UnreadableFileError for scans and damage."""
    try:
        pages = [_page_text(page) for page in extract_pages(io.BytesIO(data), laparams=LAYOUT)]
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise UnreadableFileError("encrypted PDF: it needs a password before it can be read") from exc
    except Exception as exc:  # pdfminer raises a zoo of types (PSEOF, PDFSyntaxError, KeyError...) on damage
        raise UnreadableFileError(f"corrupt PDF: {type(exc).__name__}: {exc}".rstrip(": ")) from exc
    if not pages:
        raise UnreadableFileError("corrupt PDF: no pages found")
    text = _BLANK_RUNS.sub("\n\n", "\n\n".join(page for page in pages if page)).strip()
    if not text:
        raise UnreadableFileError(NO_TEXT_LAYER)
    return text


def _page_text(page: LTPage) -> str:
    boxes = [item for item in page if isinstance(item, LTTextBox)]
    return "\n".join(box.get_text().strip() for box in reading_order(boxes)).strip()


def reading_order(boxes: Iterable[LTTextBox]) -> Iterator[LTTextBox]:
    """Top to bottom by rows; boxes whose vertical spans overlap form one row, read left to right.

    A two-column header is two boxes side by side: the left column comes out whole, then the right one.
    """
    row: list[LTTextBox] = []
    row_bottom = 0.0
    for box in sorted(boxes, key=lambda item: -item.y1):
        if row and box.y1 <= row_bottom:
            yield from sorted(row, key=lambda item: item.x0)
            row = []
        row_bottom = box.y0 if not row else min(row_bottom, box.y0)
        row.append(box)
    yield from sorted(row, key=lambda item: item.x0)
