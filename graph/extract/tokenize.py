"""Tokenizing: every place the cleaned text mentions a document, before deciding which document it is."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter
from typing import Literal

from graph.extract.patterns import (
    ALIAS_DEFINITION,
    ANAPHORA_BLOCKERS,
    ANAPHORA_END,
    ANY_TYPE_WORD,
    LAW_TITLE,
    NAMED_REFERENCE,
    NAMED_REFERENCE_START,
    NUMBER_WORD_BEFORE,
    SHORT_NUMBER,
    SYMBOL,
    SYMBOL_INTRODUCER,
    THIS_DOCUMENT,
    TITLE_INTRODUCER,
    TITLE_LOOKBACK,
    TITLED_TYPES,
    UPPER,
    starts_word,
    type_name,
)
from graph.symbols import (
    TYPE_CODE_NAMES,
    SymbolParts,
    canonical_symbol,
    format_symbol,
    parse_compact_symbol,
    symbol_match_key,
)
from graph.text import fold, squash_spaces

MentionKind = Literal["symbol", "short", "this", "anaphora", "alias"]
_LOOKBACK = 48
_LAW_WORDS = frozenset({"Luật", "luật", "LUẬT", "Bộ luật", "bộ luật", "Pháp lệnh", "pháp lệnh"})
# What stands before an amended law's title inside an amending law's: "Luật Sửa đổi, bổ sung một số điều của ".
AMENDING_LAW_BEFORE = re.compile(
    r"(?i:sửa đổi,?\s+bổ sung)(?:\s+một số điều)?\s+của\s+\Z"
)  # an amended law's title follows


# Not frozen: one is built per mention, and a frozen dataclass is ten times slower to build.
@dataclass(slots=True)
class Mention:
    """One mention of a document.

    ``symbol``: "Kết luận số 43-KL/TW" (``start:end`` is the symbol itself); ``short``: "Kết luận 43";
    ``this``: "Kế hoạch này"; ``anaphora``: a bare lower-case "nghị quyết" pointing back; ``alias``: a use
    of a name defined by "(sau đây gọi là ...)", the ``alias_of``-th definition.
    ``phrase_start`` is where the whole phrase begins (its type word, or "số").
    """

    kind: MentionKind
    start: int
    end: int
    phrase_start: int
    type: str | None
    symbol: str | None = None
    key: str | None = None
    number: str | None = None
    alias_of: int | None = None
    parts: SymbolParts | None = None
    year: int | None = None


@dataclass(frozen=True)
class AliasDefinition:
    """ "(sau đây gọi là Nghị quyết)": later uses of ``alias`` mean the document named just before.

    A law's title ("Luật Thương mại" in "Luật Thương mại số 36/2005/QH11") names its document wherever it
    is used, before or after (``anywhere``).
    """

    alias: str
    start: int
    end: int
    anywhere: bool = False


@dataclass(frozen=True)
class NamedMention:
    """A document named without a symbol: "Hiến pháp năm 2013"."""

    name: str
    start: int
    end: int
    year: int | None
    type: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class Tokens:
    """All mentions, each list in text order."""

    mentions: tuple[Mention, ...]
    aliases: tuple[AliasDefinition, ...]
    named: tuple[NamedMention, ...]


def find_mentions(text: str) -> Tokens:
    """Find symbol, short, "… này" and anaphoric mentions, alias definitions and named references."""
    type_words = [m for m in ANY_TYPE_WORD.finditer(text) if starts_word(text, m.start())]
    word_ends = [m.end() for m in type_words]
    symbols = [
        _symbol_mention(text, m, type_words, word_ends) for m in SYMBOL.finditer(text) if starts_word(text, m.start())
    ]
    named = _named_mentions(text)
    taken = {m.phrase_start for m in symbols}
    words = [
        mention
        for m in type_words
        if m.start() not in taken and not _inside_named(m.start(), named)
        for mention in [_word_mention(text, m)]
        if mention is not None
    ]
    aliases = [AliasDefinition(squash_spaces(m["alias"]), m.start(), m.end()) for m in ALIAS_DEFINITION.finditer(text)]
    aliases.extend(_law_titles(text, symbols))
    aliases.sort(key=attrgetter("start"))
    found = [*symbols, *words]
    found.extend(_alias_uses(text, aliases, found))
    # A law named by the title a numbered law carries in this text is that law, not one named by title only.
    titled = {fold(a.alias) for a in aliases if a.anywhere}
    named = [n for n in named if n.title is None or fold(n.title) not in titled]
    return Tokens(tuple(sorted(found, key=attrgetter("start"))), tuple(aliases), tuple(named))


def _symbol_mention(text: str, m: re.Match[str], type_words: list[re.Match[str]], word_ends: list[int]) -> Mention:
    """The mention of the symbol ``m``, with the type word that introduces it: "Kết luận số 43-KL/TW"."""
    start = m.start()
    phrase_start = start
    word: str | None = None
    k = bisect_right(word_ends, start) - 1
    # "... quy phạm pháp luật số 64/2025/QH15": the lower-case "luật" is the title's; its type word comes before.
    if (
        k >= 1
        and type_words[k].group() in _LAW_WORDS
        and type_words[k].group()[0].islower()
        and _titled(text, type_words[k - 1], start)
    ):
        k -= 1
    # "Luật Sửa đổi, bổ sung một số điều của Luật X số 87/...": the amending law's own type word comes first.
    while (
        k >= 1
        and type_words[k].group() in _LAW_WORDS
        and AMENDING_LAW_BEFORE.search(text, type_words[k - 1].end(), type_words[k].start())
    ):
        if not _titled(text, type_words[k - 1], start):
            break
        k -= 1
    if (k >= 0 and start - word_ends[k] <= _LOOKBACK and SYMBOL_INTRODUCER.fullmatch(text, word_ends[k], start)) or (
        k >= 0 and _titled(text, type_words[k], start)
    ):
        phrase_start, word = type_words[k].start(), type_name(type_words[k].group())
    elif number_word := NUMBER_WORD_BEFORE.search(text, max(0, start - 8), start):
        phrase_start = number_word.start()
    parts, symbol, key = _symbol_forms(m.group())
    return Mention(
        kind="symbol",
        start=start,
        end=m.end(),
        phrase_start=phrase_start,
        type=word,
        symbol=symbol,
        key=key,
        number=parts.number if parts else None,
        parts=parts,
    )


def _titled(text: str, word: re.Match[str], start: int) -> bool:
    """Whether a law's title stands between its type word and its number: "Luật Thương mại số 36/2005/QH11"."""
    return (
        start - word.end() <= TITLE_LOOKBACK
        and word.group()[0].isupper()
        and type_name(word.group()) in TITLED_TYPES
        and TITLE_INTRODUCER.fullmatch(text, word.end(), start) is not None
    )


