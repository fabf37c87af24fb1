"""DOCX through python-docx: paragraphs and tables in document order, then the footnotes."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass

from docx import Document
from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from graph.files.model import UnreadableFileError

# Text boxes (drafters put a header column or "Nơi nhận" in one) hang off a run; Word writes each twice,
# as a DrawingML shape and as a VML fallback, so the fallback copy is skipped.
_TEXT_BOX_PARAGRAPHS = ".//*[local-name()='txbxContent'][not(ancestor::*[local-name()='Fallback'])]/*[local-name()='p']"
_SEPARATOR_TYPES = frozenset({"separator", "continuationSeparator", "continuationNotice"})


@dataclass(frozen=True, slots=True)
class WordText:
    """The text of a DOCX and its core-properties title."""

    text: str
    title: str | None


def read_docx(data: bytes) -> WordText:
    """Return body paragraphs and table cells in order (each cell's paragraphs on their own lines), then footnotes."""
    try:
        document = Document(io.BytesIO(data))
        body = list(_block_lines(document))
        notes = list(_footnote_lines(document))
    except Exception as exc:  # python-docx and lxml raise many types on a damaged package
        raise UnreadableFileError(f"corrupt DOCX: {type(exc).__name__}: {exc}".rstrip(": ")) from exc
    lines = body + notes
    title = (document.core_properties.title or "").strip() or None
    return WordText("\n".join(line for line in lines if line.strip()), title)


def _block_lines(container: DocxDocument | _Cell) -> Iterator[str]:
    for block in container.iter_inner_content():
        if isinstance(block, Paragraph):
            yield block.text
            for box_paragraph in block._p.xpath(_TEXT_BOX_PARAGRAPHS):
                yield "".join(node.text or "" for node in box_paragraph.iter(qn("w:t")))
        else:
            yield from _table_lines(block)


def _table_lines(table: Table) -> Iterator[str]:
    """Row by row, left cell then right cell; a merged cell, which every row.cells repeats, is read once."""
    seen: set[object] = set()  # the <w:tc> elements themselves: lxml keeps one proxy per element while it lives
    for row in table.rows:
        for cell in row.cells:
            if cell._tc in seen:
                continue
            seen.add(cell._tc)
            yield from _block_lines(cell)


def _footnote_lines(document: DocxDocument) -> Iterator[str]:
    for relationship in document.part.rels.values():
        if relationship.reltype != RELATIONSHIP_TYPE.FOOTNOTES or relationship.is_external:
            continue
        root = parse_xml(relationship.target_part.blob)
        for note in root.iter(qn("w:footnote")):
            if note.get(qn("w:type")) in _SEPARATOR_TYPES:
                continue
            for paragraph in note.iter(qn("w:p")):
                yield "".join(node.text or "" for node in paragraph.iter(qn("w:t")))
