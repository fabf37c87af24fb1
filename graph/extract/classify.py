"""Classifying: the link each mention makes, from the wording that governs it and for the right subject.

A mention inside another document's statement ("Kết luận số 43-KL/TW ... về tiếp tục thực hiện Nghị quyết
số 25-NQ/TW") is the object of *that* document; any other mention is the object of the text's own
document. The relation comes from the wording directly before the mention ("tiếp tục thực hiện" →
continues, "căn cứ" → based_on, ...), from the previous item of a plain list, or is ``cites``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from graph.extract.context import (
    CUE_WINDOW,
    LEAD_CUE,
    MAX_SUBJECT,
    Context,
    basis_clause,
    clause_start,
    governs,
)
from graph.extract.models import ExtractedLink, Reference
from graph.extract.patterns import (
    ANY_TYPE_WORD,
    COORDINATION,
    LIST_HEADING,
    LIST_ITEM,
    MAX_LIST_ITEMS,
    OPENING_CUE,
    PROVISION_PREFIX,
    SENTENCE_BREAK,
)
from graph.extract.resolve import OWN, Target
from graph.extract.tokenize import Mention
from graph.models import Relation
from graph.text import squash_spaces

CUE_CONFIDENCE = 0.9
LISTED_CONFIDENCE = 0.75
# An item of a "Căn cứ" clause: as reliable on real pages as wording right before it (calibrated on real pages).
BASIS_CONFIDENCE = 0.85
CITES_CONFIDENCE = 0.6
INDIRECT_MENTION_FACTOR = 0.9
MAX_EVIDENCE = 200
_LIST_REACH = 6
_LISTING_RELATIONS = frozenset({Relation.amends, Relation.replaces, Relation.repeals, Relation.based_on})
_ITEM_SEPARATOR = re.compile(r"[^;.:!?\n]{0,200};\s*(?:(?:và|hoặc)\s+)?")  # the rest of an item's description too
# Among relations stated equally often, the more specific wins.
_PRIORITY = (
    Relation.repeals,
    Relation.replaces,
    Relation.amends,
    Relation.guides,
    Relation.based_on,
    Relation.implements,
    Relation.continues,
    Relation.cites,
)
_RANK = {relation: rank for rank, relation in enumerate(_PRIORITY)}


# Not frozen: one is built per mention, and a frozen dataclass is ten times slower to build.
@dataclass(slots=True)
class _Statement:
    """What one mention says: its source (a target) and relation, with evidence."""

    source: Target
    target: int
    relation: Relation
    confidence: float
    span: tuple[int, int]
    listed: bool


def classify(
    text: str,
    mentions: tuple[Mention, ...],
    contexts: tuple[Context, ...],
    targets: tuple[Target, ...],
    references: tuple[Reference, ...],
    own_symbol: str | None,
    has_own: bool,
) -> tuple[ExtractedLink, ...]:
    """One link from the own document to each reference it mentions itself, and one per pair of references
    where one's statement names the other; each with its strongest relation."""
    statements = sorted((c.statement[0], c.statement[1], i) for i, c in enumerate(contexts) if c.statement)
    statement_starts = [s[0] for s in statements]
    said: list[_Statement | None] = [None] * len(mentions)
    for i, mention in enumerate(mentions):
        target = targets[i]
        if target is None or target == OWN:
            continue
        governor = _governor(statements, statement_starts, mention.phrase_start, i)
        source: Target = targets[governor] if governor is not None else OWN
        if source is None or source == target:
            continue
        statement = contexts[governor].statement if governor is not None else None
        start = statement[0] if statement else clause_start(text, mention.phrase_start)
        said[i] = _statement(text, mentions, contexts, said, i, source, target, start, governor)
    by_pair: dict[tuple[Target, int], list[_Statement]] = {}
    for stated in said:
        if stated is not None and (stated.source != OWN or has_own):
            by_pair.setdefault((stated.source, stated.target), []).append(stated)
    main = [(pair, found) for pair, found in by_pair.items() if pair[0] == OWN]
    between = [(pair, found) for pair, found in by_pair.items() if pair[0] != OWN]
    main.sort(key=lambda item: item[0][1])
    return tuple(
        _link(text, references, own_symbol, source, target, found) for (source, target), found in [*main, *between]
    )


def _governor(statements: list[tuple[int, int, int]], starts: list[int], position: int, i: int) -> int | None:
    """The mention whose statement most closely encloses ``position``."""
    k = bisect_left(starts, position) - 1
    while k >= 0 and starts[k] >= position - MAX_SUBJECT:
        start, end, owner = statements[k]
        if start <= position < end and owner != i:
            return owner
        k -= 1
    return None


