"""Document search: query parsing, typo expansion, scoring and highlighting, shared by both stores.

A store only recalls candidates: documents whose indexed :func:`search_text` holds every query
term (see :func:`recall_plan`), plus exact symbol lookups. Everything that decides the order is
here and reads nothing but the documents, so both stores rank the same data the same way.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Protocol

from pydantic import Field

from graph.models import Document, Level
from graph.records import LEVEL_BY_VALUE
from graph.symbols import PARTY_ISSUER_CODES, TYPE_CODE_NAMES, canonical_code, parse_symbol, symbol_match_key
from graph.text import fold, nfc, squash_spaces

MIN_QUERY_LENGTH = 2
MAX_QUERY_LENGTH = 200
DEFAULT_LIMIT = 10
MAX_LIMIT = 50
# Candidates each recall fetches, whatever the page size: a page is cut from one ranking of the same
# candidates, so the first items of a query are the same for limit=5 and limit=50. A typo-tolerant
# recall takes more: its matches are near misses, which each store orders its own way.
RECALL_DEPTH = MAX_LIMIT
TYPO_RECALL_DEPTH = 2 * MAX_LIMIT
# Typo tolerance: one edit (insert, delete, substitute, swap) in a word of this many letters or more.
TYPO_MIN_LENGTH = 3
# At most this many words of one query are expanded, and each to at most this many vocabulary
# words (Lucene's default for a fuzzy term, which the Neo4j store relies on).
MAX_TYPO_WORDS = 8
MAX_TYPO_EXPANSIONS = 50

# Words as both full-text tokenizers split them: runs of letters and digits.
TOKEN = re.compile(r"[^\W_]+")
_DIGITS = re.compile(r"^\d+$")
_LETTERS = re.compile(r"^[a-z]+$")
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_ROMAN = re.compile(r"^x{0,3}(?:ix|iv|v?i{0,3})$")
# "NQ25", "25NQ": a type code glued to a number.
_GLUED = re.compile(r"^(?:(?P<code>[a-z]{2,4})(?P<number>\d+)|(?P<number2>\d+)(?P<code2>[a-z]{2,4}))$")
# A symbol being typed: a digit next to a separator, as in "25-NQ", "16/CT", "55/2014/QH".
_SYMBOL_LIKE = re.compile(r"\d\s*[-/]|[-/]\s*\d")
# "TƯ" and "T.Ư" name the Central Committee; folded they would read as "tu", a provincial committee.
_CENTRAL_SPELLING = re.compile(r"(?<![^\W_])T\.?Ư(?![^\W_])")
_ALPHABET = "abcdefghijklmnopqrstuvwxyz"
_ROMAN_DIGITS = (("x", 10), ("ix", 9), ("v", 5), ("iv", 4), ("i", 1))

_TYPE_CODES = {fold(code): code for code in TYPE_CODE_NAMES if len(code) > 1}
# Type names as word sequences, longest first: "thong tu lien tich" before "thong tu".
_TYPE_NAMES = sorted(
    ((tuple(fold(name).split()), code) for code, name in TYPE_CODE_NAMES.items()), key=lambda item: -len(item[0])
)
ISSUER_CODES = {fold(code) for code in PARTY_ISSUER_CODES} | {"cp", "ttg", "ubnd", "hdnd", "qh"}

EXACT_SYMBOL, SYMBOL_PREFIX, TEXT_MATCH = 3, 2, 1
PREFIX_QUALITY = 0.8
TYPO_QUALITY = 0.5


class SearchHit(Document):
    """A found document, its score and its title with the matched words in ``<mark>``."""

    score: float
    highlight: str | None = None
    cited_by: int = Field(0, description="links pointing at the document: ranks documents of one number")


class Findable(Protocol):
    """What search reads of a document: a stored one, or a recalled :class:`Candidate` not yet built."""

    @property
    def key(self) -> str: ...
    @property
    def symbol(self) -> str: ...
    @property
    def aliases(self) -> Sequence[str]: ...
    @property
    def type(self) -> str | None: ...
    @property
    def number(self) -> str | None: ...
    @property
    def year(self) -> int | None: ...
    @property
    def term(self) -> str | None: ...
    @property
    def issuer(self) -> str | None: ...
    @property
    def level(self) -> Level | None: ...
    @property
    def title(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class Candidate:
    """A recalled document as ranking reads it, and how many links point at it: the documents that make the page
    are read whole once ranked."""

    key: str
    symbol: str
    aliases: Sequence[str]
    type: str | None
    number: str | None
    year: int | None
    term: str | None
    issuer: str | None
    level: Level | None
    title: str | None
    cited_by: int

    @classmethod
    def of(cls, row: Mapping[str, Any], cited_by: int) -> Candidate:
        """A candidate from a stored row whose aliases are a list."""
        level = row.get("level")
        return cls(
            row["key"],
            row["symbol"],
            row.get("aliases") or [],
            row.get("type"),
            row.get("number"),
            row.get("year"),
            row.get("term"),
            row.get("issuer"),
            LEVEL_BY_VALUE[level] if level else None,
            row.get("title"),
            cited_by,
        )


@dataclass(frozen=True, slots=True)
class SearchAsk:
    """A search as asked: the query text and the filters, not the page size."""

    text: str
    type: str | None = None
    level: Level | None = None
    jurisdiction: str | None = None
    year: int | None = None


@dataclass(frozen=True)
class SearchFilters:
    """Narrowing every recall applies; ``type`` is a folded type name."""

    type: str | None = None
    level: str | None = None
    jurisdiction: str | None = None
    year: int | None = None

    def params(self) -> dict[str, str | int | None]:
        """The filters as the stores' query parameters."""
        return {
            "type": self.type,
            "level": self.level,
            "jurisdiction": self.jurisdiction,
            "year": self.year,
        }


