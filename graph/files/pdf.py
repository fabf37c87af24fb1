"""PDF text layer through pdfminer.six, boxes put back in reading order (header columns kept whole)."""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Iterable

from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams, LTPage, LTTextBox, LTTextLine
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

from graph.files.model import UnreadableFileError

# pdfminer's own box order (boxes_flow) interleaves a two-column header; reading_order below replaces it.
LAYOUT = LAParams()
NO_TEXT_LAYER = "no text layer: a scanned PDF needs OCR first"
_BLANK_RUNS = re.compile(r"\n{3,}")
# pdfminer writes "(cid:123)" for a glyph whose font has no Unicode mapping: the text layer is unusable.
_UNMAPPED_GLYPH = re.compile(r"\(cid:\d+\)")
_MAX_UNMAPPED_SHARE = 0.05
NO_UNICODE_MAP = "PDF fonts without a Unicode mapping: the text layer cannot be read, the PDF needs OCR"
_BAND_GAP = 2.5  # rows further apart than this many line heights are not one header band


def read_pdf(data: bytes) -> tuple[str, tuple[str, ...]]:
    """Return the text of every page, boxes in reading order, and warnings; raise UnreadableFileError for scans
    and damage."""
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
    text, warnings = drop_unmapped_glyphs(text)
    blank = [str(number) for number, page in enumerate(pages, start=1) if not page]
    if blank:
        warnings += (f"pages without a text layer (scanned?), their text is missing: {', '.join(blank)}",)
    return text, warnings


def drop_unmapped_glyphs(text: str) -> tuple[str, tuple[str, ...]]:
    """Refuse a text layer made of "(cid:N)" glyphs; drop a few stray ones with a warning."""
    unmapped = len(_UNMAPPED_GLYPH.findall(text))
    if not unmapped:
        return text, ()
    glyphs = len(_UNMAPPED_GLYPH.sub("x", text).replace(" ", "").replace("\n", ""))
    if unmapped > _MAX_UNMAPPED_SHARE * glyphs:
        raise UnreadableFileError(NO_UNICODE_MAP)
    return _UNMAPPED_GLYPH.sub("", text), (f"{unmapped} glyphs without a Unicode mapping were dropped",)


def _page_text(page: LTPage) -> str:
    boxes = [item for item in page if isinstance(item, LTTextBox)]
    return "\n".join(box.get_text().strip() for box in reading_order(boxes)).strip()


def reading_order(boxes: Iterable[LTTextBox]) -> list[LTTextBox]:
    """Rows top to bottom; where rows sit side by side in columns (a document header), column by column.

    A row is the boxes whose vertical spans overlap, read left to right. A row of several boxes opens a
    column band; the rows just below it that fit inside those columns join it, and the band is read one
    column at a time: "ĐẢNG BỘ TỈNH…/TỈNH ỦY/Số 45-KH/TU" whole, then "ĐẢNG CỘNG SẢN VIỆT NAM/Nghệ An, ngày…".
    """
    rows = _rows(boxes)
    ordered: list[LTTextBox] = []
    index = 0
    while index < len(rows):
        columns, used = _column_band(rows, index)
        ordered.extend(box for column in columns for box in column)
        index += used
    return ordered


def _rows(boxes: Iterable[LTTextBox]) -> list[list[LTTextBox]]:
    rows: list[list[LTTextBox]] = []
    row_bottom = 0.0
    for box in sorted(boxes, key=lambda item: -item.y1):
        if rows and box.y1 > row_bottom:
            rows[-1].append(box)
            row_bottom = min(row_bottom, box.y0)
        else:
            rows.append([box])
            row_bottom = box.y0
    return [sorted(row, key=lambda item: item.x0) for row in rows]


def _column_band(rows: list[list[LTTextBox]], start: int) -> tuple[list[list[LTTextBox]], int]:
    """The columns opened by ``rows[start]``, filled with the boxes of the rows below that fit; and the rows used."""
    first = rows[start]
    if len(first) < 2:
        return [first], 1
    # Column k lies between the midpoints of the gaps that separate it from its neighbours in the first row.
    bounds = [(left.x1 + right.x0) / 2 for left, right in itertools.pairwise(first)]
    edges = [-float("inf"), *bounds, float("inf")]
    columns: list[list[LTTextBox]] = [[box] for box in first]
    bottom = min(box.y0 for box in first)
    used = 1
    for row in rows[start + 1 :]:
        slots = [_slot(box, edges) for box in row]
        gap = bottom - max(box.y1 for box in row)
        if gap > _BAND_GAP * min(_line_height(box) for box in row) or any(slot < 0 for slot in slots):
            break
        for box, slot in zip(row, slots, strict=True):
            columns[slot].append(box)
        bottom = min(box.y0 for box in row)
        used += 1
    return columns, used


def _slot(box: LTTextBox, edges: list[float]) -> int:
    """The column the box lies wholly inside, or -1 when it crosses a column boundary (a full-width line)."""
    for index, (low, high) in enumerate(itertools.pairwise(edges)):
        if low <= box.x0 and box.x1 <= high:
            return index
    return -1


def _line_height(box: LTTextBox) -> float:
    lines = [line.height for line in box if isinstance(line, LTTextLine)]
    return min(lines) if lines else box.height
