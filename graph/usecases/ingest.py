"""From text to graph facts: extract, resolve against the store, upsert documents (stubs for unknown
references) and links with provenance (origin extracted, evidence, offsets, confidence)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from graph.errors import InvalidInputError
from graph.extract import Extraction, extract, resolved_in_graph
from graph.extract.models import Reference
from graph.extract.obligations import with_ordered_obligations
from graph.identity import DocumentDraft, WriteMode, complete_draft, default_level
from graph.models import (
    Document,
    DocumentFilter,
    Level,
    Link,
    LinkDirection,
    LinkDraft,
    Organization,
    Origin,
    Relation,
    Review,
    SourceText,
    jurisdiction_key,
)
from graph.obligations import ObligationDraft, RecordedObligation, drafts_from_proposal
from graph.ports import Documents, Lifecycle, Links, Obligations, Organizations, TextStore
from graph.review import Issued, out_of_order
from graph.symbols import parse_symbol, symbol_match_key
from graph.text import fold, nfc, squash_spaces
from graph.usecases.units import in_one_unit
from graph.writes import link_ends

_TERM_SUFFIX = re.compile(r"\s*\(?\s*khóa\s+[IVXLC]+\s*\)?\s*$", re.IGNORECASE)


class IngestStore(Lifecycle, Documents, Organizations, Links, Obligations, TextStore, Protocol):
    """The store roles an ingest writes and reads."""


def text_id(text: str) -> str:
    """The id a text is stored under: SHA-256 of its NFC form."""
    return hashlib.sha256(nfc(text).encode("utf-8")).hexdigest()


class OrganizationIndex:
    """Find an organization from an issuer phrase met in a text, using the text's jurisdiction.

    "Ban Thường vụ Tỉnh ủy" in a Thanh Hóa text is "Ban Thường vụ Tỉnh ủy Thanh Hóa";
    "Ban Chấp hành Trung ương Đảng khóa XI" is the Central Committee.
    """

    def __init__(self, organizations: Sequence[Organization]) -> None:
        self._by_name: dict[str, list[Organization]] = {}
        self._units: dict[str, Organization] = {}
        for org in organizations:
            for name in {org.name, org.short_name, *org.aliases} - {None}:
                self._by_name.setdefault(_name_key(name), []).append(org)  # type: ignore[arg-type]
            if org.kind == "administrative_unit":
                self._units[org.key] = org

    def unit(self, key: str) -> Organization | None:
        return self._units.get(key)

    def resolve(self, phrase: str | None, jurisdiction: str | None) -> Organization | None:
        """The organization a phrase names, preferring one of the text's jurisdiction; None when unsure."""
        if not phrase:
            return None
        base = _name_key(_TERM_SUFFIX.sub("", phrase))
        names = [base]
        unit = self._units.get(jurisdiction) if jurisdiction else None
        if unit is not None:
            names += [f"{base} {_name_key(n)}" for n in {unit.short_name, unit.name, *unit.aliases} - {None}]  # type: ignore[arg-type]
        for name in reversed(names):
            matches = {o.key: o for o in self._by_name.get(name, [])}
            if len(matches) == 1:
                return next(iter(matches.values()))
            local = [o for o in matches.values() if jurisdiction and o.jurisdiction == jurisdiction]
            if len(local) == 1:
                return local[0]
        return None


def _name_key(name: str) -> str:
    return squash_spaces(fold(name))


@dataclass
class IngestReport:
    """What one ingestion changed."""

    text_id: str
    text_created: bool
    document: Document | None
    extraction: Extraction
    documents_created: list[str] = field(default_factory=list)
    documents_updated: list[str] = field(default_factory=list)
    links_created: list[Link] = field(default_factory=list)
    links_existing: int = 0
    # Extracted links left out because their source was issued before their target along an ordered relation.
    links_out_of_order: int = 0
    obligations_proposed: list[RecordedObligation] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


async def extract_with_store(store: Documents, text: str, jurisdiction: str | None) -> Extraction:
    """Extract, resolving references against the documents the store holds under their symbols."""
    extraction = extract(text, jurisdiction=jurisdiction)  # once: the store is read for the symbols it names
    known: dict[str, list[Document]] = {}
    spellings = {s for r in extraction.references for s in (r.symbol, *r.aliases)}
    for spelling in sorted(spellings):
        key = symbol_match_key(spelling)
        if key not in known:
            known[key] = await store.find_documents(DocumentFilter(symbol=spelling))
    return resolved_in_graph(extraction, jurisdiction, lambda s: known.get(symbol_match_key(s), []))


