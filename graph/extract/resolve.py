"""Resolving: which document each mention denotes, the references with their anomalies, and their graph keys.

Mentions of one symbol (any spelling with the same :func:`symbol_match_key`) are one reference; two
spellings that differ only by a commonly confused type code (124-QĐ/TW and 124-QĐi/TW) and agree on
date or issuer are one reference too, reported as ``alias_spelling``. Any other difference in type code
is a different document (43-NQ/TW is not 43-KL/TW).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from graph.extract.context import Context
from graph.extract.models import UNKNOWN, Anomaly, DocumentLookup, NamedReference, Reference, Resolution
from graph.extract.patterns import LOCAL_BODY
from graph.extract.tokenize import AliasDefinition, Mention, NamedMention
from graph.identity import default_level
from graph.models import Document
from graph.symbols import parse_symbol
from graph.text import fold, slugify

OWN = -1
"""The target of a mention of the text's own document."""

Target = int | None
"""A reference index, :data:`OWN`, or ``None`` for a mention that denotes nothing found."""

# Type codes that texts confuse with each other for one document.
CONFUSABLE_TYPE_CODES: tuple[frozenset[str], ...] = (frozenset({"QĐ", "QĐi"}),)
_CONFUSABLE_CODES = frozenset().union(*CONFUSABLE_TYPE_CODES)


@dataclass
class _Group:
    """The mentions of one reference while references are being built."""

    mentions: list[int]
    keys: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Resolved:
    """References, which mention denotes what, and what was odd."""

    references: tuple[Reference, ...]
    targets: tuple[Target, ...]
    anomalies: tuple[Anomaly, ...]


def resolve(
    text: str,
    mentions: tuple[Mention, ...],
    contexts: tuple[Context, ...],
    aliases: tuple[AliasDefinition, ...],
    own_mention: int | None,
    own_type: str | None,
    jurisdiction: str | None,
    lookup: DocumentLookup | None,
) -> Resolved:
    """Group symbol mentions into references, point the other mentions at them, and resolve them in the graph."""
    own_keys = _own_keys(mentions, own_mention)
    groups = _merge_confusable(_group_symbols(mentions, own_keys), mentions, contexts)
    targets: list[Target] = [None] * len(mentions)
    for index, group in enumerate(groups):
        for i in group.mentions:
            targets[i] = index
    for i, mention in enumerate(mentions):
        if mention.kind == "symbol" and mention.key in own_keys:
            targets[i] = OWN
    own = mentions[own_mention] if own_mention is not None else None
    _point_back(text, mentions, groups, targets, aliases, own, own_type)
    references: list[Reference] = []
    anomalies: list[Anomaly] = []
    denoting: list[list[int]] = [[] for _ in groups]
    for i, target in enumerate(targets):
        if target is not None and target != OWN:
            denoting[target].append(i)
    for index, group in enumerate(groups):
        reference, found = _reference(mentions, contexts, group, denoting[index])
        reference, ambiguous = resolve_in_graph(reference, jurisdiction, lookup)
        references.append(reference)
        anomalies.extend([*found, *ambiguous])
    return Resolved(tuple(references), tuple(targets), tuple(anomalies))


def resolve_in_graph(
    reference: Reference, jurisdiction: str | None, lookup: DocumentLookup | None
) -> tuple[Reference, tuple[Anomaly, ...]]:
    """A reference resolved against stored documents, and the anomaly when it matches several."""
    reference = _with_resolution(reference, jurisdiction, lookup)
    if reference.resolution.status != "ambiguous":
        return reference, ()
    anomaly = Anomaly(
        "ambiguous",
        f"{reference.symbol} matches several stored documents: {', '.join(reference.resolution.candidates)}",
        (reference.symbol,),
    )
    return _add_anomaly(reference, "ambiguous"), (anomaly,)


