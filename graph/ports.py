"""The store's roles: one small protocol each, implemented by both stores.

A use case asks only for the roles it uses (``Documents``, ``Traversal`` ...); the composition root
builds a store that plays them all (:class:`GraphStore`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Protocol, runtime_checkable

from graph.audit_reach import ImplementationGraph, Reaches
from graph.audit_snapshots import AuditSnapshot, AuditSnapshotInfo
from graph.bulk import DocumentRow, ImportCheckpoint, LinkRow, RecordKind
from graph.events import Event, EventFilter
from graph.identity import DocumentDraft, WriteMode
from graph.keys import ApiKey, Change
from graph.lineage import LineageJson
from graph.models import (
    Document,
    DocumentFilter,
    GraphCounts,
    Implementers,
    Level,
    Lineage,
    LineageDirection,
    LineageOutline,
    Link,
    LinkDirection,
    LinkDraft,
    Organization,
    Relation,
    ReviewScope,
    SourceText,
    View,
)
from graph.obligations import ObligationDraft, ObligationStatus, RecordedObligation
from graph.paging import DEFAULT_GRAPH_PAGE, DEFAULT_LIST_LIMIT, OUTLINE_MAX_DOCUMENTS
from graph.review import ReviewQuery
from graph.search import DEFAULT_LIMIT as DEFAULT_SEARCH_LIMIT
from graph.search import SearchAsk, SearchHit
from graph.text_search import TextHit
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
        """Apply pending schema migrations in order; return the names applied now. Processes sharing the store
        migrate one at a time."""

    def exclusive(self, name: str) -> AbstractAsyncContextManager[None]:
        """A block that one process at a time runs among all the processes sharing the store (``name`` tells
        such blocks apart): the others wait for it."""

    async def warm(self) -> None:
        """Build what reads keep in memory, before the first request is served (nothing, for a store that keeps
        nothing)."""

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

    async def get_document(self, key: str) -> Document:
        """The document of ``key``, settled on today (its status, status links and end of force; graph.effects)."""

    async def get_document_json(self, key: str) -> str:
        """What :meth:`get_document` answers, as its JSON (``Document.model_dump_json``)."""

    async def find_documents(
        self, query: DocumentFilter, limit: int = DEFAULT_LIST_LIMIT, offset: int = 0
    ) -> list[Document]:
        """Documents matching every filter, newest first then by key: ``limit`` of them from ``offset``."""

    async def find_documents_json(
        self, query: DocumentFilter, limit: int = DEFAULT_LIST_LIMIT, offset: int = 0
    ) -> list[str]:
        """What :meth:`find_documents` finds, each document as its JSON (``Document.model_dump_json``), for an
        answer that sends them as they are."""


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
        view: View = View(),  # noqa: B008 - frozen
    ) -> list[Link]:
        """A document's links (source, relation, target order), ``limit`` of them from ``offset``: all by default;
        only those the view sees (never rejected ones)."""


class Traversal(Protocol):
    """Walks over the links: lineage, implementers, and the neighbours a chain search reads."""

    async def lineage(
        self,
        key: str,
        direction: LineageDirection,
        relations: Sequence[Relation],
        max_depth: int,
        *,
        offset: int = 0,
        limit: int | None = DEFAULT_GRAPH_PAGE,
        view: View = View(),  # noqa: B008 - frozen
    ) -> Lineage:
        """One page of what descends from (down) or what founds (up) a document; ``limit=None`` for all of it."""

    async def lineage_json(
        self,
        key: str,
        direction: LineageDirection,
        relations: Sequence[Relation],
        max_depth: int,
        *,
        offset: int = 0,
        limit: int | None = DEFAULT_GRAPH_PAGE,
        view: View = View(),  # noqa: B008 - frozen
    ) -> LineageJson:
        """What :meth:`lineage` answers, each document as its JSON, for an answer that sends them as they are."""

    async def lineage_outline(
        self,
        key: str,
        direction: LineageDirection,
        relations: Sequence[Relation],
        max_depth: int,
        *,
        view: View = View(),  # noqa: B008 - frozen
        max_documents: int = OUTLINE_MAX_DOCUMENTS,
    ) -> LineageOutline:
        """The whole lineage (every document of it and the links between them) without the documents' records;
        InvalidInputError when it reaches more than ``max_documents``."""

    async def implementers(
        self,
        key: str,
        *,
        level: Level | None,
        jurisdiction: str | None,
        max_depth: int,
        offset: int = 0,
        limit: int | None = DEFAULT_GRAPH_PAGE,
        view: View = View(),  # noqa: B008 - frozen
    ) -> Implementers:
        """One page of the documents implementing ``key`` directly or through a chain; ``limit=None`` for all."""

    async def neighbours(
        self, keys: Sequence[str], *, direction: LinkDirection, relations: Sequence[Relation], view: View
    ) -> list[Link]:
        """The links of ``relations`` touching any of ``keys`` (out: from them, in: to them, both), each once,
        as ``view`` sees them: never rejected ones, and with ``as_of`` none with an end issued after that day."""


class LinkReview(Protocol):
    """Links by id, the review queue, and the writes of review decisions (:mod:`graph.usecases.review`)."""

    async def get_link(self, link_id: str) -> Link: ...

    async def review_queue(self, query: ReviewQuery, *, offset: int = 0, limit: int = DEFAULT_LIST_LIMIT) -> list[Link]:
        """Links in ``query.review`` matching its filters, lowest confidence first, then id."""

    async def update_link(self, link: Link) -> Link:
        """Write the review state, correction and provenance of the stored link ``link.id`` (its ends stay)."""

    async def delete_link(self, link_id: str) -> None: ...


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
        year: int | None = None,
    ) -> list[SearchHit]:
        """Documents matching ``text`` (symbol-aware, accent- and typo-tolerant), best first.

        [] for a query under 2 characters.
        """

    async def search_json(self, ask: SearchAsk, *, limit: int = DEFAULT_SEARCH_LIMIT) -> list[str]:
        """The JSON of each hit :meth:`search` finds for ``ask``, in its order: what an answer sends."""

    async def search_texts(self, text: str, *, limit: int = DEFAULT_SEARCH_LIMIT) -> list[TextHit]:
        """Stored texts holding every word of ``text``, best first, with a marked snippet each."""


class Obligations(Protocol):
    """Obligations a document places on units, and the reads an audit makes of them."""

    async def upsert_obligations(self, drafts: Sequence[ObligationDraft]) -> list[RecordedObligation]:
        """Record obligations once per identity, all or nothing; a confirmed draft confirms a proposed one."""

    async def list_obligations(
        self, *, document: str | None = None, level: Level | None = None, status: ObligationStatus | None = None
    ) -> list[RecordedObligation]: ...

    async def confirm_obligation(self, document: str, obligation_id: str) -> RecordedObligation: ...

    async def review_obligation(
        self, document: str, obligation_id: str, status: ObligationStatus
    ) -> RecordedObligation:
        """Set an obligation's review state (accepted obligations are the ones audits apply)."""


