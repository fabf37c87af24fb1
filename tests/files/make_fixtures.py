"""Build test documents in memory (PDF, DOCX, HTML, legacy-encoded text); every sentence is written for lexgraph.

``make_fixture_folder`` writes a mixed folder of generated files for the ingest throughput benchmark.
"""

from __future__ import annotations

import io
import random
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from fpdf import FPDF
from PIL import Image, ImageDraw

FIXED_TIME = datetime(2024, 3, 12, tzinfo=UTC)  # fixtures are byte-for-byte reproducible: files are keyed by hash
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # Debian package fonts-dejavu-core
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
WPS_NS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
VML_NS = "urn:schemas-microsoft-com:vml"
FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


@dataclass(frozen=True)
class Header:
    """The two-column header of a Party document: issuer on the left, motto and place/date on the right."""

    left: tuple[str, ...] = ("ĐẢNG BỘ TỈNH NGHỆ AN", "TỈNH ỦY", "*", "Số 45-KH/TU")
    right: tuple[str, ...] = ("ĐẢNG CỘNG SẢN VIỆT NAM", "Nghệ An, ngày 12 tháng 3 năm 2024")


HEADER = Header()
TITLE = "KẾ HOẠCH"
SUBTITLE = "thực hiện Nghị quyết số 18-NQ/TW về sắp xếp tổ chức bộ máy"
BODY = (
    "Ban Thường vụ Tỉnh ủy ban hành kế hoạch này để các cấp ủy triển khai thống nhất trong toàn tỉnh.",
    "Các huyện ủy, thành ủy, thị ủy báo cáo kết quả thực hiện về Văn phòng Tỉnh ủy trước ngày 30 tháng 6.",
    "Kế hoạch này thay thế Kế hoạch số 12-KH/TU và được phổ biến đến chi bộ.",
)
FOOTNOTE = "Chỉ thị số 07-CT/TU của Ban Thường vụ Tỉnh ủy về công tác kiểm tra năm 2024."
SIDEBAR_SYMBOLS = ("Số 88-QĐ/TU", "Số 99-CT/TU", "Số 61-TB/TU")
CHROME_SYMBOL = "Số 77-GP/TTĐT"


def pdf_bytes(
    header: Header = HEADER, body: tuple[str, ...] = BODY, pitch: float = 7, scanned_page: bool = False
) -> bytes:
    """A PDF with a text layer: the two header columns share their baselines (``pitch`` mm apart), as in real
    documents; ``scanned_page`` adds a second page that is only a picture."""
    pdf = FPDF(format="A4")
    pdf.set_creation_date(FIXED_TIME)
    pdf.add_page()
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.set_font("DejaVu", size=12)
    for row in range(max(len(header.left), len(header.right))):
        y = 15 + row * pitch
        for x, column in ((12, header.left), (105, header.right)):
            if row < len(column):
                pdf.set_xy(x, y)
                pdf.cell(90, 7, column[row], align="C")
    pdf.set_xy(12, 30 + len(header.left) * pitch)
    pdf.multi_cell(186, 7, f"{TITLE}\n{SUBTITLE}", align="C")
    pdf.ln(4)
    for paragraph in body:
        pdf.multi_cell(186, 7, paragraph)
        pdf.ln(3)
    if scanned_page:
        _add_picture_page(pdf)
    return bytes(pdf.output())


def scanned_pdf_bytes() -> bytes:
    """A PDF whose only page is a picture: what a scanner produces."""
    pdf = FPDF(format="A4")
    pdf.set_creation_date(FIXED_TIME)
    _add_picture_page(pdf)
    return bytes(pdf.output())


def _add_picture_page(pdf: FPDF) -> None:
    image = Image.new("L", (400, 200), 255)
    ImageDraw.Draw(image).rectangle((40, 40, 360, 160), outline=0, width=4)
    pdf.add_page()
    pdf.image(image, x=20, y=20, w=160)


def docx_bytes(header: Header = HEADER, body: tuple[str, ...] = BODY, footnote: str | None = FOOTNOTE) -> bytes:
    """A DOCX: the header as a borderless 1x2 table, title, body paragraphs, and one footnote on the last."""
    document = Document()
    document.core_properties.title = "Kế hoạch thực hiện Nghị quyết 18"
    table = document.add_table(rows=1, cols=2)
    for cell, lines in zip(table.rows[0].cells, (header.left, header.right), strict=True):
        cell.paragraphs[0].text = lines[0]
        for line in lines[1:]:
            cell.add_paragraph(line)
    document.add_paragraph(TITLE)
    document.add_paragraph(SUBTITLE)
    paragraphs = [document.add_paragraph(text) for text in body]
    if footnote is not None:
        _add_footnote(document, paragraphs[-1], footnote)
    return _saved(document)


def docx_text_box_bytes(header: Header = HEADER) -> bytes:
    """A DOCX whose right header column sits in a text box anchored on the symbol's paragraph, written as
    Word writes it: a DrawingML shape and a VML fallback holding the same paragraphs."""
    document = Document()
    paragraphs = [document.add_paragraph(line) for line in header.left]
    inner = "".join(f'<w:p><w:r><w:t xml:space="preserve">{line}</w:t></w:r></w:p>' for line in header.right)
    box = f"<w:txbxContent>{inner}</w:txbxContent>"
    run = parse_xml(
        f'<w:r xmlns:w="{W_NS}" xmlns:mc="{MC_NS}" xmlns:wps="{WPS_NS}" xmlns:v="{VML_NS}"><mc:AlternateContent>'
        f'<mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx>{box}</wps:txbx></wps:wsp></w:drawing></mc:Choice>'
        f"<mc:Fallback><w:pict><v:shape><v:textbox>{box}</v:textbox></v:shape></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r>"
    )
    paragraphs[-1]._p.append(run)  # type: ignore[arg-type]  # the lxml stubs want the same element class
    for text in BODY:
        document.add_paragraph(text)
    return _saved(document)


