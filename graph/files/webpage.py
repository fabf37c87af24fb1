"""Saved web pages: the article only, through trafilatura (boilerplate removal made for news and portal pages)."""

from __future__ import annotations

import codecs
import html
import re
import unicodedata
from dataclasses import dataclass

import trafilatura

from graph.files.chrome import strip_chrome
from graph.files.model import UnreadableFileError
from graph.files.plaintext import decode_text

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HEAD_WINDOW = 4096
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
_BLANK_RUNS = re.compile(r"\n{3,}")


@dataclass(frozen=True, slots=True)
class PageText:
    """The main text of a page, the charset it was read in and its <title>."""

    text: str
    encoding: str
    title: str | None


def read_html(data: bytes) -> PageText:
    """Return the page's main content with paragraph breaks; menus, sidebars, footers and scripts dropped."""
    markup, encoding = _decode(data)
    cleaned = strip_chrome(markup)
    # favor_precision: portal pages carry long "văn bản liên quan" lists that recall mode keeps as content.
    text = trafilatura.extract(
        markup if cleaned is None else cleaned,
        include_comments=False,
        include_tables=True,
        favor_precision=True,
        deduplicate=False,
    )
    if not text or not text.strip():
        raise UnreadableFileError("HTML page without a main text (only menus, links or scripts)")
    text = _BLANK_RUNS.sub("\n\n", unicodedata.normalize("NFC", text)).strip()
    return PageText(text, encoding, _title(markup))


def _decode(data: bytes) -> tuple[str, str]:
    """A BOM or valid UTF-8 wins (portals often declare a charset they no longer use); then the declared
    charset when Python knows it and it decodes cleanly; else detection as for plain text."""
    declared = _META_CHARSET.search(data[:_HEAD_WINDOW])
    if declared and not data.startswith(_BOMS) and not _is_utf8(data):
        name = declared.group(1).decode("ascii").lower()
        try:
            return unicodedata.normalize("NFC", data.decode(name)), codecs.lookup(name).name
        except (LookupError, UnicodeDecodeError):
            pass
    decoded = decode_text(data)
    return decoded.text, decoded.encoding


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _title(markup: str) -> str | None:
    found = _TITLE.search(markup)
    title = " ".join(html.unescape(found.group(1)).split()) if found else ""
    return title or None
