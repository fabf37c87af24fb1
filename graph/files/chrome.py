"""Page chrome removed before main-content extraction: what trafilatura cannot know about portal pages.

Provincial portals often lay pages out with tables and put "Văn bản liên quan" (related documents) in a
cell beside the article; a boilerplate remover that scores blocks keeps such a cell, and its symbols
would then be read as references. Known chrome goes first, by tag, by class/id, and by its heading.
"""

from __future__ import annotations

import re

from lxml import html as lxml_html
from lxml.etree import ParserError

_INVISIBLE_TAGS = ("script", "style", "noscript", "template", "iframe")
# No <form>: ASP.NET portals wrap the whole page, article included, in one.
_CHROME_TAGS = ("nav", "aside", "footer", "button")
# One class or id token naming page furniture: "main-menu", "breadcrumb", "box_tinlienquan", "sidebar-right".
_CHROME_NAME = re.compile(
    r"(?:^|[-_\s])(?:menu|navbar|nav|breadcrumbs?|sidebar|footer|banner|share|social|comments?|advert|ads"
    r"|quangcao|quang-cao|related|lienquan|lien-quan|tinkhac|tin-khac|cungchuyenmuc|cung-chuyen-muc)(?:$|[-_\s])",
    re.IGNORECASE,
)
# Headings of link lists that portals put around an article.
_RELATED_HEADING = re.compile(
    r"^(?:các\s+)?(?:văn\s+bản|tin|bài(?:\s+viết)?)\s+(?:liên\s+quan|cùng\s+chuyên\s+mục|khác|mới(?:\s+nhất)?"
    r"|đọc\s+nhiều|xem\s+nhiều|đã\s+đưa)|^xem\s+thêm|^related\b",
    re.IGNORECASE,
)
_HEADING_MAX_CHARS = 60
_MAX_SHARE_OF_PAGE = 0.5  # never drop a block holding half the page's text: it is the article's wrapper
_BLOCKS = ".//p | .//div | .//table | .//ul | .//ol"
_BLOCK_CHILDREN = _BLOCKS + " | .//br"


def strip_chrome(markup: str) -> lxml_html.HtmlElement | None:
    """Parse the page and drop navigation, sidebars, footers, related-link lists and scripts; None if unparsable."""
    try:
        root = lxml_html.document_fromstring(markup)
    except (ParserError, ValueError):
        return None
    for element in list(root.iter(*_INVISIBLE_TAGS, *_CHROME_TAGS)):
        _drop(element)
    page_chars = len(root.text_content())
    for element in list(root.iter()):
        names = f"{element.get('class', '')} {element.get('id', '')}"
        # A class or id can be loose ("page-with-sidebar" on the wrapper): such a drop must stay small.
        if element.getparent() is not None and _CHROME_NAME.search(names) and _small(element, page_chars):
            _drop(element)
    _drop_related_lists(root, page_chars)
    _unwrap_layout_tables(root)
    return root


def _small(element: lxml_html.HtmlElement, page_chars: int) -> bool:
    return len(element.text_content()) <= page_chars * _MAX_SHARE_OF_PAGE


def _drop(element: lxml_html.HtmlElement) -> None:
    if element.getparent() is not None:
        element.drop_tree()


def _drop_related_lists(root: lxml_html.HtmlElement, page_chars: int) -> None:
    """Drop the smallest block around a "tin liên quan"-like heading that holds links; else the heading alone."""
    headings = [
        element
        for element in root.iter("h1", "h2", "h3", "h4", "h5", "h6", "b", "strong", "span", "div", "p", "td")
        if len(text := " ".join(element.text_content().split())) <= _HEADING_MAX_CHARS and _RELATED_HEADING.match(text)
    ]
    for heading in headings:
        block = heading
        while not block.xpath(".//a") and (parent := block.getparent()) is not None:
            block = parent
        if block.getparent() is not None and _small(block, page_chars):
            _drop(block)
        else:
            _drop(heading)


def _unwrap_layout_tables(root: lxml_html.HtmlElement) -> None:
    """Tables holding paragraphs or line breaks are layout (a page grid, a two-column document header).

    Read as blocks, each cell comes out whole and in order with its line breaks: left cell, then right cell.
    A cell of inline text and <br> becomes a paragraph, the form in which trafilatura keeps line breaks.
    """
    for table in list(root.iter("table")):
        cells = table.xpath(".//td | .//th")
        if not any(cell.xpath(_BLOCK_CHILDREN) for cell in cells):
            continue
        for cell in cells:
            cell.tag = "div" if cell.xpath(_BLOCKS) else "p"
        for element in [table, *table.xpath(".//thead | .//tbody | .//tfoot | .//tr")]:
            element.tag = "div"
