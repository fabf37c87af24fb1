"""The store protocol both backends implement, and the backend-neutral pieces they share."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol, TypeVar, runtime_checkable

from pydantic import BaseModel, Field, StrictFloat, StrictInt

from graph.bulk import DocumentRow, ImportCheckpoint, LinkRow, RecordKind
from graph.errors import InvalidInputError
from graph.identity import DocumentDraft, WriteMode
from graph.keys import ApiKey, Change
from graph.models import (
    MAX_TEXT_CHARS,
    Document,
    DocumentFilter,
    EffectStatus,
    GraphCounts,
    Implementer,
    Implementers,
    Level,
    Lineage,
    LineageDirection,
    LineageNode,
    Link,
    LinkDirection,
    NfcStr,
    NfcText,
    Organization,
    Origin,
    Path,
    Relation,
    SourceText,
)
from graph.obligations import Obligation, ObligationDraft, ObligationStatus
from graph.search import DEFAULT_LIMIT as DEFAULT_SEARCH_LIMIT
from graph.search import SearchHit

DEFAULT_LIST_LIMIT = 500
D = TypeVar("D", bound=Document)
# Documents per page of a lineage or of implementers unless the caller asks otherwise (None: all): a
# national resolution's lineage holds thousands, which the counts per depth and level summarize.
DEFAULT_GRAPH_PAGE = 100
UNKNOWN_LEVEL = "unknown"


class LinkDraft(BaseModel):
    """A link to store; ends are document keys."""

    source: str = Field(min_length=1, max_length=200)
    relation: Relation
    target: str = Field(min_length=1, max_length=200)
    origin: Origin = Origin.curated
    evidence: NfcText | None = Field(default=None, max_length=4000)
    source_text_id: NfcStr | None = Field(default=None, max_length=200)
    span_start: StrictInt | None = Field(default=None, ge=0, le=MAX_TEXT_CHARS)
    span_end: StrictInt | None = Field(default=None, ge=0, le=MAX_TEXT_CHARS)
    confidence: StrictFloat = Field(default=1.0, ge=0.0, le=1.0)


@runtime_checkable
class GraphStore(Protocol):
    """Documents, organizations and typed links, and the lineage questions asked of them."""

    kind: str

    async def open(self) -> None:
        """Connect and verify the connection."""

    async def close(self) -> None: ...

    async def ping(self) -> bool:
        """Whether the store answers now."""

    async def probe_write(self, worker: str) -> None:
        """Write one small record, so that a store that reads but cannot write (disk full) shows it."""

    async def migrate(self) -> list[str]:
        """Apply pending schema migrations in order; return the names applied now."""

    async def upsert_organizations(self, organizations: Sequence[Organization]) -> int: ...

    async def get_organization(self, key: str) -> Organization: ...

    async def list_organizations(
        self, *, level: Level | None = None, parent: str | None = None, as_of: dt.date | None = None
    ) -> list[Organization]: ...

    async def upsert_documents(
        self, drafts: Sequence[DocumentDraft], mode: WriteMode = WriteMode.curated
    ) -> list[Document]:
        """Create or merge documents by identity (see :class:`WriteMode`), all or nothing; return them in input
        order."""

    async def get_document(self, key: str) -> Document: ...

    async def find_documents(self, query: DocumentFilter, limit: int = DEFAULT_LIST_LIMIT) -> list[Document]: ...

    async def upsert_links(self, drafts: Sequence[LinkDraft]) -> list[Link]:
        """Create links (one per source, relation, target), all or nothing; return them in input order."""

    async def links(self, key: str, direction: LinkDirection, relations: Sequence[Relation]) -> list[Link]: ...

    async def lineage(
        self,
        key: str,
        direction: LineageDirection,
        relations: Sequence[Relation],
        max_depth: int,
        *,
        offset: int = 0,
        limit: int | None = DEFAULT_GRAPH_PAGE,
    ) -> Lineage:
        """One page of what descends from (down) or what founds (up) a document; ``limit=None`` for all of it."""

    async def implementers(
        self,
        key: str,
        *,
        level: Level | None,
        jurisdiction: str | None,
        max_depth: int,
        offset: int = 0,
        limit: int | None = DEFAULT_GRAPH_PAGE,
    ) -> Implementers:
        """One page of the documents implementing ``key`` directly or through a chain; ``limit=None`` for all."""

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
        self,
        *,
        level: Level | None = None,
        parent: str | None = None,
        as_of: dt.date | None = None,
        q: str | None = None,
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

    async def import_documents(self, rows: Sequence[DocumentRow], checkpoint: ImportCheckpoint | None = None) -> int:
        """Write already-resolved documents and their spellings as given, with the checkpoint, in one transaction."""

    async def import_links(self, rows: Sequence[LinkRow], checkpoint: ImportCheckpoint | None = None) -> int:
        """Write links as given (replacing same source, relation, target), with the checkpoint, in one transaction."""

    async def begin_import(self, kind: RecordKind) -> None:
        """Ready the store for a bulk load of ``kind``; a first load may set secondary structures aside."""

    async def end_import(self) -> None:
        """Restore whatever a first load set aside (also after a load that was stopped); else nothing."""

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


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def trusted_document(data: Mapping[str, Any], cls: type[D], **extra: Any) -> D:
    """A document (or a subclass with ``extra`` fields) from a stored row, converted without pydantic validation.

    ``data`` holds the stored primitives (ISO dates, enum values, aliases as a list); other keys are ignored.
    """
    return cls.model_construct(
        key=data["key"],
        symbol=data["symbol"],
        aliases=list(data.get("aliases") or []),
        type=data.get("type"),
        number=data.get("number"),
        date=_day(data.get("date")),
        year=data.get("year"),
        issuer=data.get("issuer"),
        level=Level(data["level"]) if data.get("level") else None,
        jurisdiction=data.get("jurisdiction"),
        term=data.get("term"),
        title=data.get("title"),
        status=EffectStatus(data.get("status") or EffectStatus.unknown),
        effective_from=_day(data.get("effective_from")),
        effective_to=_day(data.get("effective_to")),
        stub=bool(data.get("stub")),
        **extra,
    )


def trusted_link(data: Mapping[str, Any]) -> Link:
    """A link from a stored row, converted field by field without pydantic validation."""
    created_at = data.get("created_at")
    return Link.model_construct(
        source=data["source"],
        relation=Relation(data["relation"]),
        target=data["target"],
        origin=Origin(data.get("origin") or Origin.curated),
        evidence=data.get("evidence"),
        source_text_id=data.get("source_text_id"),
        span_start=data.get("span_start"),
        span_end=data.get("span_end"),
        confidence=float(data["confidence"]) if data.get("confidence") is not None else 1.0,
        created_at=dt.datetime.fromisoformat(created_at) if created_at else None,
        source_symbol=data.get("source_symbol"),
        target_symbol=data.get("target_symbol"),
    )


def check_page(offset: int, limit: int | None) -> None:
    """Refuse a page that cannot exist: a negative offset or a limit under one."""
    if offset < 0:
        raise InvalidInputError(f"offset must be 0 or more, got {offset}")
    if limit is not None and limit < 1:
        raise InvalidInputError(f"limit must be 1 or more, got {limit}")


def page_of(keys: Sequence[str], offset: int, limit: int | None) -> list[str]:
    """The keys of one page; every key from ``offset`` on when ``limit`` is None."""
    return list(keys[offset:] if limit is None else keys[offset : offset + limit])


class Facts(NamedTuple):
    """What ordering, filtering and counting implementers need of a reached document, without all of it."""

    level: str | None
    jurisdiction: str | None
    year: int | None


@dataclass
class Walk:
    """The keys a breadth-first walk reached: each one's depth, and its parent on one shortest chain.

    The parent is the smallest key one level nearer the root that the document links with, so both
    stores choose the same chains.
    """

    root: str
    depths: dict[str, int]
    parents: dict[str, str]

    @classmethod
    def start(cls, root: str) -> Walk:
        return cls(root, {root: 0}, {})

    @classmethod
    def from_depths(cls, root: str, reached: Sequence[tuple[str, int, Iterable[str]]]) -> Walk:
        """A walk from each reached key's depth and the keys it links with toward the root."""
        walk = cls.start(root)
        walk.depths.update((key, depth) for key, depth, _ in reached)
        for key, depth, nearer in reached:
            parents = [n for n in nearer if walk.depths.get(n) == depth - 1]
            walk.parents[key] = min(parents)
        return walk

    def add_level(self, found: Iterable[tuple[str, str]], depth: int) -> list[str]:
        """Record the (document, parent) pairs one step beyond the frontier; return the new frontier, sorted."""
        frontier = []
        for key, parent in found:
            if key not in self.depths:
                self.depths[key] = depth
                frontier.append(key)
            if self.depths[key] == depth and (key not in self.parents or parent < self.parents[key]):
                self.parents[key] = parent
        return sorted(frontier)

    def ordered(self) -> list[str]:
        """Every reached key in the canonical order: depth, then key."""
        return sorted(self.depths, key=lambda key: (self.depths[key], key))

    def via(self, key: str) -> list[str]:
        """The keys strictly between the root and ``key`` on its chain, nearest to the root first."""
        chain = []
        step = self.parents.get(key)
        while step is not None and step != self.root:
            chain.append(step)
            step = self.parents.get(step)
        return chain[::-1]


