"""read_document on generated files: format by content, header order, chrome removed, encodings, errors."""

from __future__ import annotations

import hashlib
import io
import random
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as DocxDocument

from graph.errors import InvalidInputError
from graph.files import FileText, UnreadableFileError, read_document
from graph.files.pdf import drop_unmapped_glyphs
from tests.files.make_fixtures import (
    BODY,
    CHROME_SYMBOL,
    FONT,
    FOOTNOTE,
    HEADER,
    SIDEBAR_SYMBOLS,
    cp1258_bytes,
    docx_bytes,
    docx_text_box_bytes,
    html_bytes,
    make_fixture_folder,
    pdf_bytes,
    scanned_pdf_bytes,
    table_portal_html_bytes,
)

pytestmark = pytest.mark.unit

SENTENCE = "Ban Thường vụ Tỉnh ủy đề nghị các đảng bộ trực thuộc rà soát và báo cáo trước quý hai."
Builder = Callable[[], bytes]
# TCVN3 and VNI samples: the national motto as those fonts store it, a well-known fact of both code charts.
TCVN3_MOTTO = "Céng hoµ x· héi chñ nghÜa ViÖt Nam\n§éc lËp - Tù do - H¹nh phóc\nBan Th\xadêng vô TØnh ñy"
VNI_MOTTO = "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam\nÑoäc laäp - Töï do - Haïnh phuùc\nBan Thöôøng vuï Tænh uûy"
MOTTO_TCVN3_READING = "Cộng hoà xã hội chủ nghĩa Việt Nam\nĐộc lập - Tự do - Hạnh phúc\nBan Thường vụ Tỉnh ủy"
MOTTO_VNI_READING = MOTTO_TCVN3_READING.replace("hoà", "hòa")


def _in_aspnet_form(page: bytes) -> bytes:
    return page.replace(b"<body>", b'<body><form id="aspnetForm" method="post">').replace(b"</body>", b"</form></body>")


def lines_of(result: FileText) -> list[str]:
    return [line.strip() for line in result.text.splitlines() if line.strip()]


def test_the_pdf_font_is_installed() -> None:
    assert FONT.exists(), f"{FONT} is missing: apt-get install fonts-dejavu-core"


@pytest.mark.parametrize(
    ("build", "filename", "expected", "misnamed"),
    [
        pytest.param(pdf_bytes, "ke-hoach.pdf", "pdf", False, id="pdf"),
        pytest.param(pdf_bytes, "ke-hoach.txt", "pdf", True, id="pdf-named-txt"),
        pytest.param(docx_bytes, "ke-hoach.docx", "docx", False, id="docx"),
        pytest.param(docx_bytes, None, "docx", False, id="docx-no-name"),
        pytest.param(docx_bytes, "ke-hoach.html", "docx", True, id="docx-named-html"),
        pytest.param(html_bytes, "trang.htm", "html", False, id="html"),
        pytest.param(html_bytes, "trang.aspx", "html", False, id="html-unknown-extension"),
        pytest.param(lambda: SENTENCE.encode(), "claims.pdf", "text", True, id="text-named-pdf"),
        pytest.param(lambda: SENTENCE.encode("utf-16"), "utf16.txt", "text", False, id="utf16-text"),
        pytest.param(
            lambda: b"Ghi chu: xuat file %PDF-1.7 tu ban goc.\n", "note.txt", "text", False, id="mentions-pdf"
        ),
        pytest.param(lambda: b"\x00\x01junk\n" + pdf_bytes(), "junk.pdf", "pdf", False, id="pdf-after-junk"),
    ],
)
def test_format_comes_from_the_content(build: Builder, filename: str | None, expected: str, misnamed: bool) -> None:
    data = build()
    result = read_document(data, filename)
    assert result.format == expected
    assert result.sha256 == hashlib.sha256(data).hexdigest()
    assert any("but holds" in warning for warning in result.warnings) == misnamed


