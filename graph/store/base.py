"""The store protocol both backends implement, and the backend-neutral pieces they share."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Iterable, Sequence
from typing import Protocol, runtime_checkable

from pydantic import BaseModel, Field

from graph.bulk import ImportCheckpoint
from graph.identity import DocumentDraft, ResolvedDocument
from graph.keys import ApiKey, Change
from graph.models import (
    Document,
    DocumentFilter,
    GraphCounts,
    Implementer,
    Level,
    Lineage,
    LineageDirection,
    LineageNode,
    Link,
    LinkDirection,
    Organization,
    Origin,
    Path,
    Relation,
)
from graph.obligations import Obligation, ObligationDraft, ObligationStatus
from graph.search import DEFAULT_LIMIT as DEFAULT_SEARCH_LIMIT, SearchHit

DEFAULT_LIST_LIMIT = 500


class LinkDraft(BaseModel):
    """A link to store; ends are document keys."""

    source: str = Field(min_length=1, max_length=200)
    relation: Relation
    target: str = Field(min_length=1, max_length=200)
    origin: Origin = Origin.curated
    evidence: str | None = Field(default=None, max_length=4000)
    source_text_id: str | None = Field(default=None, max_length=200)
    span_start: int | None = Field(default=None, ge=0)
    span_end: int | None = Field(default=None, ge=0)
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)


@runtime_checkable
class GraphStore(Protocol):
    """Documents, organizations and typed links, and the lineage questions asked of them."""

    kind: str

    async def open(self) -> None:
        """Connect and verify the connection."""

    async def close(self) -> None: ...

    async def ping(self) -> bool:
        """Whether the store answers now."""

    async def migrate(self) -> list[str]:
        """Apply pending schema migrations in order; return the names applied now."""

    async def upsert_organizations(self, organizations: Sequence[Organization]) -> int: ...

    async def get_organization(self, key: str) -> Organization: ...

    async def list_organizations(
        self, *, level: Level | None = None, parent: str | None = None, as_of: dt.date | None = None
    ) -> list[Organization]: ...

    async def upsert_documents(self, drafts: Sequence[DocumentDraft]) -> list[Document]:
        """Create or merge documents by identity, all or nothing; return them in input order."""

    async def get_document(self, key: str) -> Document: ...

    async def find_documents(self, query: DocumentFilter, limit: int = DEFAULT_LIST_LIMIT) -> list[Document]: ...

    async def upsert_links(self, drafts: Sequence[LinkDraft]) -> list[Link]:
        """Create links (one per source, relation, target), all or nothing; return them in input order."""

    async def links(
        self, key: str, direction: LinkDirection, relations: Sequence[Relation]
    ) -> list[Link]: ...

    async def lineage(
        self, key: str, direction: LineageDirection, relations: Sequence[Relation], max_depth: int
    ) -> Lineage: ...

    async def implementers(
        self, key: str, *, level: Level | None, jurisdiction: str | None, max_depth: int
    ) -> list[Implementer]: ...

    async def paths(self, source: str, target: str, *, max_length: int, limit: int) -> list[Path]: ...

    async def counts(self) -> GraphCounts: ...

    async def put_text(self, text: SourceText) -> bool:
        """Store a source text under its id unless already there; whether it was new."""

    async def get_text(self, text_id: str) -> SourceText: ...

    # search (lookup issue)

    async def search(
        self,
        text: str,
        *,
        limit: int = DEFAULT_SEARCH_LIMIT,
        type: str | None = None,
        level: Level | None = None,
        jurisdiction: str | None = None,
    ) -> list[SearchHit]:
        """Documents matching ``text`` (symbol-aware, accent- and typo-tolerant), best first; [] for under 2 characters."""

    # organizations, obligations and audit (audit issue)

    async def find_organizations(
        self, *, level: Level | None = None, parent: str | None = None, as_of: dt.date | None = None, q: str | None = None
    ) -> list[Organization]:
        """Organizations matching every filter; ``q`` in the name, short name or an alias, accents ignored."""

    async def upsert_obligations(self, drafts: Sequence[ObligationDraft]) -> list[Obligation]:
        """Record obligations once per identity, all or nothing; a confirmed draft confirms a proposed one."""

    async def list_obligations(
        self, *, document: str | None = None, level: Level | None = None, status: ObligationStatus | None = None
    ) -> list[Obligation]: ...

    async def confirm_obligation(self, document: str, obligation_id: str) -> Obligation: ...

    # bulk import and export (national-scale issue)

    async def import_organizations(
        self, rows: Sequence[Organization], checkpoint: ImportCheckpoint | None = None
    ) -> int:
        """Write organizations as given (replacing same keys), with the checkpoint, in one transaction."""

    async def import_documents(self, rows: Sequence[ResolvedDocument], checkpoint: ImportCheckpoint | None = None) -> int:
        """Write already-resolved documents and their spellings as given, with the checkpoint, in one transaction."""

    async def import_links(self, rows: Sequence[Link], checkpoint: ImportCheckpoint | None = None) -> int:
        """Write links as given (replacing same source, relation, target), with the checkpoint, in one transaction."""

    async def import_checkpoint(self, source: str) -> ImportCheckpoint | None:
        """The last checkpoint committed for an input, if any."""

    def iter_organizations(self, batch: int) -> AsyncIterator[list[Organization]]: ...

    def iter_documents(self, batch: int) -> AsyncIterator[list[Document]]:
        """Every document in key order, ``batch`` at a time (keyset pagination)."""

    def iter_links(self, batch: int) -> AsyncIterator[list[Link]]:
        """Every link in (source, relation, target) order, about ``batch`` at a time."""

    # API keys and the change log (hardening issue)

    async def put_api_key(self, key: ApiKey) -> None:
        """Store a new key record (its digest, never the key)."""

    async def find_api_key(self, key_id: str) -> ApiKey | None: ...

    async def list_api_keys(self) -> list[ApiKey]: ...

    async def revoke_api_key(self, key_id: str, at: str) -> ApiKey:
        """Mark a key revoked from ``at`` on (the first revocation time is kept)."""

    async def put_change(self, change: Change) -> None:
        """Record a change, or update its status and keys when its id is already recorded."""

    async def list_changes(self, *, since: str | None, after: str | None, limit: int) -> list[Change]:
        """Changes at or after ``since`` and after the change id ``after``, oldest first."""


def link_sort_key(link: Link) -> tuple[str, str, str]:
    return (link.source, link.relation.value, link.target)


def document_sort_key(doc: Document) -> tuple[str, str]:
    """Newest first, then by key: the order every list of documents is returned in."""
    return (f"{9999 - (doc.year or 0):04d}", doc.key)


def lineage_from_depths(
    root: str, depths: dict[str, int], documents: dict[str, Document], edges: Iterable[Link]
) -> Lineage:
    """Assemble a lineage answer in the canonical order (depth, then key)."""
    nodes = [
        LineageNode(**documents[key].model_dump(), depth=depth)
        for key, depth in sorted(depths.items(), key=lambda kv: (kv[1], kv[0]))
        if key in documents
    ]
    return Lineage(root=root, nodes=nodes, edges=sorted(edges, key=link_sort_key))


def shortest_chains(root: str, depths: dict[str, int], edges: Iterable[Link], direction: LineageDirection) -> dict[str, list[str]]:
    """For every reached node, the keys strictly between ``root`` and it along one shortest chain.

    The chain is chosen deterministically (smallest key at each step), so both stores agree.
    """
    parents: dict[str, str] = {}
    for link in sorted(edges, key=link_sort_key):
        child, parent = (link.source, link.target) if direction == LineageDirection.down else (link.target, link.source)
        if depths.get(parent, -2) == depths.get(child, -1) - 1:
            if child not in parents or parent < parents[child]:
                parents[child] = parent
    chains: dict[str, list[str]] = {}
    for key in depths:
        chain: list[str] = []
        step = parents.get(key)
        while step is not None and step != root:
            chain.append(step)
            step = parents.get(step)
        chains[key] = list(reversed(chain))
    return chains


def implementers_from_lineage(
    lineage: Lineage, *, level: Level | None, jurisdiction: str | None, jurisdiction_keys: set[str] | None
) -> list[Implementer]:
    """Filter a downward lineage to implementers of a level/jurisdiction, each with its chain."""
    depths = {n.key: n.depth for n in lineage.nodes}
    chains = shortest_chains(lineage.root, depths, lineage.edges, LineageDirection.down)
    out = []
    for node in lineage.nodes:
        if node.key == lineage.root:
            continue
        if level is not None and node.level != level:
            continue
        if jurisdiction is not None and (jurisdiction_keys is None or node.jurisdiction not in jurisdiction_keys):
            continue
        out.append(Implementer(**node.model_dump(exclude={"depth"}), via=chains.get(node.key, [])))
    return sorted(out, key=lambda d: (len(d.via), document_sort_key(d)))


RELATION_PREFERENCE = {relation: rank for rank, relation in enumerate(Relation)}


def distinct_paths(raw: Iterable[tuple[list[str], list[Link]]], documents: dict[str, Document], limit: int) -> list[Path]:
    """One path per node sequence, the link of each hop chosen by relation order; sorted and capped."""
    best: dict[tuple[str, ...], list[Link]] = {}
    for keys, hops in raw:
        seq = tuple(keys)
        current = best.get(seq)
        if current is None or [RELATION_PREFERENCE[h.relation] for h in hops] < [
            RELATION_PREFERENCE[h.relation] for h in current
        ]:
            best[seq] = hops
    ordered = sorted(best.items(), key=lambda kv: kv[0])[:limit]
    return [Path(nodes=[documents[k] for k in seq], edges=hops) for seq, hops in ordered]