def resolve_named(named: tuple[NamedMention, ...], named_lookup: DocumentLookup | None) -> tuple[NamedReference, ...]:
    """One named reference per distinct title and year, resolved by ``named_lookup`` (narrowed by the year).

    A title written once without its year ("Luật Ban hành văn bản quy phạm pháp luật") is the one written
    with a year elsewhere in the text, when there is exactly one such.
    """
    by_title: dict[tuple[str, int | None], list[NamedMention]] = {}
    for mention in named:
        by_title.setdefault((fold(mention.title or mention.name), mention.year), []).append(mention)
    years: dict[str, list[int]] = {}
    for title, year in by_title:
        if year is not None:
            years.setdefault(title, []).append(year)
    for title, year in list(by_title):
        if year is None and len(years.get(title, [])) == 1:
            by_title[(title, years[title][0])].extend(by_title.pop((title, None)))
    result: list[NamedReference] = []
    for (_, year), group in by_title.items():
        first = min(group, key=lambda m: m.start)
        candidates = list(named_lookup(first.name)) if named_lookup else []
        if year is not None:
            candidates = [d for d in candidates if d.year in (year, None)]
        spans = tuple(sorted((m.start, m.end) for m in group))
        result.append(NamedReference(first.name, spans, _resolution(candidates), first.type, first.title, year))
    return tuple(sorted(result, key=lambda r: r.spans[0]))


def _own_keys(mentions: tuple[Mention, ...], own_mention: int | None) -> frozenset[str | None]:
    """The own symbol's key, and those of its spellings with or without the year ("1961/2019/QĐ-UBND")."""
    if own_mention is None:
        return frozenset()
    own = mentions[own_mention].parts
    same = (own.number, own.type_code, own.issuer) if own else None
    return frozenset(
        {mentions[own_mention].key}
        | {m.key for m in mentions if m.parts and (m.parts.number, m.parts.type_code, m.parts.issuer) == same}
    )


def _group_symbols(mentions: tuple[Mention, ...], own_keys: frozenset[str | None]) -> list[_Group]:
    by_key: dict[str, _Group] = {}
    for i, mention in enumerate(mentions):
        if mention.kind != "symbol" or mention.key is None or mention.key in own_keys:
            continue
        if group := by_key.get(mention.key):
            group.mentions.append(i)
        else:
            by_key[mention.key] = _Group([i], {mention.key})
    return list(by_key.values())


def _merge_confusable(
    groups: list[_Group], mentions: tuple[Mention, ...], contexts: tuple[Context, ...]
) -> list[_Group]:
    merged: list[_Group] = []
    by_series: dict[tuple[str, str, str, int | None], list[_Group]] = {}
    for group in groups:
        parts = mentions[group.mentions[0]].parts
        if parts is None or parts.type_code not in _CONFUSABLE_CODES:
            merged.append(group)
            continue
        series = by_series.setdefault((parts.number.lstrip("0"), parts.issuer, parts.form, parts.year), [])
        partner = next((g for g in series if _same_document(g, group, mentions, contexts)), None)
        if partner is None:
            series.append(group)
            merged.append(group)
        else:
            partner.mentions = sorted(partner.mentions + group.mentions)
            partner.keys |= group.keys
    return merged


def _same_document(a: _Group, b: _Group, mentions: tuple[Mention, ...], contexts: tuple[Context, ...]) -> bool:
    """Two symbols of one series whose type codes are confused, agreeing on date or issuer."""
    pa, pb = mentions[a.mentions[0]].parts, mentions[b.mentions[0]].parts
    if pa is None or pb is None or frozenset({pa.type_code, pb.type_code}) not in CONFUSABLE_TYPE_CODES:
        return False
    dates_a, dates_b = _values(a, contexts, "date"), _values(b, contexts, "date")
    issuers_a = {fold(str(i)) for i in _values(a, contexts, "issuer")}
    issuers_b = {fold(str(i)) for i in _values(b, contexts, "issuer")}
    return bool(dates_a & dates_b) or bool(issuers_a & issuers_b)


def _values(group: _Group, contexts: tuple[Context, ...], name: str) -> set[object]:
    return {value for i in group.mentions if (value := getattr(contexts[i], name)) is not None}


