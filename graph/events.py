"""Events: what changed in the graph, one record per change, kept in an outbox written with the change.

An event names its subject (``key``: a document key or a link id) and the document whose facets
(jurisdiction, level, type, what it implements) a feed or a webhook filters it by. The store fills the
facets when it records the event, in the transaction of the write that caused it (see the stores'
``record_events``); ``seq`` is the store's commit order, the cursor of the feed.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from graph.clock import timestamp
from graph.identity import ResolvedDocument
from graph.keys import link_id
from graph.models import Document, Level, Link, Relation
from graph.text import fold

# Fields a document event carries in its payload: enough for a reader to show it without a lookup.
DOCUMENT_SUMMARY = ("symbol", "type", "title", "date", "issuer", "level", "jurisdiction", "status")


class EventKind(StrEnum):
    document_created = "document.created"
    document_updated = "document.updated"
    document_deleted = "document.deleted"
    document_merged = "document.merged"
    link_created = "link.created"
    link_reviewed = "link.reviewed"
    link_deleted = "link.deleted"
    status_changed = "status.changed"


class Facets(BaseModel):
    """What a filter can ask of an event's document: filled by the store from the document as written."""

    model_config = ConfigDict(frozen=True)

    jurisdiction: str | None = None
    level: Level | None = None
    type: str | None = None
    implements: list[str] = Field(default_factory=list, description="keys the document implements directly")


class Event(BaseModel):
    """One change to the graph, at the time it was written."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(description="unique; stable across deliveries")
    seq: int = Field(default=0, description="commit order in the store (0 before it is recorded)")
    at: str = Field(description="event time: UTC ISO 8601 ending in Z")
    kind: EventKind
    key: str = Field(description="the subject: a document key, or a link id")
    document: str = Field(description="the document the event is filtered by (a link's source)")
    keys: list[str] = Field(default_factory=list, description="every document key the event involves")
    payload: dict[str, Any] = Field(default_factory=dict)
    facets: Facets | None = Field(default=None, description="filled by the store when recorded")


class EventFilter(BaseModel):
    """The filter of a feed or a webhook: every given field must hold."""

    model_config = ConfigDict(frozen=True)

    jurisdiction: str | None = Field(default=None, max_length=200, description="an administrative unit key")
    level: Level | None = None
    type: str | None = Field(default=None, max_length=80, description="document type, e.g. Kế hoạch")
    implements: str | None = Field(
        default=None, max_length=200, description="only documents that implement this document directly"
    )

    def matches(self, event: Event) -> bool:
        """Whether a recorded event passes the filter."""
        facets = event.facets or Facets()
        return (
            (self.jurisdiction is None or facets.jurisdiction == self.jurisdiction)
            and (self.level is None or facets.level == self.level)
            and (self.type is None or fold(facets.type or "") == fold(self.type))
            and (self.implements is None or self.implements in facets.implements)
        )


def new_event_id() -> str:
    return f"evt_{secrets.token_hex(10)}"


def event(
    kind: EventKind, key: str, document: str, *, keys: Iterable[str] = (), payload: dict[str, Any] | None = None
) -> Event:
    """A new event of ``kind`` about ``key``, filtered by ``document``'s facets, timed now."""
    involved = sorted({document, *keys})
    return Event(
        id=new_event_id(), at=timestamp(), kind=kind, key=key, document=document, keys=involved, payload=payload or {}
    )


def document_summary(doc: Document) -> dict[str, Any]:
    """The payload of a document event: a few fields, JSON-ready."""
    return doc.model_dump(mode="json", include=set(DOCUMENT_SUMMARY), exclude_none=True)


def document_event(
    kind: EventKind, doc: Document, payload: dict[str, Any] | None = None, *, facets: Facets | None = None
) -> Event:
    """An event about one document, its summary in the payload (with ``payload`` added).

    ``facets`` only for a document the transaction removes before recording (see :func:`facets_of`); else the
    store fills them from the document as written.
    """
    made = event(kind, doc.key, doc.key, payload=document_summary(doc) | (payload or {}))
    return made.model_copy(update={"facets": facets}) if facets is not None else made


def facets_of(doc: Document, implements: Iterable[str] = ()) -> Facets:
    """The facets of a document as given (for an event about a document no longer stored)."""
    return Facets(jurisdiction=doc.jurisdiction, level=doc.level, type=doc.type, implements=sorted(set(implements)))


def link_event(kind: EventKind, link: Link, payload: dict[str, Any] | None = None) -> Event:
    """An event about one link, filtered by its source document."""
    ends = {"source": link.source, "relation": link.relation.value, "target": link.target}
    body = ends | {"review": link.review.value} | (payload or {})
    return event(
        kind,
        link.id or link_id(link.source, link.relation, link.target),
        link.source,
        keys=(link.target,),
        payload=body,
    )


def document_events(resolved: Sequence[ResolvedDocument], before: Iterable[Document]) -> list[Event]:
    """The events of one document upsert: created, or updated when the stored record changed."""
    previous = {doc.key: doc for doc in before}
    events: list[Event] = []
    for r in {r.document.key: r for r in resolved}.values():
        if r.created:
            events.append(document_event(EventKind.document_created, r.document))
        elif previous.get(r.document.key) not in (None, r.document):
            events.append(document_event(EventKind.document_updated, r.document))
    return events


def status_events(before: Mapping[str, Document], after: Mapping[str, Document]) -> list[Event]:
    """``status.changed`` for each document whose effect status moved between two reads of it."""
    return [
        document_event(EventKind.status_changed, doc, {"from": before[key].status.value, "to": doc.status.value})
        for key, doc in sorted(after.items())
        if key in before and before[key].status != doc.status
    ]


def link_events(stored: Sequence[Link], now: str) -> list[Event]:
    """The events of one link upsert: ``link.created`` for each link first written at ``now``."""
    return [
        link_event(EventKind.link_created, link)
        for link in {(lk.source, lk.relation, lk.target): lk for lk in stored}.values()
        if link.created_at is not None and created_at_text(link.created_at) == now
    ]


def created_at_text(at: dt.datetime) -> str:
    return timestamp(at if at.tzinfo else at.replace(tzinfo=dt.UTC))


def implements_targets(links: Iterable[tuple[str, str, str]]) -> dict[str, list[str]]:
    """For (source, relation, target) rows, each source's direct implements targets, sorted."""
    out: dict[str, set[str]] = {}
    for source, relation, target in links:
        if relation == Relation.implements.value:
            out.setdefault(source, set()).add(target)
    return {k: sorted(v) for k, v in out.items()}


def with_facets(
    events: Sequence[Event], documents: dict[str, Document], implements: dict[str, list[str]]
) -> list[Event]:
    """Events with the facets of their document as stored now; an event already carrying facets keeps them."""
    out = []
    for e in events:
        doc = documents.get(e.document)
        if e.facets is None and doc is not None:
            e = e.model_copy(update={"facets": facets_of(doc, implements.get(e.document, []))})
        out.append(e)
    return out