def lineage_page(walk: Walk, offset: int, limit: int | None) -> tuple[list[str], list[str]]:
    """The keys of one lineage page in canonical order, and every key up to the page's end.

    A page carries the edges between its documents and those up to its end, so each edge comes
    exactly once, with the page that holds its later end, and the pages add up to the whole lineage.
    """
    ordered = walk.ordered()
    page = page_of(ordered, offset, limit)
    return page, ordered[: offset + len(page)]


def count_levels(levels: Iterable[tuple[str | None, int]]) -> dict[str, int]:
    """Counts per level from (level, count) pairs; ``unknown`` for documents without a level."""
    counts: Counter[str] = Counter()
    for level, count in levels:
        counts[level or UNKNOWN_LEVEL] += count
    return dict(sorted(counts.items()))


def count_depths(depths: Iterable[int]) -> dict[int, int]:
    return dict(sorted(Counter(depths).items()))


def lineage_answer(
    walk: Walk,
    level_counts: dict[str, int],
    page: Sequence[str],
    rows: Mapping[str, Mapping[str, Any]],
    edges: Iterable[Link],
) -> Lineage:
    """A lineage page from stored rows: the page's documents with their depths, the edges sorted, counts over the walk."""
    nodes = [trusted_document(rows[key], LineageNode, depth=walk.depths[key]) for key in page if key in rows]
    return Lineage.model_construct(
        root=walk.root,
        nodes=nodes,
        edges=sorted(edges, key=link_sort_key),
        total=len(walk.depths),
        depth_counts=count_depths(walk.depths.values()),
        level_counts=level_counts,
    )


