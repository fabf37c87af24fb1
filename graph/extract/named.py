"""Links to documents named by title only: "Căn cứ Luật Tổ chức chính quyền địa phương năm 2015;".

The source is the document whose statement holds the name ("Nghị định số 24/2009/NĐ-CP ... quy định chi
tiết thi hành Luật ...") or else the text's own document; the relation is the wording that governs the name,
"căn cứ" for an item of a basis clause, or ``cites``. A link's target is the reference's label.
"""

from __future__ import annotations

import re

from graph.extract.classify import BASIS_CONFIDENCE, CITES_CONFIDENCE, CUE_CONFIDENCE, cue_relation
from graph.extract.context import Context, basis_clause, clause_start, governs
from graph.extract.models import ExtractedLink, NamedReference, Reference
from graph.extract.resolve import OWN, Target
from graph.extract.tokenize import AliasDefinition, Mention
from graph.models import Relation
from graph.text import fold, squash_spaces

# Titles whose documents the graph keeps: a Party conference or congress resolution named by title is
# reported, but linked only once resolved to its symbol.
# An amending law's phrase before its number: "Luật Sửa đổi, bổ sung một số điều của |Luật X| số ".
AMENDED_LAW = re.compile(
    r"Luật\s+(?i:sửa đổi,?\s+bổ sung)(?:\s+một số điều)?\s+của\s+(?P<title>Luật\s+[^\d;:()\n]{3,150}?)\s+số\s*[:.]?\s*"
)
LINKED_TYPES = frozenset({"Luật", "Bộ luật", "Pháp lệnh", "Hiến pháp", "Điều lệ"})


def link_named(
    text: str,
    named: tuple[NamedReference, ...],
    mentions: tuple[Mention, ...],
    contexts: tuple[Context, ...],
    targets: tuple[Target, ...],
    references: tuple[Reference, ...],
    own_symbol: str | None,
) -> tuple[ExtractedLink, ...]:
    """One link per (source, named reference), the strongest stated; none without a named source."""
    statements = [(c.statement, targets[i]) for i, c in enumerate(contexts) if c.statement and targets[i] is not None]
    best: dict[tuple[str, str], ExtractedLink] = {}
    for reference in named:
        if reference.type not in LINKED_TYPES:
            continue
        for start, end in reference.spans:
            holder = next((t for (s, e), t in statements if s <= start < e), None)
            source = _symbol(holder, references, own_symbol) if holder is not None else own_symbol
            if source is None:
                continue
            link = _link(text, source, reference.label, start, end)
            key = (source, reference.label)
            if key not in best or link.confidence > best[key].confidence:
                best[key] = link
    return tuple(best.values())


def _symbol(target: Target, references: tuple[Reference, ...], own_symbol: str | None) -> str | None:
    if target is None:
        return None
    return own_symbol if target == OWN else references[target].symbol


def _link(text: str, source: str, label: str, start: int, end: int) -> ExtractedLink:
    if cue := governs(text, clause_start(text, start), start):
        relation, confidence, span_start = cue_relation(cue), CUE_CONFIDENCE, cue.start()
    elif (basis := basis_clause(text, start)) is not None:
        relation, confidence, span_start = Relation.based_on, BASIS_CONFIDENCE, basis
    else:
        relation, confidence, span_start = Relation.cites, CITES_CONFIDENCE, start
    evidence = squash_spaces(text[span_start:end])
    return ExtractedLink(source, relation, label, evidence, confidence, (span_start, end))


def amending_law_links(
    text: str,
    mentions: tuple[Mention, ...],
    aliases: tuple[AliasDefinition, ...],
    targets: tuple[Target, ...],
    references: tuple[Reference, ...],
) -> tuple[ExtractedLink, ...]:
    """ "Luật Sửa đổi, bổ sung một số điều của Luật X số 87/2025/QH15": law 87 amends the law titled X in the text."""
    titled: dict[str, int] = {}
    for definition in aliases:
        if definition.anywhere:
            owner = next((i for i, m in enumerate(mentions) if m.kind == "symbol" and m.end == definition.end), None)
            if owner is not None and (target := targets[owner]) is not None and target >= 0:
                titled[fold(definition.alias)] = target
    links: list[ExtractedLink] = []
    for i, mention in enumerate(mentions):
        source = targets[i]
        amended = AMENDED_LAW.fullmatch(text, mention.phrase_start, mention.start) if mention.type == "Luật" else None
        if amended is None or source is None or source < 0:
            continue
        target = titled.get(fold(squash_spaces(amended["title"])))
        if target is not None and target != source:
            evidence = squash_spaces(text[mention.phrase_start : mention.end])
            span = (mention.phrase_start, mention.end)
            links.append(
                ExtractedLink(
                    references[source].symbol,
                    Relation.amends,
                    references[target].symbol,
                    evidence,
                    CUE_CONFIDENCE,
                    span,
                )
            )
    return tuple(links)