async def ingest_text(
    store: IngestStore, text: str, jurisdiction: str | None = None, *, stored_id: str | None = None
) -> IngestReport:
    """Store a text once, and upsert the documents and links extracted from it (``stored_id``: the id a stored
    text is kept under, when extracting it again)."""
    if not text.strip():
        raise InvalidInputError("the text is empty")
    unit_key = jurisdiction_key(jurisdiction) if jurisdiction else None
    organizations = OrganizationIndex(await store.list_organizations())
    if unit_key is not None and organizations.unit(unit_key) is None:
        raise InvalidInputError(f"unknown jurisdiction '{jurisdiction}'")
    extraction = await extract_with_store(store, text, unit_key)
    # One transaction: a text whose writes fail leaves no stub, link or stored text behind; one that met
    # another write in a deadlock is written again from the start, with a report of its own.
    return await in_one_unit(
        store, lambda: _write_text(store, extraction, organizations, unit_key, stored_id or text_id(text))
    )


async def _write_text(
    store: IngestStore,
    extraction: Extraction,
    organizations: OrganizationIndex,
    unit_key: str | None,
    stored_id: str,
) -> IngestReport:
    """The writes of one extracted text, in the caller's unit of work."""
    report = IngestReport(text_id=stored_id, text_created=False, document=None, extraction=extraction)
    drafts = _document_drafts(extraction, organizations, unit_key, report)
    keys = await _write_documents(store, drafts, extraction, report)
    link_drafts = await _in_order(store, _link_drafts(extraction, keys, report), report)
    if link_drafts:
        await _write_links(store, link_drafts, report)
    unit = organizations.unit(unit_key) if unit_key else None
    obligation_drafts = _proposed_obligations(extraction, keys, unit)
    if report.document is not None:  # the dated orders the text gives for its own document
        obligation_drafts = with_ordered_obligations(obligation_drafts, extraction.text, report.document, unit)
    if obligation_drafts:
        report.obligations_proposed = await store.upsert_obligations(obligation_drafts)
    report.text_created = await store.put_text(
        SourceText(
            id=report.text_id,
            text=extraction.text,
            jurisdiction=unit_key,
            document_key=report.document.key if report.document else None,
        )
    )
    return report


def _document_drafts(
    extraction: Extraction, organizations: OrganizationIndex, unit_key: str | None, report: IngestReport
) -> list[DocumentDraft]:
    """The text's own document and stubs for its unresolved references, those that pass the checks."""
    drafts: list[DocumentDraft | None] = []
    own = extraction.document
    if own is not None and own.symbol:
        issuer = organizations.resolve(own.issuer, unit_key)
        drafts.append(
            _checked(
                DocumentDraft(
                    symbol=own.symbol,
                    type=own.type,
                    date=own.date,
                    issuer=issuer.key if issuer else None,
                    jurisdiction=_scope_for(own.symbol, issuer, unit_key, organizations),
                    title=own.title,
                ),
                issuer,
                report,
            )
        )
    for ref in extraction.references:
        if ref.resolution.status != "resolved":
            drafts.append(
                _checked(_stub(ref, organizations, unit_key), organizations.resolve(ref.issuer, unit_key), report)
            )
    return [d for d in drafts if d is not None]


async def _write_documents(
    store: IngestStore, kept: list[DocumentDraft], extraction: Extraction, report: IngestReport
) -> dict[str, str]:
    """Upsert the drafts; the document key of every symbol the text names (resolved or written)."""
    known_before = {d.key for draft in kept for d in await store.find_documents(DocumentFilter(symbol=draft.symbol))}
    stored = await store.upsert_documents(kept, WriteMode.fill) if kept else []
    keys: dict[str, str] = {ref.symbol: ref.resolution.key for ref in extraction.references if ref.resolution.key}
    for draft, doc in zip(kept, stored, strict=True):
        if draft.symbol:
            keys[draft.symbol] = doc.key
        (report.documents_updated if doc.key in known_before else report.documents_created).append(doc.key)
    own = extraction.document
    if own is not None and own.symbol and own.symbol in keys:
        report.document = next(d for d in stored if d.key == keys[own.symbol])
    return keys