def implementer_keys(
    walk: Walk, facts: dict[str, Facts], *, level: Level | None, jurisdiction_keys: set[str] | None
) -> list[str]:
    """The implementers of a downward walk's root matching level and jurisdiction: nearest, then newest, then key."""
    matching = [
        key
        for key, fact in facts.items()
        if key != walk.root
        and (level is None or fact.level == level)
        and (jurisdiction_keys is None or fact.jurisdiction in jurisdiction_keys)
    ]
    return sorted(matching, key=lambda key: (walk.depths[key], f"{9999 - (facts[key].year or 0):04d}", key))


def implementers_answer(
    walk: Walk,
    facts: dict[str, Facts],
    matching: Sequence[str],
    page: Sequence[str],
    rows: Mapping[str, Mapping[str, Any]],
) -> Implementers:
    """An implementers page from stored rows, each with its chain, and counts over every matching implementer."""
    items = [trusted_document(rows[key], Implementer, via=walk.via(key)) for key in page if key in rows]
    return Implementers.model_construct(
        items=items,
        total=len(matching),
        depth_counts=count_depths(walk.depths[key] for key in matching),
        level_counts=count_levels((facts[key].level, 1) for key in matching),
    )


def implementers_from_lineage(
    lineage: Lineage, *, level: Level | None, jurisdiction: str | None, jurisdiction_keys: set[str] | None
) -> list[Implementer]:
    """Filter a whole downward lineage to implementers of a level/jurisdiction, each with its chain."""
    depths = {n.key: n.depth for n in lineage.nodes}
    parents: dict[str, str] = {}
    for link in lineage.edges:
        child, parent = link.source, link.target
        if depths.get(parent, -2) == depths.get(child, -1) - 1 and (child not in parents or parent < parents[child]):
            parents[child] = parent
    walk = Walk(lineage.root, depths, parents)
    facts = {n.key: Facts(n.level, n.jurisdiction, n.year) for n in lineage.nodes}
    scope = None if jurisdiction is None else (jurisdiction_keys or set())
    matching = implementer_keys(walk, facts, level=level, jurisdiction_keys=scope)
    return implementers_answer(
        walk, facts, matching, matching, {n.key: n.model_dump(mode="json") for n in lineage.nodes}
    ).items


RELATION_PREFERENCE = {relation: rank for rank, relation in enumerate(Relation)}


def distinct_paths(
    raw: Iterable[tuple[list[str], list[Link]]], documents: dict[str, Document], limit: int
) -> list[Path]:
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