@dataclass(frozen=True)
class SearchQuery:
    """A parsed query: its folded words and the symbol hints read from them."""

    words: tuple[str, ...]
    prefix_last: bool
    symbol_key: str | None = None
    symbol_prefix: str | None = None
    number: str | None = None
    type_code: str | None = None
    issuer: str | None = None
    year: int | None = None
    term: str | None = None

    @cached_property
    def tolerant(self) -> tuple[bool, ...]:
        """For each word, whether it may match with one typo."""
        return tuple(map(typo_tolerant, self.words))

    def quality(self, index: int, tokens: Collection[str]) -> float:
        """How well word ``index`` is found among ``tokens``: 1 exact, less as a prefix or with a typo, 0 not."""
        word = self.words[index]
        if word in tokens:
            return 1.0
        if self.prefix_last and index == len(self.words) - 1 and any(t.startswith(word) for t in tokens):
            return PREFIX_QUALITY
        if self.tolerant[index] and any(within_one_edit(word, t) for t in tokens):
            return TYPO_QUALITY
        return 0.0

    def token_quality(self, index: int, token: str) -> float:
        """How well word ``index`` matches one token (see :meth:`quality`)."""
        word = self.words[index]
        if word == token:
            return 1.0
        if self.prefix_last and index == len(self.words) - 1 and token.startswith(word):
            return PREFIX_QUALITY
        if self.tolerant[index] and within_one_edit(word, token):
            return TYPO_QUALITY
        return 0.0


@dataclass(frozen=True)
class TermMatch:
    """One required word of a full-text recall."""

    word: str
    prefix: bool = False
    typo: bool = False


@dataclass(frozen=True)
class SymbolRecall:
    """Documents one of whose spellings has this match key."""

    match_key: str


@dataclass(frozen=True)
class SymbolPrefixRecall:
    """Documents one of whose spellings has a match key starting with this prefix ("25-N" → 25-NQ/TW)."""

    prefix: str


@dataclass(frozen=True)
class NumberRecall:
    """Documents of a number and a type (folded name; ``None``: any type), central first, the most cited first."""

    type_name: str | None
    number: str

    @property
    def type_number(self) -> str | None:
        """The key the stores index a typed number by: "ket luan 1"."""
        return None if self.type_name is None else f"{self.type_name} {self.number}"


@dataclass(frozen=True)
class TextRecall:
    """Documents whose search text holds every term."""

    terms: tuple[TermMatch, ...] = field(default_factory=tuple)


Recall = SymbolRecall | SymbolPrefixRecall | NumberRecall | TextRecall


