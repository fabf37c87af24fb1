"""The store's roles: one small protocol each, implemented by both stores.

A use case asks only for the roles it uses (``Documents``, ``Traversal`` ...); the composition root
builds a store that plays them all (:class:`GraphStore`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Protocol, runtime_checkable

from graph.bulk import DocumentRow, ImportCheckpoint, LinkRow, RecordKind
from graph.events import Event, EventFilter
from graph.identity import DocumentDraft, WriteMode
from graph.keys import ApiKey, Change
from graph.models import (
    Document,
    DocumentFilter,
    GraphCounts,
    GraphPath,
    Implementers,
    Level,
    Lineage,
    LineageDirection,
    Link,
    LinkDirection,
    LinkDraft,
    Organization,
    Relation,
    SourceText,
)
from graph.obligations import ObligationDraft, ObligationStatus, RecordedObligation
from graph.paging import DEFAULT_GRAPH_PAGE, DEFAULT_LIST_LIMIT
from graph.search import DEFAULT_LIMIT as DEFAULT_SEARCH_LIMIT
from graph.search import SearchHit
from graph.webhooks import Attempt, Delivery, DueDelivery, Webhook


@runtime_checkable
class Lifecycle(Protocol):
    """Connecting, health and schema."""

    kind: str

    async def open(self) -> None:
        """Connect and verify the connection."""

    async def close(self) -> None: ...

    async def ping(self) -> bool:
        """Whether the store answers now."""

    def unit_of_work(self) -> AbstractAsyncContextManager[None]:
        """A block whose writes commit together or not at all (``async with store.unit_of_work(): ...``)."""

    async def probe_write(self, worker: str) -> None:
        """Write one small record, so that a store that reads but cannot write (disk full) shows it."""

    async def migrate(self) -> list[str]:
        """Apply pending schema migrations in order; return the names applied now."""

    async def counts(self) -> GraphCounts: ...


class Organizations(Protocol):
    """Issuing bodies and their tree."""

    async def upsert_organizations(self, organizations: Sequence[Organization]) -> int: ...

    async def get_organization(self, key: str) -> Organization: ...

    async def list_organizations(
        self, *, level: Level | None = None, parent: str | None = None, as_of: dt.date | None = None
    ) -> list[Organization]: ...

    async def find_organizations(
        self,
        *,
        level: Level | None = None,
        parent: str | None = None,
        as_of: dt.date | None = None,
        q: str | None = None,
        after: str | None = None,
        limit: int = DEFAULT_LIST_LIMIT,
    ) -> list[Organization]:
        """Organizations matching every filter, in key order after the key ``after``, at most ``limit``; ``q`` in
        the name, short name or an alias, accents ignored."""


class Documents(Protocol):
    """Documents by identity."""

    async def upsert_documents(
        self, drafts: Sequence[DocumentDraft], mode: WriteMode = WriteMode.curated
    ) -> list[Document]:
        """Create or merge documents by identity (see :class:`WriteMode`), all or nothing; return them in input
        order."""

    async def get_document(self, key: str) -> Document: ...

    async def find_documents(
        self, query: DocumentFilter, limit: int = DEFAULT_LIST_LIMIT, offset: int = 0
    ) -> list[Document]:
        """Documents matching every filter, newest first then by key: ``limit`` of them from ``offset``."""


class Links(Protocol):
    """Typed links between documents, with provenance."""

    async def upsert_links(self, drafts: Sequence[LinkDraft]) -> list[Link]:
        """Create links (one per source, relation, target), all or nothing; return them in input order."""

    async def links(
        self,
        key: str,
        direction: LinkDirection,
        relations: Sequence[Relation],
        *,
        offset: int = 0,
        limit: int | None = None,
    ) -> list[Link]:
        """A document's links (source, relation, target order), ``limit`` of them from ``offset``: all by default."""


class Traversal(Protocol):
    """Walks over the links: lineage, implementers, paths."""

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

    async def paths(self, source: str, target: str, *, max_length: int, limit: int) -> list[GraphPath]: ...


class SearchIndex(Protocol):
    """Full-text and symbol search (the store recalls, :mod:`graph.search_flow` ranks)."""

    async def search(
        self,
        text: str,
        *,
        limit: int = DEFAULT_SEARCH_LIMIT,
        type: str | None = None,
        level: Level | None = None,
        jurisdiction: str | None = None,
    ) -> list[SearchHit]:
        """Documents matching ``text`` (symbol-aware, accent- and typo-tolerant), best first.

        [] for a query under 2 characters.
        """