DOCUMENTS = [
    pytest.param(pdf_bytes, id="pdf"),
    pytest.param(lambda: pdf_bytes(pitch=5), id="pdf-tight-header"),
    pytest.param(lambda: pdf_bytes(pitch=12), id="pdf-wide-header"),
    pytest.param(docx_bytes, id="docx"),
    pytest.param(html_bytes, id="html"),
    pytest.param(table_portal_html_bytes, id="html-table-layout"),
    pytest.param(docx_text_box_bytes, id="docx-text-box"),
    pytest.param(lambda: _in_aspnet_form(html_bytes()), id="html-in-aspnet-form"),
]


@pytest.mark.parametrize("build", DOCUMENTS)
def test_two_column_header_comes_out_column_by_column(build: Builder) -> None:
    lines = lines_of(read_document(build()))
    header = [line for line in lines if line != "*"]
    left = [header.index(line) for line in HEADER.left if line != "*"]
    right = [header.index(line) for line in HEADER.right]
    assert left == list(range(left[0], left[0] + len(left))), "left column lines are together and in order"
    assert right == list(range(left[-1] + 1, left[-1] + 1 + len(right))), "right column follows, whole"
    assert "Số 45-KH/TU" in lines
    assert "Nghệ An, ngày 12 tháng 3 năm 2024" in lines


@pytest.mark.parametrize("build", DOCUMENTS)
def test_body_is_kept_and_nfc(build: Builder) -> None:
    result = read_document(build())
    flat = " ".join(result.text.split())
    for paragraph in BODY:
        assert paragraph in flat
    assert unicodedata.is_normalized("NFC", result.text)


def test_a_pdf_with_a_scanned_page_reads_the_rest_and_says_so() -> None:
    result = read_document(pdf_bytes(scanned_page=True))
    assert "Số 45-KH/TU" in result.text
    assert result.warnings == ("pages without a text layer (scanned?), their text is missing: 2",)


@pytest.mark.parametrize(
    ("build", "title"),
    [
        pytest.param(html_bytes, "Kế hoạch số 45-KH/TU của Tỉnh ủy", id="semantic-tags"),
        pytest.param(table_portal_html_bytes, "Văn bản chỉ đạo", id="table-layout"),
        pytest.param(lambda: _in_aspnet_form(html_bytes()), "Kế hoạch số 45-KH/TU của Tỉnh ủy", id="aspnet-form"),
    ],
)
def test_html_keeps_the_article_and_drops_the_page_chrome(build: Builder, title: str) -> None:
    data = build()
    for chrome in (*SIDEBAR_SYMBOLS, CHROME_SYMBOL, "Trang chủ"):
        assert chrome in data.decode(), "the page does carry the chrome"
    result = read_document(data, "trang.html")
    for chrome in (*SIDEBAR_SYMBOLS, CHROME_SYMBOL, "Số 55-KH/TU", "Văn bản liên quan", "Trang chủ", "color: red"):
        assert chrome not in result.text
    assert result.title == title
    assert result.encoding == "utf-8"


@pytest.mark.parametrize(
    ("data", "filename", "encoding", "expected", "warnings"),
    [
        pytest.param(
            cp1258_bytes(html_bytes().decode().replace('charset="utf-8"', 'charset="windows-1258"')),
            "trang.html",
            "cp1258",
            BODY[0],
            (),
            id="windows-1258-page",
        ),
        pytest.param(
            f'<html><head><meta charset="iso-8859-1"></head><body><p>{TCVN3_MOTTO}</p></body></html>'.encode("latin-1"),
            "trang.html",
            "tcvn3",
            MOTTO_TCVN3_READING.splitlines()[1],
            ("converted from the legacy TCVN3 font encoding",),
            id="tcvn3-page",
        ),
        pytest.param(
            f"<p><b>{HEADER.left[-1]}</b></p><p>{SENTENCE}</p><div>{BODY[0]}</div>".encode(),
            "trich-doan.txt",
            "utf-8",
            SENTENCE,
            ("named as text but holds html: read as html",),
            id="fragment-named-txt",
        ),
    ],
)
def test_html_charsets_and_fragments(
    data: bytes, filename: str, encoding: str, expected: str, warnings: tuple[str, ...]
) -> None:
    result = read_document(data, filename)
    assert result.format == "html"
    assert result.encoding == encoding
    assert expected in result.text
    assert "<" not in result.text
    assert result.warnings == warnings