@lru_cache(maxsize=16384)
def _symbol_forms(written: str) -> tuple[SymbolParts | None, str, str]:
    """Parsed parts, canonical symbol and match key of a :data:`SYMBOL` match (texts repeat the same few).

    Such a match is compact already: its characters are letters, digits and "-/.&" of the cleaned NFC text.
    """
    parts = parse_compact_symbol(written)
    if parts is None:
        return None, canonical_symbol(written), symbol_match_key(written)
    return parts, format_symbol(parts), parts.match_key


def _word_mention(text: str, m: re.Match[str]) -> Mention | None:
    word = m.group()
    if (short := SHORT_NUMBER.match(text, m.end())) and word[0].isupper():
        year = int(short["year"]) if short["year"] else None
        # "Thông báo Kết luận số 159-TB của Bộ Chính trị": a Party number without its issuer code; the code's type.
        doc_type = TYPE_CODE_NAMES.get(short["code"].upper(), type_name(word)) if short["code"] else type_name(word)
        return Mention("short", m.start(), short.end(), m.start(), doc_type, number=short["number"], year=year)
    if this := THIS_DOCUMENT.match(text, m.end()):
        return Mention("this", m.start(), this.end(), m.start(), type_name(word))
    if word[0].islower() and ANAPHORA_END.match(text, m.end()) and not _blocked(text, m.start()):
        return Mention("anaphora", m.start(), m.end(), m.start(), type_name(word))
    return None


