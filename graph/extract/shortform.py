"""Short forms completed into symbols: "Nghị quyết số 57 của Bộ Chính trị" → 57-NQ/TW.

A short mention that no symbol in the text spells out is completed from the registry (type and number,
narrowed by the year, term and issuer its context gives), else by the rules every central series follows:
a central Party body's documents are "N-CODE/TW", a Government decree with its year "N/YYYY/NĐ-CP".
A Central Committee conference's resolution ("Nghị quyết Trung ương 4 khóa XII") is completed from the
registry alone. Each completion is reported as an anomaly, since the text never wrote that symbol.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from graph.extract.context import Context
from graph.extract.models import Anomaly, NamedReference, Resolution, ResolutionStatus
from graph.extract.registry import Entry, Registry, issuer_keys
from graph.extract.tokenize import Mention, NamedMention
from graph.symbols import TYPE_CODE_NAMES, parse_compact_symbol, symbol_match_key

# Party type codes of the central series, by type name.
PARTY_CODES = {
    "Nghị quyết": "NQ",
    "Chỉ thị": "CT",
    "Kết luận": "KL",
    "Quyết định": "QĐ",
    "Quy định": "QĐ",
    "Hướng dẫn": "HD",
    "Thông báo": "TB",
    "Quy chế": "QC",
}
_CENTRAL_PARTY = frozenset({"bo-chinh-tri", "ban-bi-thu", "bch-tw"})
_PLENUM = re.compile(r"Trung ương(?:\s+Đảng)?\s+(?:lần thứ\s+)?(?P<number>\d{1,2})(?!\w)|lần thứ\s+(?P<nth>\d{1,2})")
_TERM = re.compile(r"kh(?:óa|oá)\s+(?P<term>[IVXLC]{1,7})(?!\w)", re.IGNORECASE)
_YEAR_AFTER = re.compile(r"\s*,?\s*(?:ban hành\s+)?năm\s+(?P<year>(?:19|20)\d\d)(?!\d)")


@dataclass(frozen=True)
class Completed:
    """Mentions with short forms completed, the named mentions left, and what was completed."""

    mentions: tuple[Mention, ...]
    named: tuple[NamedMention, ...]
    anomalies: tuple[Anomaly, ...]


def complete_short_forms(
    text: str, mentions: tuple[Mention, ...], contexts: tuple[Context, ...], registry: Registry
) -> tuple[tuple[Mention, ...], tuple[Anomaly, ...]]:
    """Short mentions no written symbol matches, completed where the registry or a series rule allows."""
    written = {(m.type, (m.number or "").lstrip("0")) for m in mentions if m.kind == "symbol"}
    written |= {(_code_type(m), (m.number or "").lstrip("0")) for m in mentions if m.kind == "symbol"}
    result = list(mentions)
    anomalies: list[Anomaly] = []
    for i, mention in enumerate(mentions):
        if mention.kind != "short" or mention.type is None or mention.number is None:
            continue
        if (mention.type, mention.number.lstrip("0")) in written:
            continue
        symbol, candidates = _completion(text, mention, contexts[i], registry)
        if symbol is None:
            if len(candidates) > 1:
                message = f"{text[mention.start : mention.end]} may be any of: {', '.join(candidates)}"
                anomalies.append(Anomaly("ambiguous_short_form", message, candidates))
            continue
        result[i] = _as_symbol(mention, symbol)
        anomalies.append(Anomaly("short_form", f"{text[mention.start : mention.end]} read as {symbol}", (symbol,)))
    return tuple(result), tuple(anomalies)


def complete_plenums(named: tuple[NamedMention, ...], registry: Registry) -> Completed:
    """Central Committee conference resolutions the registry knows, as symbol mentions."""
    mentions: list[Mention] = []
    kept: list[NamedMention] = []
    anomalies: list[Anomaly] = []
    for mention in named:
        plenum, term = _PLENUM.search(mention.name), _TERM.search(mention.name)
        found: tuple[Entry, ...] = ()
        if mention.type == "Nghị quyết" and plenum and term and "Đại hội" not in mention.name:
            found = registry.plenary(int(plenum["number"] or plenum["nth"]), term["term"].upper())
        if len(found) != 1 or found[0].symbol is None:
            kept.append(mention)
            continue
        symbol = found[0].symbol
        parts = parse_compact_symbol(symbol)
        mentions.append(
            Mention(
                "symbol", mention.start, mention.end, mention.start, "Nghị quyết",
                symbol=symbol, key=symbol_match_key(symbol), number=parts.number if parts else None, parts=parts,
            )
        )  # fmt: skip
        anomalies.append(Anomaly("short_form", f"{mention.name} read as {symbol}", (symbol,)))
    return Completed(tuple(mentions), tuple(kept), tuple(anomalies))


def _completion(
    text: str, mention: Mention, context: Context, registry: Registry
) -> tuple[str | None, tuple[str, ...]]:
    """The symbol a short mention completes to, or none and the registry's candidates."""
    assert mention.type is not None and mention.number is not None
    year = mention.year or (context.date.year if context.date else None)
    if year is None and (after := _YEAR_AFTER.match(text, mention.end)):
        year = int(after["year"])
    found = registry.numbered(mention.type, mention.number, year=year, term=context.term, issuer=context.issuer)
    if len(found) == 1 and found[0].symbol:
        return found[0].symbol, ()
    if found:
        return None, tuple(f"{e.symbol} ({e.year})" for e in found if e.symbol)
    code = PARTY_CODES.get(mention.type)
    if code and issuer_keys(context.issuer) & _CENTRAL_PARTY and mention.year is None:
        return f"{mention.number}-{code}/TW", ()
    if mention.type == "Nghị định" and mention.year is not None:
        return f"{mention.number}/{mention.year}/NĐ-CP", ()
    return None, ()


def _code_type(mention: Mention) -> str | None:
    return TYPE_CODE_NAMES.get(mention.parts.type_code) if mention.parts and mention.parts.type_code else None


def _as_symbol(mention: Mention, symbol: str) -> Mention:
    parts = parse_compact_symbol(symbol)
    return replace(mention, kind="symbol", symbol=symbol, key=symbol_match_key(symbol), parts=parts)


def with_registry(named: tuple[NamedReference, ...], registry: Registry) -> tuple[NamedReference, ...]:
    """Title references the registry knows, marked with its symbols (one: resolved; several: the candidates)."""
    result: list[NamedReference] = []
    for reference in named:
        found: tuple[Entry, ...] = ()
        if reference.resolution.status == "unknown" and reference.title:
            found = registry.titled(reference.type, reference.title, reference.year)
            if not found and (plenum := _PLENUM.search(reference.name)) and (term := _TERM.search(reference.name)):
                found = registry.plenary(int(plenum["number"] or plenum["nth"]), term["term"].upper())
        symbols = tuple(e.symbol or f"{e.title} ({e.year})" for e in found)
        if symbols:
            status: ResolutionStatus = "resolved" if len(symbols) == 1 else "ambiguous"
            reference = replace(
                reference, resolution=Resolution(status, symbols[0] if status == "resolved" else None, symbols)
            )
        result.append(reference)
    return tuple(result)