def test_docx_footnote_follows_the_body_and_title_is_read() -> None:
    result = read_document(docx_bytes())
    lines = lines_of(result)
    assert lines[-1] == FOOTNOTE
    assert lines.index(FOOTNOTE) > lines.index(BODY[-1])
    assert result.title == "Kế hoạch thực hiện Nghị quyết 18"


def test_docx_text_box_is_read_once() -> None:
    text = read_document(docx_text_box_bytes()).text
    assert text.count("ĐẢNG CỘNG SẢN VIỆT NAM") == 1


def _docx(build: Callable[[DocxDocument], None]) -> bytes:
    document = Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _merged_table(document: DocxDocument) -> None:
    table = document.add_table(rows=2, cols=2)
    merged = table.cell(0, 0).merge(table.cell(0, 1))
    merged.text = "Phân công thực hiện"
    table.cell(1, 0).text = "Ban Tuyên giáo"
    table.cell(1, 1).text = "Chủ trì"


def test_docx_merged_cell_is_read_once() -> None:
    assert lines_of(read_document(_docx(_merged_table))) == ["Phân công thực hiện", "Ban Tuyên giáo", "Chủ trì"]


def test_docx_without_footnotes_reads_body_only() -> None:
    assert FOOTNOTE not in read_document(docx_bytes(footnote=None)).text


@pytest.mark.parametrize(
    ("data", "encoding", "expected"),
    [
        pytest.param(SENTENCE.encode(), "utf-8", SENTENCE, id="utf-8"),
        pytest.param(SENTENCE.encode("utf-8-sig"), "utf-8-sig", SENTENCE, id="utf-8-bom"),
        pytest.param(SENTENCE.encode("utf-16"), "utf-16", SENTENCE, id="utf-16-bom"),
        pytest.param(b"\xfe\xff" + SENTENCE.encode("utf-16-be"), "utf-16", SENTENCE, id="utf-16-be-bom"),
        pytest.param(unicodedata.normalize("NFD", SENTENCE).encode(), "utf-8", SENTENCE, id="nfd-made-nfc"),
        pytest.param(cp1258_bytes(SENTENCE), "cp1258", SENTENCE, id="windows-1258"),
        pytest.param(TCVN3_MOTTO.encode("latin-1"), "tcvn3", MOTTO_TCVN3_READING, id="tcvn3-bytes"),
        pytest.param(VNI_MOTTO.encode("cp1252"), "vni", MOTTO_VNI_READING, id="vni-bytes"),
        pytest.param(TCVN3_MOTTO.encode(), "utf-8+tcvn3", MOTTO_TCVN3_READING, id="tcvn3-pasted-in-utf-8"),
        pytest.param(
            f"{SENTENCE}\n{TCVN3_MOTTO}".encode(), "utf-8+tcvn3", f"{SENTENCE}\n{MOTTO_TCVN3_READING}", id="mixed"
        ),
        pytest.param(b"Ban h\xe0nh k\xe8m\r\nTh\xf4ng t\xfd", "cp1258", "Ban hành kèm\nThông tư", id="crlf"),
    ],
)
def test_text_charsets(data: bytes, encoding: str, expected: str) -> None:
    result = read_document(data, "van-ban.txt")
    assert result.format == "text"
    assert result.encoding == encoding
    assert result.text == expected
    assert unicodedata.is_normalized("NFC", result.text)
    assert any("legacy" in warning for warning in result.warnings) == ("tcvn3" in encoding or encoding == "vni")


def test_a_pdf_printed_from_a_legacy_font_document_is_converted() -> None:
    # Two lines only: fpdf2 treats U+00AD (TCVN3's "ư") as a soft hyphen and does not draw it.
    result = read_document(pdf_bytes(body=tuple(TCVN3_MOTTO.splitlines()[:2])))
    assert "\n".join(MOTTO_TCVN3_READING.splitlines()[:2]) in result.text
    assert result.warnings == ("converted from the legacy TCVN3 font encoding",)


