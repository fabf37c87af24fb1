"""Full-text search of stored source texts: query words, the stores' match expressions, and snippets.

A store recalls the texts holding every query word (SQLite: FTS5 over the folded text; Neo4j: a
full-text index); a text is kept only when its folded words hold every query word (the Neo4j
analyzer drops English stop words such as "to", which folded Vietnamese is full of), and each hit
carries a snippet of the text around its best window, HTML-escaped with the matched words in
``<mark>`` — the same markup as search highlights, safe to insert as HTML and plain to strip.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from pydantic import BaseModel, Field

from graph.search import TOKEN, index_words
from graph.text import fold, nfc, squash_spaces

MAX_TEXT_QUERY_WORDS = 12
# Characters of text on each side of the first word of a snippet's window.
SNIPPET_BEFORE = 60
SNIPPET_LENGTH = 240
ELLIPSIS = "…"


class TextHit(BaseModel):
    """A stored text holding every query word: its id, its own document if any, and a snippet."""

    text_id: str
    document_key: str | None = None
    jurisdiction: str | None = None
    snippet: str = Field(description="HTML-escaped text around the match; matched words in <mark>")


@dataclass(frozen=True)
class TextQuery:
    """The folded words of a text query, the last one a prefix when the query did not end in a space."""

    words: tuple[str, ...]
    prefix_last: bool


def parse_text_query(text: str) -> TextQuery | None:
    """A text query's folded words (at most :data:`MAX_TEXT_QUERY_WORDS`); ``None`` when it has none."""
    found = index_words(fold(squash_spaces(nfc(text))))[:MAX_TEXT_QUERY_WORDS]
    if not found or len("".join(found)) < 2:
        return None
    return TextQuery(tuple(found), prefix_last=not text[-1:].isspace() and len(found[-1]) >= 2)


def fts_expression(query: TextQuery) -> str:
    """An FTS5 query requiring every word (words are letters and digits: quoting is enough)."""
    parts = [f'"{w}"' for w in query.words]
    if query.prefix_last:
        parts[-1] += "*"
    return " AND ".join(parts)


def lucene_expression(query: TextQuery) -> str:
    """A Lucene query requiring every word."""
    parts = [f"+{w}" for w in query.words]
    if query.prefix_last:
        parts[-1] += "*"
    return " ".join(parts)


def holds(query: TextQuery, text: str) -> bool:
    """Whether the folded words of ``text`` hold every query word (the last as a prefix if so parsed)."""
    tokens = set(index_words(fold(text)))
    return all(_found(query, i, tokens) for i in range(len(query.words)))


def snippet(query: TextQuery, text: str) -> str:
    """The part of ``text`` around the window where most query words are found, escaped and marked."""
    folded = fold(text)
    if len(folded) != len(text):  # fold keeps NFC text's length; anything else is marked on its own fold
        text = folded
    matches = [m for m in TOKEN.finditer(folded) if _matches(query, m.group())]
    if not matches:
        return escape(text[:SNIPPET_LENGTH]) + (ELLIPSIS if len(text) > SNIPPET_LENGTH else "")
    start = max(0, _best_window(matches) - SNIPPET_BEFORE)
    end = min(len(text), start + SNIPPET_LENGTH)
    parts = [ELLIPSIS if start else ""]
    pos = start
    for m in matches:
        if m.start() < start or m.end() > end:
            continue
        parts += [escape(text[pos : m.start()]), "<mark>", escape(text[m.start() : m.end()]), "</mark>"]
        pos = m.end()
    parts += [escape(text[pos:end]), ELLIPSIS if end < len(text) else ""]
    return "".join(parts)


def _best_window(matches: Sequence[re.Match[str]]) -> int:
    """The start of the match that begins the window holding the most matches."""
    starts = [m.start() for m in matches]
    span = SNIPPET_LENGTH - SNIPPET_BEFORE
    counts = [sum(1 for s in starts[i:] if s - first < span) for i, first in enumerate(starts)]
    return starts[counts.index(max(counts))]


def _matches(query: TextQuery, token: str) -> bool:
    return any(_word_matches(query, i, token) for i in range(len(query.words)))


def _found(query: TextQuery, index: int, tokens: set[str]) -> bool:
    return query.words[index] in tokens or any(_word_matches(query, index, t) for t in tokens)


def _word_matches(query: TextQuery, index: int, token: str) -> bool:
    word = query.words[index]
    if token == word:
        return True
    return query.prefix_last and index == len(query.words) - 1 and token.startswith(word)