def _link_drafts(extraction: Extraction, keys: dict[str, str], report: IngestReport) -> list[LinkDraft]:
    """Extracted links between documents in the graph, with their provenance; the others are reported skipped."""
    link_drafts = []
    for link in extraction.links:
        source, target = keys.get(link.source or ""), keys.get(link.target)
        if source is None or target is None:
            report.skipped.append(f"link {link.source} {link.relation.value} {link.target}: an end is not in the graph")
            continue
        if source == target:
            continue  # a text naming its own document: never a link
        link_drafts.append(
            LinkDraft(
                source=source,
                relation=link.relation,
                target=target,
                origin=Origin.extracted,
                evidence=link.evidence[:4000],
                source_text_id=report.text_id,
                span_start=link.span[0],
                span_end=link.span[1],
                confidence=link.confidence,
            )
        )
    return link_drafts


async def _in_order(store: IngestStore, drafts: list[LinkDraft], report: IngestReport) -> list[LinkDraft]:
    """The drafts whose ends' dates agree with their relation; the others counted, not written."""
    ends: dict[str, Issued] = {}
    for key in link_ends(drafts):
        document = await store.get_document(key)
        ends[key] = Issued(document.date, document.year)
    kept = [d for d in drafts if not out_of_order(d, ends)]
    report.links_out_of_order += len(drafts) - len(kept)
    return kept


async def _write_links(store: IngestStore, link_drafts: list[LinkDraft], report: IngestReport) -> None:
    """Upsert the links, reporting which are new."""
    before: set[tuple[str, Relation, str]] = set()
    for source in sorted({d.source for d in link_drafts}):
        before |= {
            (link.source, link.relation, link.target)
            for link in await store.links(source, LinkDirection.out, list(Relation))
        }
    stored_links = await store.upsert_links(link_drafts)
    # Reads never see rejected links; an extraction never writes one, so a rejected link is one that was there.
    report.links_created = [
        link
        for link in stored_links
        if (link.source, link.relation, link.target) not in before and link.review != Review.rejected
    ]
    report.links_existing = len(stored_links) - len(report.links_created)


_LEVEL_DEPTH = {level: depth for depth, level in enumerate(Level)}


def _proposed_obligations(
    extraction: Extraction, keys: dict[str, str], unit: Organization | None
) -> list[ObligationDraft]:
    """Proposed obligations on each ordered document the graph now holds.

    In a local text, the units it orders ("các huyện ủy" in a provincial plan) are those under its jurisdiction.
    """
    drafts: dict[str, ObligationDraft] = {}
    for proposal in extraction.obligations:
        for symbol in proposal.targets:
            key = keys.get(symbol)
            if key is None:
                continue
            for draft in drafts_from_proposal(proposal.to_dict(), key):
                if unit is not None:
                    if _LEVEL_DEPTH[draft.level] <= _LEVEL_DEPTH[unit.level]:
                        continue  # the unit's own bodies, not every unit of its level
                    draft = draft.model_copy(update={"parent": unit.key})
                drafts.setdefault(draft.identity, draft)
    return list(drafts.values())


def _scope_for(
    symbol: str, issuer: Organization | None, unit_key: str | None, organizations: OrganizationIndex
) -> str | None:
    """The jurisdiction of a local-series document whose issuer is unknown: the text's unit or its ancestor
    at the series' level (a /TU plan cited in a district's text is the province's). None when the text's unit
    is above that level: a district series in a provincial text cannot be told from another district's."""
    if issuer is not None or unit_key is None:
        return None
    level = default_level(symbol)
    if level is None or not level.is_local:
        return None
    parts = parse_symbol(symbol)
    if parts is None or parts.form != "party":
        return unit_key  # "UBND" is every level's People's Committee: the text's own unit is the best guess
    unit = organizations.unit(unit_key)
    while unit is not None and unit.level != level:
        unit = organizations.unit(unit.parent) if unit.parent else None
    return unit.key if unit is not None else None


def _stub(ref: Reference, organizations: OrganizationIndex, unit_key: str | None) -> DocumentDraft:
    issuer = organizations.resolve(ref.issuer, unit_key)
    return DocumentDraft(
        symbol=ref.symbol,
        aliases=list(ref.aliases),
        type=ref.type,
        date=ref.date,
        issuer=issuer.key if issuer else None,
        jurisdiction=_scope_for(ref.symbol, issuer, unit_key, organizations),
        term=ref.term,
        title=ref.title,
        stub=True,
    )


def _checked(draft: DocumentDraft, issuer: Organization | None, report: IngestReport) -> DocumentDraft | None:
    """The draft, or None (with a note) when it cannot be scoped: a local series with no jurisdiction."""
    try:
        complete_draft(draft, issuer)
    except InvalidInputError as e:
        report.skipped.append(f"document {draft.symbol}: {e}")
        return None
    return draft