def words(text: str) -> list[str]:
    """The folded words of ``text``, numbers without leading zeros: "Số 04-NQ/TƯ" → so, 4, nq, tu."""
    return [strip_zeros(w) for w in TOKEN.findall(fold(text))]


def index_words(folded: str) -> list[str]:
    """The words a full-text index splits folded text into: runs of letters and digits, kept as they are."""
    return TOKEN.findall(folded)


def search_text(document: Document) -> str:
    """The folded words a document is found by, space-separated: what the full-text indexes hold.

    Symbol and spellings, the number without leading zeros, type, title, year and "khoa <term>".
    The SQLite migration computes the same words in SQL (view ``document_search_source``); any
    other writer of documents (bulk import) must store this text as the ``search_text`` property
    of a Neo4j ``Document`` node.
    """
    return " ".join(index_words(fold(f"{identity_text(document)} {heading_text(document)}")))


def identity_text(doc: Findable) -> str:
    """Symbol and spellings, the number without leading zeros, year and "khoa <term>"."""
    return " ".join(
        [
            doc.symbol,
            *doc.aliases,
            (doc.number or "").lstrip("0"),
            str(doc.year) if doc.year is not None else "",
            f"khoa {doc.term}" if doc.term else "",
        ]
    )


def heading_text(doc: Findable) -> str:
    return f"{doc.type or ''} {doc.title or ''}"


def parse_query(text: str) -> SearchQuery | None:
    """Read a query; ``None`` when it is too short to search (under two characters)."""
    raw = squash_spaces(nfc(text))
    if len(raw) < MIN_QUERY_LENGTH:
        return None
    tokens = _split_glued(words(_CENTRAL_SPELLING.sub("TW", raw)))
    tokens = [
        t for i, t in enumerate(tokens) if not (t == "so" and i + 1 < len(tokens) and _DIGITS.match(tokens[i + 1]))
    ]
    if not tokens:
        return None
    term, tokens = _read_term(tokens)
    type_code, issuer = _read_type(tokens)
    number, year = _read_numbers(tokens, type_code is not None)
    parsed = parse_symbol(raw)
    return SearchQuery(
        words=tuple(tokens),
        prefix_last=not text[-1:].isspace() and len(tokens[-1]) >= MIN_QUERY_LENGTH,
        symbol_key=symbol_match_key(raw) if parsed else None,
        symbol_prefix=symbol_match_key(raw) if _SYMBOL_LIKE.search(raw) else None,
        number=number,
        type_code=type_code,
        issuer=issuer if number else None,
        year=year,
        term=term,
    )


def recall_plan(query: SearchQuery, *, typos: bool) -> list[Recall]:
    """The candidate fetches for a query: exact first, or (``typos``) every word within one edit."""
    if typos:
        eligible = [i for i, w in enumerate(query.words) if typo_tolerant(w)][:MAX_TYPO_WORDS]
        return [TextRecall(tuple(TermMatch(w, _is_prefix(query, i), i in eligible) for i, w in enumerate(query.words)))]
    plan: list[Recall] = []
    if query.symbol_key:
        plan.append(SymbolRecall(query.symbol_key))
    if query.symbol_prefix:
        plan.append(SymbolPrefixRecall(query.symbol_prefix))
    if query.number and not query.type_code and not query.symbol_prefix:
        # A bare number ("25") names documents by their number, which the titles of the many that cite
        # one repeat: read by the text alone, those fill the cap before the document itself.
        plan.append(NumberRecall(None, query.number))
    if query.number and query.type_code:
        plan.append(NumberRecall(fold(TYPE_CODE_NAMES[query.type_code]), query.number))
        if set(query.words) != {query.number, fold(query.type_code)}:  # else the last recall is the same
            plan.append(TextRecall((TermMatch(query.number), TermMatch(fold(query.type_code)))))
    plan.append(TextRecall(tuple(TermMatch(w, _is_prefix(query, i)) for i, w in enumerate(query.words))))
    return plan


def settles(recall: Recall, found: int, cap: int) -> bool:
    """Whether a recall that found ``found`` documents makes the rest of its plan moot: an exact symbol,
    or a type and number, shared by a full candidate list of ``cap`` (a common "1/CT-UBND", "KH 1")
    outranks whatever else matches; the number recall reads its documents in rank order."""
    return isinstance(recall, SymbolRecall | NumberRecall) and found >= cap


