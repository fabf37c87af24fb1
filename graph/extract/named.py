"""Links to documents named by title only: "Căn cứ Luật Tổ chức chính quyền địa phương năm 2015;".

The source is the document whose statement holds the name ("Nghị định số 24/2009/NĐ-CP ... quy định chi
tiết thi hành Luật ...") or else the text's own document; the relation is the wording that governs the name,
"căn cứ" for an item of a basis clause, or ``cites``. A link's target is the reference's label.
"""

from __future__ import annotations

from graph.extract.classify import CITES_CONFIDENCE, CUE_CONFIDENCE, LISTED_CONFIDENCE, cue_relation
from graph.extract.context import Context, basis_clause, clause_start, governs
from graph.extract.models import ExtractedLink, NamedReference, Reference
from graph.extract.resolve import OWN, Target
from graph.extract.tokenize import Mention
from graph.models import Relation
from graph.text import squash_spaces

# Titles whose documents the graph keeps: a Party conference or congress resolution named by title is
# reported, but linked only once resolved to its symbol.
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
        relation, confidence, span_start = Relation.based_on, LISTED_CONFIDENCE, basis
    else:
        relation, confidence, span_start = Relation.cites, CITES_CONFIDENCE, start
    evidence = squash_spaces(text[span_start:end])
    return ExtractedLink(source, relation, label, evidence, confidence, (span_start, end))
