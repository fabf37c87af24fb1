"""Search ranking: tiers, scores and highlights, from nothing but the recalled documents and the query.

Both stores recall (graph.stores.*.search); the order is decided here, so both rank the same data the same way.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Sequence
from html import escape

import orjson

from graph.models import Document, Level
from graph.records import constructed
from graph.search import (
    EXACT_SYMBOL,
    SYMBOL_PREFIX,
    TEXT_MATCH,
    TOKEN,
    Candidate,
    Findable,
    SearchHit,
    SearchQuery,
    heading_text,
    identity_text,
    strip_zeros,
    words,
)
from graph.symbols import TYPE_CODE_NAMES, parse_symbol, symbol_match_key
from graph.text import fold

TIER_WEIGHT = 10.0
YEAR_BONUS = TERM_BONUS = 1.0
ISSUER_BONUS = TYPE_BONUS = 0.5
HEADING_WEIGHT = 0.5
PHRASE_WEIGHT = 0.5
# Above every bonus and the word coverage together (3 + 1), below a tier: central documents come
# first among those of one symbol tier.
CENTRAL_WEIGHT = 5.0


# Candidates of one query share symbols and titles ("1-KH/TU", "Kế hoạch thực hiện …"), and so do the
# queries of a busy server: what ranking derives from a string is derived once.
_CACHED = 1 << 16
_parse_symbol = functools.lru_cache(maxsize=_CACHED)(parse_symbol)
_match_key = functools.lru_cache(maxsize=_CACHED)(symbol_match_key)
_fold = functools.lru_cache(maxsize=_CACHED)(fold)


@functools.lru_cache(maxsize=_CACHED)
def _words(text: str) -> tuple[str, ...]:
    return tuple(words(text))


class RankedHit:
    """A ranked document: its place's score and citations, and its title marked for the query (made once, when a
    page first shows it). What a hit adds to its document, without the document: a page reads the documents."""

    __slots__ = ("_highlight", "_query", "_title", "cited_by", "key", "score")

    def __init__(self, key: str, score: float, cited_by: int, title: str | None, query: SearchQuery) -> None:
        self.key, self.score, self.cited_by = key, score, cited_by
        self._title, self._query = title, query
        self._highlight: str | None = None

    def highlight(self) -> str | None:
        """The title HTML-escaped, the words matching the query in ``<mark>`` (see :func:`highlight`)."""
        if self._highlight is None and self._title:
            self._highlight = highlight(self._title, self._query)
        return self._highlight

    def hit(self, document: Document) -> SearchHit:
        """The hit of ``document``: its fields, then the hit's."""
        return constructed(
            SearchHit,
            {**document.__dict__, "score": self.score, "highlight": self.highlight(), "cited_by": self.cited_by},
        )

    def hit_json(self, document: str) -> str:
        """The hit's JSON from its document's: :class:`SearchHit` adds its three fields after the document's."""
        extra = orjson.dumps({"score": self.score, "highlight": self.highlight(), "cited_by": self.cited_by})
        return f"{document[:-1]},{extra[1:].decode()}"


def ranked(query: SearchQuery, candidates: Iterable[Candidate], *, central_first: bool = True) -> list[RankedHit]:
    """Score and order every candidate; documents that match nothing are dropped.

    Order: exact symbol > symbol prefix > title match; among documents a query names by symbol or
    number, central ones first (unless ``central_first`` is off: a jurisdiction was asked for); then
    year, term and issuer hints and the share of query words found (the score), then how many links
    point at the document, then how well the words match the type and title, newest first, key.
    A year or term narrows: when a document the query names by symbol has them, the documents it
    names whose year or term differ are dropped ("nghị quyết 18 2017" leaves out 18-NQ/TW of 2022).
    """
    unique = list({c.key: c for c in candidates}.values())
    tiers = {c.key: _symbol_tier(query, c) for c in unique}
    named = [c for c in unique if tiers[c.key]]
    if any(_matches_time(query, c) for c in named):
        dropped = {c.key for c in named if _matches_time(query, c) is False}
        unique = [c for c in unique if c.key not in dropped]
    scored = [(_score(query, c, tiers[c.key], central_first), c) for c in unique]
    kept = sorted(
        ((s, c) for s, c in scored if s[0] > 0),
        key=lambda sc: (-sc[0][0], -sc[1].cited_by, -sc[0][1], -(sc[1].year or 0), sc[1].key),
    )
    return [RankedHit(c.key, round(s[0], 4), c.cited_by, c.title, query) for s, c in kept]