def typo_tolerant(word: str) -> bool:
    """Whether a query word may match with one typo: letters only, long enough."""
    return len(word) >= TYPO_MIN_LENGTH and _LETTERS.match(word) is not None


def edit_variants(word: str) -> set[str]:
    """Every lowercase word one edit away from ``word`` (Damerau: a swap of neighbours is one edit), and it."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {word}
    out.update(a + b[1:] for a, b in splits if b)
    out.update(a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1)
    out.update(a + c + b[1:] for a, b in splits if b for c in _ALPHABET)
    out.update(a + c + b for a, b in splits for c in _ALPHABET)
    return out


def pick_expansions(word: str, found: Iterable[str]) -> list[str]:
    """The vocabulary words a typo-tolerant word expands to: itself if present, then the smallest others."""
    found = set(found)
    others = sorted(found - {word})
    head = [word] if word in found else []
    return head + others[: MAX_TYPO_EXPANSIONS - len(head)]


def within_one_edit(a: str, b: str) -> bool:
    """Whether two words differ by at most one insertion, deletion, substitution or swap of neighbours."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) < len(b):
        return a[i:] == b[i + 1 :]
    return a[i + 1 :] == b[i + 1 :] or (
        i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
    )


def type_filter(value: str) -> str:
    """The folded type name a ``type`` filter means: a code ("NQ") or a name ("Nghị quyết")."""
    return fold(TYPE_CODE_NAMES.get(canonical_code(value.strip()), value.strip()))


def strip_zeros(word: str) -> str:
    return (word.lstrip("0") or "0") if word.isdecimal() else word


def _is_prefix(query: SearchQuery, index: int) -> bool:
    return query.prefix_last and index == len(query.words) - 1


def _split_glued(tokens: list[str]) -> list[str]:
    out: list[str] = []
    for token in tokens:
        m = _GLUED.match(token)
        code = m and (m["code"] or m["code2"])
        if m and code in _TYPE_CODES:
            pieces = [code, m["number"]] if m["code"] else [m["number2"], code]
            out += [strip_zeros(p) for p in pieces]
        else:
            out.append(token)
    return out


def _read_term(tokens: list[str]) -> tuple[str | None, list[str]]:
    """A term ("khóa XII", "khoa 12") as upper-case roman numerals; arabic ones are rewritten roman."""
    for i, token in enumerate(tokens[:-1]):
        if token != "khoa":
            continue
        value = tokens[i + 1]
        if _DIGITS.match(value) and 0 < int(value) < 40:
            value = _roman(int(value))
        if value and _ROMAN.match(value):
            return value.upper(), [*tokens[: i + 1], value, *tokens[i + 2 :]]
    return None, tokens


def _read_type(tokens: list[str]) -> tuple[str | None, str | None]:
    """The type a query names, by code ("nq") or by name ("nghi quyet"), and an issuer code following a code."""
    for i, token in enumerate(tokens):
        if token in _TYPE_CODES:
            after = next((t for t in tokens[i + 1 :] if not _DIGITS.match(t)), None)
            return _TYPE_CODES[token], after if after in ISSUER_CODES else None
        for name, code in _TYPE_NAMES:
            if tuple(tokens[i : i + len(name)]) == name:
                return code, None
    return None, None


def _read_numbers(tokens: list[str], typed: bool) -> tuple[str | None, int | None]:
    """The document number and the year among the numbers of a query (a term's numeral excluded)."""
    numbers = [t for i, t in enumerate(tokens) if _DIGITS.match(t) and (i == 0 or tokens[i - 1] != "khoa")]
    years = [n for n in numbers if _YEAR.match(n)]
    plain = [n for n in numbers if not _YEAR.match(n)]
    # A lone year-shaped number after a type may be either ("Quyết định 2015"): read it as both.
    number = plain[0] if plain else (years[0] if typed and years else None)
    return number, int(years[0]) if years else None


def _roman(value: int) -> str:
    out = ""
    for digits, amount in _ROMAN_DIGITS:
        while value >= amount:
            out += digits
            value -= amount
    return out