def _point_back(
    text: str,
    mentions: tuple[Mention, ...],
    groups: list[_Group],
    targets: list[Target],
    aliases: tuple[AliasDefinition, ...],
    own: Mention | None,
    own_type: str | None,
) -> None:
    """Short, "… này", anaphoric and alias mentions denote the document they point back to."""
    types = _GroupTypes(mentions, groups)
    numbers: list[set[str]] = []  # each group's numbers, once a short mention needs them
    own_types = _mention_types((own,)) if own else set()
    for i, mention in enumerate(mentions):
        if mention.kind == "short":
            numbers = numbers or [{_number(mentions[i]) for i in group.mentions} for group in groups]
            matching = [g for g in range(len(groups)) if mention.type in types[g] and _number(mention) in numbers[g]]
            earlier = [g for g in matching if groups[g].mentions[0] < i]
            if own is not None and mention.type in own_types and _number(mention) == _number(own):
                targets[i] = OWN
            elif earlier:
                targets[i] = max(earlier, key=lambda g: max(j for j in groups[g].mentions if j < i))
            elif len(matching) == 1:
                targets[i] = matching[0]
        elif mention.kind == "this" and (own is not None or own_type is not None) and mention.type == own_type:
            targets[i] = OWN
        elif mention.kind in ("this", "anaphora"):
            targets[i] = _antecedent(text, mentions, targets, types, i, mention.type)
        elif mention.kind == "alias" and mention.alias_of is not None:
            definition = aliases[mention.alias_of]
            defined = [
                j for j in range(len(mentions)) if mentions[j].end <= definition.start and targets[j] is not None
            ]
            targets[i] = targets[defined[-1]] if defined else None


class _GroupTypes(dict[int, set[str]]):
    """The types the mentions of each group give its document, worked out for the groups asked about."""

    def __init__(self, mentions: tuple[Mention, ...], groups: list[_Group]) -> None:
        super().__init__()
        self.mentions, self.groups = mentions, groups

    def __missing__(self, group: int) -> set[str]:
        found = self[group] = _mention_types(self.mentions[i] for i in self.groups[group].mentions)
        return found


def _mention_types(mentions: Iterable[Mention]) -> set[str]:
    """The types mentions give their document: their type words' and their symbols' type codes'."""
    found: set[str] = set()
    for mention in mentions:
        if mention.type:
            found.add(mention.type)
        parts = mention.parts
        if parts and parts.type_name:
            found.add(parts.type_name)
    return found


def _number(mention: Mention) -> str:
    return (mention.number or "").lstrip("0")


def _antecedent(
    text: str, mentions: tuple[Mention, ...], targets: list[Target], types: _GroupTypes, i: int, doc_type: str | None
) -> Target:
    """The nearest earlier document of this type named in the same paragraph."""
    for j in range(i - 1, -1, -1):
        if "\n" in text[mentions[j].end : mentions[i].start]:
            return None
        target = targets[j]
        if target is not None and target != OWN and doc_type in types[target]:
            return target
    return None


def _reference(
    mentions: tuple[Mention, ...], contexts: tuple[Context, ...], group: _Group, denoting: list[int]
) -> tuple[Reference, list[Anomaly]]:
    """The reference of a group of symbol mentions (in text order); ``denoting`` are all its mentions."""
    first = mentions[group.mentions[0]]
    spellings: dict[str, None] = {}
    dated: dict[dt.date, None] = {}
    issuers: list[str] = []
    type_word: str | None = None
    term: str | None = None
    title: str | None = None
    for i in group.mentions:
        mention, context = mentions[i], contexts[i]
        spellings[mention.symbol or ""] = None
        if type_word is None and mention.type:
            type_word = mention.type
        if context.date is not None:
            dated[context.date] = None
        if context.issuer:
            issuers.append(context.issuer)
        if term is None and context.term:
            term = context.term
        if title is None and context.subject:
            title = context.subject
    symbol, *others = spellings
    aliases, dates = tuple(others), list(dated)
    spans = tuple([(mentions[i].start, mentions[i].end) for i in denoting])
    anomalies = _anomalies(mentions, group, symbol, aliases, dates, issuers)
    reference = Reference(
        symbol=symbol,
        aliases=aliases,
        type=type_word or (first.parts.type_name if first.parts else None),
        number=first.number,
        date=dates[0] if dates else None,
        issuer=issuers[0] if issuers else None,
        term=term,
        title=title,
        spans=spans,
        anomalies=tuple(dict.fromkeys(a.kind for a in anomalies)) if anomalies else (),
        resolution=UNKNOWN,
    )
    return reference, anomalies