def _score(query: SearchQuery, doc: Findable, tier: int, central_first: bool) -> tuple[float, float]:
    """The score of one document of a symbol ``tier`` and a tie-break finer than citations; 0 when it
    matches neither the symbol hints nor the words."""
    heading = _words(heading_text(doc))
    heading_set = set(heading)
    tokens = heading_set.union(_words(identity_text(doc)))
    qualities = [query.quality(i, tokens) for i in range(len(query.words))]
    coverage = sum(qualities) / len(qualities)
    if tier == 0:
        if coverage == 0:
            return 0.0, 0.0
        tier = TEXT_MATCH
    in_heading = sum(query.quality(i, heading_set) for i in range(len(query.words))) / len(query.words)
    fine = HEADING_WEIGHT * in_heading + PHRASE_WEIGHT * _phrase_ratio(query, heading)
    bonus = (
        (YEAR_BONUS if query.year is not None and doc.year == query.year else 0.0)
        + (TERM_BONUS if query.term is not None and (doc.term or "").upper() == query.term else 0.0)
        + (ISSUER_BONUS if _names_issuer(query, doc) else 0.0)
        + (TYPE_BONUS if query.type_code is not None and _has_type(doc, query.type_code) else 0.0)
    )
    base = tier * TIER_WEIGHT + bonus + coverage
    if tier == TEXT_MATCH:
        # Title matches rank by how well the words match; citations only break their ties.
        return base + fine, 0.0
    central = CENTRAL_WEIGHT if central_first and doc.level == Level.central else 0.0
    return base + central, fine


def highlight(title: str, query: SearchQuery) -> str:
    """``title`` HTML-escaped, with the words best matching each query word wrapped in ``<mark>``.

    A query word found exactly marks only its exact occurrences, not its near misses.
    """
    folded, origin = _fold_with_offsets(title)
    found = [(m, strip_zeros(m.group())) for m in TOKEN.finditer(folded)]
    tokens = {token for _, token in found}
    best = [query.quality(i, tokens) for i in range(len(query.words))]
    exact = {word for word, quality in zip(query.words, best, strict=True) if quality == 1.0}
    near = [i for i, quality in enumerate(best) if 0 < quality < 1]
    marked = {t for t in tokens if t in exact or any(query.token_quality(i, t) == best[i] for i in near)}
    parts: list[str] = []
    pos = 0
    for m, token in found:
        if token not in marked:
            continue
        start, end = origin[m.start()], origin[m.end() - 1] + 1
        parts += [escape(title[pos:start]), "<mark>", escape(title[start:end]), "</mark>"]
        pos = end
    parts.append(escape(title[pos:]))
    return "".join(parts)


def _symbol_tier(query: SearchQuery, doc: Findable) -> int:
    if query.symbol_key is None and query.symbol_prefix is None and query.number is None:
        return 0
    keys = _match_keys(doc)
    if query.symbol_key in keys:
        return EXACT_SYMBOL
    if query.number is not None and (doc.number or "").lstrip("0") == query.number.lstrip("0"):
        if query.type_code is None:
            return SYMBOL_PREFIX
        if _has_type(doc, query.type_code):
            return EXACT_SYMBOL
    if query.symbol_prefix and any(k.startswith(query.symbol_prefix) for k in keys):
        return SYMBOL_PREFIX
    return 0


def _matches_time(query: SearchQuery, doc: Findable) -> bool | None:
    """Whether ``doc`` has the query's year and term; ``None`` when the query or the document lacks them.

    A year that is also the query's number ("quyết định 2015") may not be a year at all: it is ignored.
    """
    checks = []
    if query.year is not None and query.number != str(query.year) and doc.year is not None:
        checks.append(doc.year == query.year)
    if query.term is not None and doc.term:
        checks.append(doc.term.upper() == query.term)
    return all(checks) if checks else None


def _has_type(doc: Findable, code: str) -> bool:
    codes = {p.type_code for p in map(_parse_symbol, (doc.symbol, *doc.aliases)) if p is not None}
    return code in codes or (doc.type is not None and _fold(doc.type) == _fold(TYPE_CODE_NAMES[code]))


def _match_keys(doc: Findable) -> set[str]:
    return {_match_key(s) for s in (doc.symbol, *doc.aliases)}


def _names_issuer(query: SearchQuery, doc: Findable) -> bool:
    """Whether the query names the document's issuer: by its code ("nq tu 5"), or, in a symbol typed half-way
    ("12/KH-U"), by beginning one of its spellings (12/KH-UBND, not 12-KH/TU)."""
    if query.issuer is not None:
        return query.issuer in _issuer_codes(doc)
    prefix = query.symbol_prefix
    return prefix is not None and any(k.startswith(prefix) for k in _match_keys(doc))


def _issuer_codes(doc: Findable) -> set[str]:
    parts = _parse_symbol(doc.symbol)
    return {_fold(p) for p in parts.issuer.split("-")} if parts else set()


def _phrase_ratio(query: SearchQuery, heading: Sequence[str]) -> float:
    """The share of neighbouring query words found side by side, in order, in the heading (type and title)."""
    if len(query.words) < 2:
        return 0.0
    pairs = set(itertools.pairwise(heading))
    return sum((a, b) in pairs for a, b in itertools.pairwise(query.words)) / (len(query.words) - 1)


def _fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """``fold(text)`` and, for each of its characters, the index of the character of ``text`` it came from."""
    folded = fold(text)
    if len(folded) == len(text):
        return folded, list(range(len(text)))
    pieces = [fold(ch) for ch in text]
    return "".join(pieces), [i for i, piece in enumerate(pieces) for _ in piece]