class Obligations(Protocol):
    """Obligations a document places on units, and the reads an audit makes of them."""

    async def upsert_obligations(self, drafts: Sequence[ObligationDraft]) -> list[RecordedObligation]:
        """Record obligations once per identity, all or nothing; a confirmed draft confirms a proposed one."""

    async def list_obligations(
        self, *, document: str | None = None, level: Level | None = None, status: ObligationStatus | None = None
    ) -> list[RecordedObligation]: ...

    async def confirm_obligation(self, document: str, obligation_id: str) -> RecordedObligation: ...


class TextStore(Protocol):
    """Submitted source texts, by content id."""

    async def put_text(self, text: SourceText) -> bool:
        """Store a source text under its id unless already there; whether it was new."""

    async def get_text(self, text_id: str) -> SourceText: ...


class KeyStore(Protocol):
    """API key records (digests, never keys)."""

    async def put_api_key(self, record: ApiKey) -> None:
        """Store a new key record (its digest, never the key)."""

    async def find_api_key(self, key_id: str) -> ApiKey | None: ...

    async def list_api_keys(self) -> list[ApiKey]: ...

    async def revoke_api_key(self, key_id: str, at: str) -> ApiKey:
        """Mark a key revoked from ``at`` on (the first revocation time is kept)."""


class ChangeLog(Protocol):
    """The log of writes made with keys."""

    async def put_change(self, change: Change) -> None:
        """Record a change, or update its status and keys when its id is already recorded."""

    async def list_changes(self, *, since: str | None, after: str | None, limit: int) -> list[Change]:
        """Changes at or after ``since`` and after the change id ``after``, oldest first."""


class BulkLoader(Protocol):
    """Batched, checkpointed import of already-resolved records."""

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


class BulkExporter(Protocol):
    """Every record, in key order, a batch at a time (keyset pagination)."""

    def iter_organizations(self, batch: int) -> AsyncIterator[list[Organization]]: ...

    def iter_documents(self, batch: int) -> AsyncIterator[list[Document]]:
        """Every document in key order, ``batch`` at a time (keyset pagination)."""

    def iter_links(self, batch: int) -> AsyncIterator[list[Link]]:
        """Every link in (source, relation, target) order, about ``batch`` at a time."""


class Events(Protocol):
    """The events outbox, webhook subscriptions and their deliveries.

    A write records its events in its own transaction (the stores' ``record_events``); ``append_events``
    does the same for a use case inside ``unit_of_work``.
    """

    async def append_events(self, events: Sequence[Event]) -> list[Event]:
        """Record events with their documents' facets and queue their deliveries; return them with ``seq``."""

    async def list_events(
        self,
        query: EventFilter,
        *,
        after: int | None = None,
        before: int | None = None,
        limit: int = 50,
        newest_first: bool = True,
    ) -> list[Event]:
        """Events passing ``query`` with ``seq`` after ``after`` and before ``before``, ``limit`` of them."""

    async def put_webhook(self, hook: Webhook) -> None: ...

    async def get_webhook(self, hook_id: str) -> Webhook: ...

    async def list_webhooks(self) -> list[Webhook]: ...

    async def delete_webhook(self, hook_id: str) -> None:
        """Remove a webhook and its deliveries (NotFoundError if there is none)."""

    async def claim_deliveries(self, worker: str, *, now: str, lease_until: str, limit: int) -> list[DueDelivery]:
        """Lease up to ``limit`` due deliveries to ``worker`` until ``lease_until``: no other worker gets them
        while the lease holds; a lease that runs out (a worker died) makes them due again."""

    async def record_attempt(self, attempt: Attempt) -> Delivery | None:
        """Record one try and release the lease; None if the worker no longer held it."""

    async def list_deliveries(self, hook_id: str, *, limit: int = 50) -> list[Delivery]:
        """A webhook's deliveries, newest first."""


@runtime_checkable
class GraphStore(
    Lifecycle,
    Organizations,
    Documents,
    Links,
    Traversal,
    SearchIndex,
    Obligations,
    TextStore,
    KeyStore,
    ChangeLog,
    BulkLoader,
    BulkExporter,
    Events,
    Protocol,
):
    """Every role at once: what a store is, and what the composition root builds."""
