"""A document's life in date order: issued, in force, each change made to it and each change it made."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from enum import StrEnum

from pydantic import BaseModel

from graph.effects import effect_kind
from graph.models import Document, Link, ReviewScope


class TimelineEvent(StrEnum):
    issued = "issued"
    in_force = "in_force"
    amended = "amended"
    partly_repealed = "partly_repealed"
    replaced = "replaced"
    repealed = "repealed"
    expired = "expired"
    # Changes the document made to others.
    amends = "amends"
    replaces = "replaces"
    repeals = "repeals"


class TimelineEntry(BaseModel):
    """One event: its day (None when unknown), what happened, and the other document (``by`` or ``of``)."""

    day: dt.date | None
    event: TimelineEvent
    document: str | None = None
    symbol: str | None = None
    link: str | None = None
    partial: bool = False


class Timeline(BaseModel):
    key: str
    symbol: str
    status: str
    entries: list[TimelineEntry]


def _start(doc: Document) -> dt.date | None:
    return doc.effective_from or doc.date


def timeline(
    doc: Document,
    changed_by: Sequence[tuple[Link, Document]],
    changes: Sequence[tuple[Link, Document]],
    day: dt.date | None = None,
) -> Timeline:
    """The events of ``doc``: ``changed_by`` are its incoming effect links with their sources, ``changes`` its
    outgoing ones with their targets; rejected links left out, and with ``day`` the events after it too."""
    entries = [TimelineEntry(day=doc.date, event=TimelineEvent.issued)]
    if _start(doc) is not None:
        entries.append(TimelineEntry(day=_start(doc), event=TimelineEvent.in_force))
    for link, source in changed_by:
        kind = effect_kind(link.relation, link.partial)
        if kind is not None and ReviewScope.not_rejected.counts(link.review):
            entries.append(_entry(_start(source), TimelineEvent(kind.value), link, source))
    for link, target in changes:
        if effect_kind(link.relation, link.partial) is not None and ReviewScope.not_rejected.counts(link.review):
            entries.append(_entry(_start(doc), TimelineEvent(link.relation.value), link, target))
    if doc.effective_to is not None and doc.status.value == TimelineEvent.expired:
        entries.append(TimelineEntry(day=doc.effective_to, event=TimelineEvent.expired))
    kept = [e for e in entries if day is None or e.day is None or e.day <= day]
    kept.sort(key=lambda e: (e.day is None, e.day or dt.date.min, list(TimelineEvent).index(e.event)))
    return Timeline(key=doc.key, symbol=doc.symbol, status=doc.status.value, entries=kept)


def _entry(day: dt.date | None, event: TimelineEvent, link: Link, other: Document) -> TimelineEntry:
    return TimelineEntry(
        day=day, event=event, document=other.key, symbol=other.symbol, link=link.id or None, partial=link.partial
    )