def _statement(
    text: str,
    mentions: tuple[Mention, ...],
    contexts: tuple[Context, ...],
    said: list[_Statement | None],
    i: int,
    source: Target,
    target: int,
    start: int,
    governor: int | None,
) -> _Statement:
    mention = mentions[i]
    factor = 1.0 if mention.kind == "symbol" else INDIRECT_MENTION_FACTOR
    evidence_start = mentions[governor].phrase_start if governor is not None else None
    if cue := governs(text, start, mention.phrase_start):
        relation = cue_relation(cue)
        return _Statement(
            source, target, relation, CUE_CONFIDENCE * factor, (evidence_start or cue.start(), mention.end), False
        )
    # The previous item of the same statement: inside another document's statement, documents that the
    # previous item's own subject names may stand between ("sửa đổi A quy định ... Luật X và B").
    j = i - 1
    while source != OWN and i - j < _LIST_REACH and j > 0 and getattr(said[j], "source", None) != source:
        j -= 1
    previous = said[j] if j >= 0 else None
    # An amending, replacing, repealing or basis list runs over ';' and over each item's own description.
    listing = previous is not None and previous.relation in _LISTING_RELATIONS
    if (
        previous is not None
        and previous.source == source
        and (contexts[j].subject is None or source != OWN or listing)
        and (
            COORDINATION.fullmatch(text, contexts[j].end, mention.phrase_start)
            or (listing and _ITEM_SEPARATOR.fullmatch(text, contexts[j].end, mention.phrase_start))
        )
    ):
        confidence = LISTED_CONFIDENCE if previous.relation != Relation.cites else CITES_CONFIDENCE
        span_start = evidence_start if evidence_start is not None else previous.span[0]
        return _Statement(source, target, previous.relation, confidence * factor, (span_start, mention.end), True)
    if governor is not None and (lead := LEAD_CUE.match(text, start)) is not None:
        # "A ... sửa đổi, bổ sung thủ tục hành chính tại Nghị định B": the statement's own wording, farther back.
        span = (evidence_start if evidence_start is not None else lead.start(), mention.end)
        return _Statement(source, target, cue_relation(lead), LISTED_CONFIDENCE * factor, span, False)
    if governor is None and (heading := _list_heading(text, mention.phrase_start)) is not None:
        relation = cue_relation(heading)
        return _Statement(source, target, relation, LISTED_CONFIDENCE * factor, (heading.start(), mention.end), True)
    if governor is None and (basis := basis_clause(text, mention.phrase_start)) is not None:
        return _Statement(source, target, Relation.based_on, BASIS_CONFIDENCE * factor, (basis, mention.end), True)
    if governor is None and (opening := _opening_cue(text, mention.phrase_start)) is not None:
        relation = cue_relation(opening)
        return _Statement(source, target, relation, LISTED_CONFIDENCE * factor, (opening.start(), mention.end), True)
    span_start = evidence_start if evidence_start is not None else mention.phrase_start
    return _Statement(source, target, Relation.cites, CITES_CONFIDENCE * factor, (span_start, mention.end), False)


def _list_heading(text: str, position: int) -> re.Match[str] | None:
    """The wording that introduces a list whose item begins at ``position``: "Bãi bỏ các văn bản sau:"."""
    line_start = text.rfind("\n", 0, position) + 1
    item = LIST_ITEM.match(text, line_start, position + 1)
    provisions = PROVISION_PREFIX.match(text, item.end(), position + 1) if item else None
    if provisions is None or provisions.end() != position:
        return None
    for _ in range(MAX_LIST_ITEMS):
        if line_start == 0:
            return None
        line_end = line_start - 1
        line_start = text.rfind("\n", 0, line_end) + 1
        if not text[line_start:line_end].strip():
            continue
        # The heading may be an item of an outer list itself: "3. Bãi bỏ các nội dung sau:".
        if heading := LIST_HEADING.search(text, line_start, line_end):
            return heading
        if not LIST_ITEM.match(text, line_start, line_end):
            return None
    return None


def _opening_cue(text: str, position: int) -> re.Match[str] | None:
    """The wording opening a sentence "Thực hiện A; B; C, ..." when ``position`` begins one of its ';' items."""
    before = text.rfind(";", max(0, position - CUE_WINDOW), position)
    if before < 0 or text[before + 1 : position].strip():
        return None
    line_start = text.rfind("\n", 0, position) + 1
    if SENTENCE_BREAK.search(text, line_start, position):
        return None
    opening = OPENING_CUE.match(text, line_start)
    if opening is None:
        return None
    # Only a list of documents: every earlier item starts with a type word ("...; Kết luận số ...").
    items = text[opening.end() : before].split(";")
    return opening if all(ANY_TYPE_WORD.match(item.strip()) for item in items) else None


_RELATION_NAMED = {relation.value: relation for relation in Relation}


def cue_relation(cue: re.Match[str]) -> Relation:
    """The relation a cue or list heading names (its matched group)."""
    return _RELATION_NAMED[cue.lastgroup or ""]


def _link(
    text: str,
    references: tuple[Reference, ...],
    own_symbol: str | None,
    source: Target,
    target: int,
    found: list[_Statement],
) -> ExtractedLink:
    if len(found) == 1:
        best = found[0]
        relation = best.relation
    else:
        weights: dict[Relation, float] = {}
        for statement in found:
            weights[statement.relation] = weights.get(statement.relation, 0.0) + statement.confidence
        relation = max(weights, key=lambda r: (r != Relation.cites, weights[r], -_RANK[r]))
        best = max((s for s in found if s.relation == relation), key=lambda s: s.confidence)
    source_symbol = own_symbol if source == OWN or source is None else references[source].symbol
    return ExtractedLink(
        source=source_symbol,
        relation=relation,
        target=references[target].symbol,
        evidence=_evidence(text, best.span),
        confidence=round(best.confidence, 2),
        span=best.span,
    )


def _evidence(text: str, span: tuple[int, int]) -> str:
    snippet = squash_spaces(text[span[0] : span[1]])
    if len(snippet) <= MAX_EVIDENCE:
        return snippet
    return f"{snippet[: MAX_EVIDENCE // 2 - 10]} … {snippet[-(MAX_EVIDENCE // 2) :]}"