def _alias_uses(text: str, aliases: list[AliasDefinition], found: list[Mention]) -> list[Mention]:
    """Uses of defined names after their definition, where no other mention already stands."""
    if not aliases:
        return []
    taken = sorted((m.phrase_start, m.end) for m in found)
    uses: list[Mention] = []
    for index, definition in enumerate(aliases):
        pattern = re.compile(rf"(?<!\w){re.escape(definition.alias)}(?!\w)(?!\s+(?:này|số|\d|[{UPPER}]))")
        for m in pattern.finditer(text, 0 if definition.anywhere else definition.end):
            i = bisect_right(taken, (m.start(), len(text))) - 1
            if i >= 0 and m.start() < taken[i][1]:
                continue
            word = ANY_TYPE_WORD.match(definition.alias)
            uses.append(
                Mention(
                    "alias", m.start(), m.end(), m.start(), type_name(word.group()) if word else None, alias_of=index
                )
            )
    return uses


def _law_titles(text: str, symbols: list[Mention]) -> list[AliasDefinition]:
    """The titles of laws and ordinances cited with their number, as names of those documents."""
    titles: list[AliasDefinition] = []
    for mention in symbols:
        if mention.type not in TITLED_TYPES:
            continue
        if AMENDING_LAW_BEFORE.search(text, max(0, mention.phrase_start - 60), mention.phrase_start):
            # "Luật Sửa đổi, bổ sung một số điều của Luật X số 87/...": "Luật X" names the amended law.
            continue
        if title := LAW_TITLE.fullmatch(text, mention.phrase_start, mention.start):
            titles.append(AliasDefinition(squash_spaces(title["title"]), mention.end, mention.end, anywhere=True))
    return titles


def _blocked(text: str, start: int) -> bool:
    """Whether the word before makes a bare type word generic: "các nghị quyết", "dự thảo kế hoạch"."""
    before = text[max(0, start - 12) : start].rstrip().lower()
    return any(
        before.endswith(blocker) and (len(before) == len(blocker) or not before[-len(blocker) - 1].isalnum())
        for blocker in ANAPHORA_BLOCKERS
    )


def _named_mentions(text: str) -> list[NamedMention]:
    named: list[NamedMention] = []
    end = 0
    for start in NAMED_REFERENCE_START.finditer(text):
        if start.start() < end or not starts_word(text, start.start()):
            continue
        if m := NAMED_REFERENCE.match(text, start.start()):
            year = m["constitution_year"] or m["law_year"]
            title = squash_spaces(next(m[g] for g in _NAMED_TITLE_GROUPS if m[g]))
            named.append(
                NamedMention(
                    squash_spaces(m.group()),
                    m.start(),
                    m.end(),
                    int(year) if year else None,
                    _named_type(title),
                    title,
                )
            )
            end = m.end()
    return named


_NAMED_TITLE_GROUPS = ("law", "constitution", "charter", "congress", "plenum")
_NAMED_TYPES = ("Bộ luật", "Luật", "Pháp lệnh", "Hiến pháp", "Điều lệ", "Nghị quyết")


def _named_type(title: str) -> str | None:
    return next((t for t in _NAMED_TYPES if title.startswith(t)), None)


def _inside_named(position: int, named: list[NamedMention]) -> bool:
    i = bisect_right(named, position, key=lambda n: n.start) - 1
    return i >= 0 and position < named[i].end
