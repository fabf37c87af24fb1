"""Citation extraction from Vietnamese Party and State texts: clean → tokenize → extract → resolve → classify.

Pure functions, no I/O. The graph is consulted only through the injected ``lookup`` (and
``named_lookup``) callables, which return stored documents sharing a symbol's match key (or a name).
"""

from __future__ import annotations

from dataclasses import replace
from operator import attrgetter

from graph.extract.classify import classify
from graph.extract.clean import clean_text, clean_with_notes
from graph.extract.context import Context, read_contexts
from graph.extract.document import find_own_document
from graph.extract.layout import sections, table_links, with_layout
from graph.extract.models import (
    Anomaly,
    DocumentLookup,
    ExtractedLink,
    ExtractedObligation,
    Extraction,
    NamedReference,
    OwnDocument,
    Reference,
    Resolution,
)
from graph.extract.named import amending_law_links, link_named
from graph.extract.obligations import propose_obligations
from graph.extract.passive import passive_links, without_reversed
from graph.extract.patterns import LOCAL_BODY
from graph.extract.registry import Registry, default_registry
from graph.extract.resolve import Resolved, resolve, resolve_in_graph, resolve_named
from graph.extract.shortform import complete_plenums, complete_short_forms, with_registry
from graph.extract.tokenize import AliasDefinition, Mention, find_mentions
from graph.symbols import parse_symbol
from graph.text import fold

__all__ = [
    "Anomaly",
    "DocumentLookup",
    "ExtractedLink",
    "ExtractedObligation",
    "Extraction",
    "NamedReference",
    "OwnDocument",
    "Reference",
    "Registry",
    "Resolution",
    "clean_text",
    "extract",
    "resolved_in_graph",
]


def extract(
    text: str,
    *,
    jurisdiction: str | None = None,
    lookup: DocumentLookup | None = None,
    named_lookup: DocumentLookup | None = None,
    registry: Registry | None = None,
) -> Extraction:
    """Extract the own document, references, links, anomalies and proposed obligations from ``text``.

    ``jurisdiction`` scopes local series (/TU, /UBND); spans index the cleaned text (:attr:`Extraction.text`);
    ``registry`` completes short forms, by default the one under ``seeds/registry`` (read once per process).
    """
    cleaned, normalised = clean_with_notes(text)
    odd_forms = tuple(
        Anomaly("odd_form", f"{written} read as {new}", (new,)) for written, new in normalised if new != "/"
    )
    tokens = find_mentions(cleaned)
    registry = default_registry() if registry is None else registry
    plenums = complete_plenums(tokens.named, registry)
    mentions = tokens.mentions
    if plenums.mentions:
        mentions = tuple(sorted((*mentions, *plenums.mentions), key=attrgetter("start")))
    contexts = read_contexts(cleaned, mentions)
    mentions, completed = complete_short_forms(cleaned, mentions, contexts, registry)
    own = find_own_document(cleaned, mentions, contexts, jurisdiction)
    document = own.document if own else None
    resolved = resolve(
        cleaned,
        mentions,
        contexts,
        tokens.aliases,
        own.mention if own else None,
        document.type if document else None,
        document.jurisdiction if document else jurisdiction,
        lookup,
    )
    own_symbol = document.symbol if document else None
    named = with_registry(resolve_named(plenums.named, named_lookup), registry)
    links = _links(cleaned, mentions, contexts, tokens.aliases, resolved, named, own_symbol, document is not None)
    return Extraction(
        text=cleaned,
        document=document,
        references=resolved.references,
        named_references=named,
        links=links,
        anomalies=(*resolved.anomalies, *_own_anomalies(document), *plenums.anomalies, *completed, *odd_forms),
        obligations=propose_obligations(cleaned, mentions, resolved.targets, resolved.references, own_symbol),
    )


def _own_anomalies(document: OwnDocument | None) -> tuple[Anomaly, ...]:
    """A header's central suffix under a provincial body ("TỈNH ỦY ..." over "Số 445-KL/TƯ"): a provincial series."""
    parts = parse_symbol(document.symbol) if document and document.symbol else None
    if document is None or parts is None or not parts.is_central_party or not document.issuer:
        return ()
    if LOCAL_BODY.search(fold(document.issuer)) is None:
        return ()
    message = f"{document.symbol} has the central suffix /TW but is issued by {document.issuer}"
    return (Anomaly("provincial_tw_suffix", message, (document.symbol or "",)),)


def resolved_in_graph(extraction: Extraction, jurisdiction: str | None, lookup: DocumentLookup) -> Extraction:
    """``extraction`` (made without a lookup) with its references resolved against stored documents: what
    :func:`extract` gives with ``lookup``, for a caller that reads the store once it knows the text's symbols."""
    scope = extraction.document.jurisdiction if extraction.document else jurisdiction
    resolved = [resolve_in_graph(reference, scope, lookup) for reference in extraction.references]
    ambiguous = tuple(anomaly for _, found in resolved for anomaly in found)
    return replace(
        extraction,
        references=tuple(reference for reference, _ in resolved),
        anomalies=(*extraction.anomalies, *ambiguous),
    )


def _links(
    cleaned: str,
    mentions: tuple[Mention, ...],
    contexts: tuple[Context, ...],
    aliases: tuple[AliasDefinition, ...],
    resolved: Resolved,
    named: tuple[NamedReference, ...],
    own_symbol: str | None,
    has_own: bool,
) -> tuple[ExtractedLink, ...]:
    """Every link the text states: by wording, passive wording, layout tables, named and amending references."""
    targets, references = resolved.targets, resolved.references
    links = classify(cleaned, mentions, contexts, targets, references, own_symbol, has_own)
    links = without_reversed(links, passive_links(cleaned, mentions, targets, references, own_symbol))
    layout = sections(cleaned)
    if layout:
        links = with_layout(links, layout, table_links(cleaned, layout, mentions, targets, references, own_symbol))
    links += link_named(cleaned, named, mentions, contexts, targets, references, own_symbol)
    links = without_reversed(links, amending_law_links(cleaned, mentions, aliases, targets, references))
    # A link needs a named source, and a document never links to itself (its own symbol misread as a reference).
    return tuple(link for link in links if link.source and link.source != link.target)