def _saved(document: DocxDocument) -> bytes:
    """Save with fixed ZIP entry times, so the same document gives the same bytes."""
    buffer = io.BytesIO()
    document.save(buffer)
    stable = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(stable, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(entry.filename))
    return stable.getvalue()


def _add_footnote(document: DocxDocument, paragraph: Paragraph, text: str) -> None:
    """python-docx writes no footnotes: add word/footnotes.xml and a reference run by hand."""
    xml = (
        f'<w:footnotes xmlns:w="{W_NS}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
        f'</w:footnote><w:footnote w:id="1"><w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p></w:footnote>'
        "</w:footnotes>"
    )
    part = Part(PackURI("/word/footnotes.xml"), FOOTNOTES_TYPE, xml.encode(), document.part.package)
    document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
    run = paragraph.add_run()._r
    run.append(run.makeelement(qn("w:footnoteReference"), {qn("w:id"): "1"}))


def html_bytes(header: Header = HEADER, body: tuple[str, ...] = BODY, charset: str = "utf-8") -> bytes:
    """A portal page: menu, breadcrumb, the article, a "Văn bản liên quan" sidebar and a footer."""
    related = "".join(
        f'<li><a href="/vb/{n}">{symbol} về công tác cán bộ</a></li>' for n, symbol in enumerate(SIDEBAR_SYMBOLS)
    )
    paragraphs = "".join(f"<p>{text}</p>" for text in body)
    page = f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="{charset}"><title>Kế hoạch số 45-KH/TU của Tỉnh ủy</title>
<style>.menu {{ color: red; }}</style><script>var tracking = "Số 55-KH/TU";</script></head>
<body>
<header><nav class="menu"><ul><li><a href="/">Trang chủ</a></li><li><a href="/tin">Tin tức</a></li>
<li><a href="/vb">Văn bản</a></li></ul></nav></header>
<div class="breadcrumb"><a href="/">Trang chủ</a> &gt; <a href="/vb">Văn bản chỉ đạo</a></div>
<div class="container"><main><article class="post-content">
<h1>Kế hoạch thực hiện Nghị quyết số 18-NQ/TW</h1>
<p>{"<br>".join(header.left)}</p>
<p>{"<br>".join(header.right)}</p>
<p><strong>{TITLE}</strong><br>{SUBTITLE}</p>
{paragraphs}
</article></main>
<aside class="sidebar"><h3>Văn bản liên quan</h3><ul>{related}</ul></aside></div>
<footer><p>Cổng thông tin điện tử tỉnh, giấy phép {CHROME_SYMBOL}. Địa chỉ: số 3 đường Trường Thi.</p></footer>
</body></html>"""
    return page.encode(charset)


def table_portal_html_bytes(header: Header = HEADER, body: tuple[str, ...] = BODY) -> bytes:
    """An older portal laid out with tables: the header is a nested two-cell table, the related list a cell."""
    related = "<br>".join(
        f'<a href="/vb/{n}">{symbol} về thi đua khen thưởng</a>' for n, symbol in enumerate(SIDEBAR_SYMBOLS)
    )
    page = f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>Văn bản chỉ đạo</title></head><body>
<div class="topmenu"><a href="/">Trang chủ</a> | <a href="/gt">Giới thiệu</a> | <a href="/vb">Văn bản</a></div>
<table width="100%"><tr><td width="72%">
<table><tr><td>{"<br>".join(header.left)}</td><td><p>{header.right[0]}</p><p><i>{header.right[1]}</i></p></td></tr></table>
<p align="center"><b>{TITLE}</b><br>{SUBTITLE}</p>
{"".join(f"<p>{text}</p>" for text in body)}
</td><td><b>Văn bản liên quan</b><br>{related}</td></tr></table>
<div>Bản quyền thuộc Văn phòng Tỉnh ủy. Giấy phép {CHROME_SYMBOL}.</div>
</body></html>"""
    return page.encode()


def cp1258_bytes(text: str) -> bytes:
    """Windows-1258 keeps the vowel shape in one byte (ô, ư, ă) and writes the tone as a combining byte."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", char)
        tone = "".join(part for part in parts if part in "\u0300\u0301\u0303\u0309\u0323")
        shape = unicodedata.normalize("NFC", "".join(part for part in parts if part not in tone))
        out += (shape + tone).encode("cp1258")
    return bytes(out)


def make_fixture_folder(path: Path, count: int, seed: int) -> list[Path]:
    """Write ``count`` generated documents (DOCX, PDF, HTML, in turn from a seeded shuffle) under ``path``."""
    rng = random.Random(seed)
    path.mkdir(parents=True, exist_ok=True)
    builders: dict[str, Callable[[Header, tuple[str, ...]], bytes]] = {
        "docx": docx_bytes,
        "pdf": pdf_bytes,
        "html": html_bytes,
    }
    written: list[Path] = []
    for index in range(count):
        extension = rng.choice(sorted(builders))
        number = rng.randint(1, 999)
        header = Header(
            left=(*HEADER.left[:-1], f"Số {number}-KH/TU"),
            right=(HEADER.right[0], f"Nghệ An, ngày {rng.randint(1, 28)} tháng {rng.randint(1, 12)} năm 2024"),
        )
        body = tuple(rng.sample(BODY, k=len(BODY))) * rng.randint(1, 6)
        target = path / f"doc-{index:04d}.{extension}"
        target.write_bytes(builders[extension](header, body))
        written.append(target)
    return written