def _anomalies(
    mentions: tuple[Mention, ...],
    group: _Group,
    symbol: str,
    aliases: tuple[str, ...],
    dates: list[dt.date],
    issuers: list[str],
) -> list[Anomaly]:
    found: list[Anomaly] = []
    codes = {p.type_code for i in group.mentions if (p := mentions[i].parts) and p.type_code} if aliases else set()
    if len(codes) > 1:
        found.append(
            Anomaly("alias_spelling", f"one document written {' and '.join((symbol, *aliases))}", (symbol, *aliases))
        )
    if len(dates) > 1:
        listed = ", ".join(d.isoformat() for d in dates)
        found.append(Anomaly("conflicting_dates", f"{symbol} is dated {listed}", (symbol,)))
    for i in group.mentions:
        parts, word = mentions[i].parts, mentions[i].type
        code_name = parts.type_name if parts else None
        if word and code_name and word != code_name:
            written = mentions[i].symbol or symbol
            found.append(
                Anomaly(
                    "type_mismatch",
                    f"'{word} {written}': the code {parts.type_code if parts else ''} means {code_name}",
                    (symbol,),
                )
            )
            break
    parts = mentions[group.mentions[0]].parts
    if parts and parts.is_central_party and (local_issuer := next(filter(_is_local_body, issuers), None)):
        found.append(
            Anomaly(
                "provincial_tw_suffix",
                f"{symbol} has the central suffix /TW but is issued by {local_issuer}",
                (symbol,),
            )
        )
    return found


@lru_cache(maxsize=1024)
def _is_local_body(issuer: str) -> bool:
    """Whether an issuer phrase names a provincial or lower body: "Ban Thường vụ Tỉnh ủy", "UBND huyện"."""
    return LOCAL_BODY.search(fold(issuer)) is not None


def _add_anomaly(reference: Reference, kind: str) -> Reference:
    return replace(reference, anomalies=(*reference.anomalies, kind))


def _with_resolution(reference: Reference, jurisdiction: str | None, lookup: DocumentLookup | None) -> Reference:
    if lookup is None:
        return reference
    found: dict[str, Document] = {}
    for spelling in (reference.symbol, *reference.aliases):
        for document in lookup(spelling):
            found.setdefault(document.key, document)
    candidates = list(found.values())
    year = reference.date.year if reference.date else _symbol_year(reference.symbol)
    if year is not None:
        same_year = [d for d in candidates if d.year == year]
        candidates = same_year or [d for d in candidates if d.year is None]
    if jurisdiction and _is_local(reference):
        wanted = slugify(jurisdiction)
        candidates = [d for d in candidates if d.jurisdiction and slugify(d.jurisdiction) == wanted]
    return replace(reference, resolution=_resolution(candidates))


def _resolution(candidates: Sequence[Document]) -> Resolution:
    if not candidates:
        return UNKNOWN
    if len(candidates) == 1:
        return Resolution("resolved", candidates[0].key, (candidates[0].key,))
    return Resolution("ambiguous", None, tuple(d.key for d in candidates))


def _symbol_year(symbol: str) -> int | None:
    parts = parse_symbol(symbol)
    return parts.year if parts else None


def _is_local(reference: Reference) -> bool:
    """Whether the reference belongs to a series every province numbers on its own (/TU, /UBND, a Sở's)."""
    if "provincial_tw_suffix" in reference.anomalies:
        return True
    level = default_level(reference.symbol)
    if level is not None and level.is_local:
        return True
    parts = parse_symbol(reference.symbol)
    # A provincial department's code starts with "S" for Sở: 2231/SNV-CCHC&PC.
    return bool(parts and parts.form == "state" and parts.issuer[:1] == "S" and parts.issuer[1:2].isupper())