@pytest.mark.parametrize(
    ("text", "expected", "warnings"),
    [
        ("Số 45-KH/TU", "Số 45-KH/TU", ()),
        (
            "Ban Thường vụ Tỉnh ủy ban hành kế hoạch(cid:3) này",
            "Ban Thường vụ Tỉnh ủy ban hành kế hoạch này",
            ("1 glyphs without a Unicode mapping were dropped",),
        ),
    ],
)
def test_a_few_unmapped_pdf_glyphs_are_dropped(text: str, expected: str, warnings: tuple[str, ...]) -> None:
    assert drop_unmapped_glyphs(text) == (expected, warnings)


def test_a_pdf_text_layer_of_unmapped_glyphs_is_refused() -> None:
    with pytest.raises(UnreadableFileError, match="without a Unicode mapping"):
        drop_unmapped_glyphs("(cid:36)(cid:71)(cid:3)(cid:88) Số")


def test_a_docx_typed_in_a_legacy_font_is_converted() -> None:
    result = read_document(docx_bytes(body=tuple(TCVN3_MOTTO.splitlines()), footnote=None))
    assert MOTTO_TCVN3_READING in result.text
    assert result.encoding is None
    assert result.warnings == ("converted from the legacy TCVN3 font encoding",)


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("build", "reason"),
    [
        pytest.param(lambda: b"", "empty file", id="empty"),
        pytest.param(lambda: b" \n\t\r\n", "empty file", id="blank"),
        pytest.param(lambda: random.Random(7).randbytes(4096), "not a PDF, DOCX, HTML or text file", id="random"),
        pytest.param(lambda: pdf_bytes()[:2000], "corrupt PDF: ", id="truncated-pdf"),
        pytest.param(lambda: b"%PDF-1.7\n" + b"garbage " * 50, "corrupt PDF: ", id="pdf-header-only"),
        pytest.param(scanned_pdf_bytes, "no text layer: a scanned PDF needs OCR first", id="scanned-pdf"),
        pytest.param(lambda: _zip({"a.txt": b"x"}), "not a PDF, DOCX, HTML or text file", id="other-zip"),
        pytest.param(lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "an old Word .doc", id="doc-97"),
        pytest.param(lambda: b"{\\rtf1\\ansi Ke hoach}", "an RTF file", id="rtf"),
        pytest.param(lambda: _zip({"word/document.xml": b"<w:document"}), "corrupt DOCX: ", id="broken-docx"),
        pytest.param(lambda: docx_bytes()[:3000], "corrupt DOCX: ", id="truncated-docx"),
        pytest.param(lambda: _docx(lambda document: None), "no text in the file", id="empty-docx"),
        pytest.param(
            lambda: f"{TCVN3_MOTTO}\n{VNI_MOTTO}".encode("cp1252"),
            "legacy Vietnamese encoding (TCVN3/VNI) not converted",
            id="tcvn3-and-vni-mixed",
        ),
        pytest.param(lambda: b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "HTML page", id="no-main"),
    ],
)
def test_unreadable_files_raise_with_a_reason(build: Builder, reason: str) -> None:
    with pytest.raises(UnreadableFileError) as caught:
        read_document(build(), "upload.pdf")
    assert caught.value.reason.startswith(reason)
    assert str(caught.value).startswith("upload.pdf: ")
    assert isinstance(caught.value, InvalidInputError)


def test_same_bytes_same_hash_whatever_the_name() -> None:
    data = docx_bytes()
    assert read_document(data, "a.docx").sha256 == read_document(data, "b.bin").sha256


def test_fixture_folder_is_mixed_and_every_file_reads(tmp_path: Path) -> None:
    files = make_fixture_folder(tmp_path, count=9, seed=3)
    again = make_fixture_folder(tmp_path / "again", count=9, seed=3)
    assert [path.read_bytes() for path in files] == [path.read_bytes() for path in again], "same seed, same bytes"
    assert {path.suffix for path in files} == {".docx", ".pdf", ".html"}
    for path in files:
        result = read_document(path.read_bytes(), path.name)
        assert result.format == path.suffix.lstrip(".")
        assert "-KH/TU" in result.text