class ImplementationReach(Protocol):
    """The walk an audit makes: what implements some documents, at the audited level or above."""

    async def implementation_graph(self, roots: Sequence[str], levels: Sequence[Level]) -> ImplementationGraph:
        """The implements/continues links reached walking down from ``roots`` (at most MAX_DEPTH steps), entering
        only documents of ``levels`` or of no level, with every document they join."""

    async def implementation_reach(self, roots: Sequence[str], level: Level, review: ReviewScope) -> Reaches:
        """The roots' documents and what implements each at ``level`` over the links ``review`` counts: the walk of
        :meth:`implementation_graph` entering the levels down to ``level``, then each root walked apart."""


class AuditSnapshots(Protocol):
    """Dated copies of audit reports, each taking kept."""

    async def put_audit_snapshot(self, snapshot: AuditSnapshot) -> None: ...

    async def list_audit_snapshots(self, *, document: str | None = None) -> list[AuditSnapshotInfo]:
        """Snapshots without their rows, of one document or all: by document, then audit date, then taking."""

    async def get_audit_snapshot(self, snapshot_id: str) -> AuditSnapshot: ...


class TextStore(Protocol):
    """Submitted source texts, by content id."""

    async def put_text(self, text: SourceText) -> bool:
        """Store a source text under its id unless already there; whether it was new."""

    async def get_text(self, text_id: str) -> SourceText: ...

    async def texts_page(self, *, since: dt.datetime | None, after: str | None, limit: int) -> list[SourceText]:
        """Stored texts created at or after ``since``, in id order after the id ``after``: one page."""


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


class Corrections(Protocol):
    """Writes that correct documents: rewrite (under the same or a new key), merge, remove; where an old key went;
    and the links a stored text states."""

    async def write_corrected(
        self, document: Document, scope: str, match_keys: Sequence[str], *, replacing: str | None = None
    ) -> None:
        """Store ``document`` as given, its spellings being ``match_keys``. With ``replacing`` (another stored key),
        that document's links (both directions, ids kept; one both had is kept once), obligations and texts move to
        ``document.key``, it is removed, and its key redirects here."""

    async def remove_document(self, key: str, stub: Document, stub_match_keys: Sequence[str]) -> bool:
        """Remove a document and its links; one other documents link to becomes ``stub`` (its incoming links kept,
        outgoing removed) instead. Whether it was kept as a stub."""

    async def redirect_target(self, key: str) -> str | None:
        """The key an old key now lives at (redirects followed to their end), or None when ``key`` is no old key
        or is a document's key."""

    async def links_from_text(self, text_id: str) -> list[Link]:
        """The links whose provenance names the text ``text_id``."""


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

    async def recompute_effects(self) -> int:
        """Recompute every document's stored effects (graph.effects) in one pass; how many documents it touched."""
        ...

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
    LinkReview,
    SearchIndex,
    Obligations,
    ImplementationReach,
    AuditSnapshots,
    TextStore,
    KeyStore,
    ChangeLog,
    BulkLoader,
    BulkExporter,
    Corrections,
    Events,
    Protocol,
):
    """Every role at once: what a store is, and what the composition root builds."""
