"""The audit use cases: gather a document's obligations, units and implementers from a store, then audit.

A fixed handful of set-based store calls per document, whatever the number of units; the audit itself is
the pure core in :mod:`graph.audit`. A comparison date reuses what was read: only the pure part runs twice.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Protocol

from graph.audit import (
    AuditReport,
    Reached,
    SummarySort,
    UnitFrame,
    audit,
    compared,
    document_branch,
    unit_frame,
)
from graph.audit_due import DueReport, due_items, due_report
from graph.audit_indicators import RatingThresholds
from graph.audit_reach import Reaches
from graph.audit_rows import DEFAULT_WITHIN
from graph.audit_snapshots import AuditSnapshot, snapshot_of
from graph.audit_summary import SummaryReport, compared_summary, summary_report
from graph.models import (
    Branch,
    Document,
    Level,
    Organization,
    ReviewScope,
    issued_by,
)
from graph.obligations import ObligationStatus, RecordedObligation
from graph.ports import AuditSnapshots, Documents, ImplementationReach, Obligations, Organizations


class AuditReads(Documents, Organizations, Obligations, ImplementationReach, Protocol):
    """The store roles an audit reads."""


class AuditStore(AuditReads, AuditSnapshots, Protocol):
    """The store roles an audit reads, and its snapshots."""


@dataclass(frozen=True)
class AuditOptions:
    """How an audit is read and scored: due-soon window, colours, which links count, a date to compare with."""

    within: int = DEFAULT_WITHIN
    thresholds: RatingThresholds = field(default_factory=RatingThresholds)
    review: ReviewScope = ReviewScope.not_rejected
    compare_to: dt.date | None = None


@dataclass(frozen=True)
class _Source:
    document: Document
    branch: Branch | None
    reached: Reached


DEFAULT_OPTIONS = AuditOptions()


async def audit_document(
    store: AuditReads,
    key: str,
    *,
    level: Level,
    as_of: dt.date,
    parent: str | None = None,
    options: AuditOptions = DEFAULT_OPTIONS,
) -> AuditReport:
    """Audit document ``key`` on ``as_of`` (and on ``options.compare_to``, to show what changed)."""
    document = await store.get_document(key)
    [source] = await _sources(store, [document], level, options.review)
    obligations = await store.list_obligations(document=key, level=level, status=ObligationStatus.confirmed)
    organizations = await store.list_organizations(level=level)

    def on(day: dt.date) -> AuditReport:
        return _audit(source, level, day, parent, obligations, organizations, options)

    report = on(as_of)
    return compared(report, on(options.compare_to)) if options.compare_to else report


async def audit_summary(
    store: AuditReads, *, level: Level, as_of: dt.date, sort: SummarySort, options: AuditOptions = DEFAULT_OPTIONS
) -> SummaryReport:
    """Every unit of ``level`` across the documents with confirmed obligations at that level issued by ``as_of``."""
    with collector_paused():
        return await _summary(store, level=level, as_of=as_of, sort=sort, options=options)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector held off meanwhile (reference counting still frees what is dropped): a national
    summary builds some half a million objects that all live until it returns, and each full collection would
    walk them all again, a third of its CPU at 1M documents. Left as found when something else paused it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


async def _summary(
    store: AuditReads, *, level: Level, as_of: dt.date, sort: SummarySort, options: AuditOptions
) -> SummaryReport:
    obligations = await store.list_obligations(level=level, status=ObligationStatus.confirmed)
    organizations = await store.list_organizations(level=level)
    by_document: dict[str, list[RecordedObligation]] = {}
    for obligation in obligations:
        by_document.setdefault(obligation.document, []).append(obligation)
    days = [as_of, *([options.compare_to] if options.compare_to else [])]
    documents, reaches = await _walked(store, sorted(by_document), level, options.review)
    issued = [d for d in documents if any(issued_by(d.date, None, day) for day in days)]
    sources = await _sources(store, issued, level, options.review, reaches)

    def on(day: dt.date) -> tuple[list[AuditReport], SummaryReport]:
        frame = unit_frame(organizations, level, day, None)
        reports = [
            _audit(s, level, day, None, by_document[s.document.key], organizations, options, frame)
            for s in sources
            if issued_by(s.document.date, None, day)
        ]
        scored = summary_report(
            reports, level=level, as_of=day, sort=sort, within=options.within, thresholds=options.thresholds
        )
        return reports, scored

    now, report = on(as_of)
    if options.compare_to is None:
        return report
    then, earlier = on(options.compare_to)
    return compared_summary(report, now, then, options.compare_to, earlier)


async def audit_due(
    store: AuditReads, *, as_of: dt.date, within: int, offset: int, limit: int, review: ReviewScope
) -> DueReport:
    """Every (document, unit) whose plan deadline falls within ``within`` days of ``as_of``, or has passed."""
    obligations = await store.list_obligations(status=ObligationStatus.confirmed)
    groups: dict[tuple[str, Level], list[RecordedObligation]] = {}
    for obligation in obligations:
        groups.setdefault((obligation.document, obligation.level), []).append(obligation)
    options = AuditOptions(within=within, review=review)
    reports = []
    for level in sorted({level for _, level in groups}, key=list(Level).index):
        organizations = await store.list_organizations(level=level)
        frame = unit_frame(organizations, level, as_of, None)
        documents, reaches = await _walked(store, [key for key, at in sorted(groups) if at == level], level, review)
        issued = [d for d in documents if issued_by(d.date, None, as_of)]
        for source in await _sources(store, issued, level, review, reaches):
            applied = groups[(source.document.key, level)]
            reports.append(_audit(source, level, as_of, None, applied, organizations, options, frame))
    return due_report(due_items(reports), as_of=as_of, within=within, offset=offset, limit=limit)


async def take_snapshot(
    store: AuditStore, key: str, *, level: Level, as_of: dt.date, parent: str | None, taken_at: dt.datetime
) -> AuditSnapshot:
    """Audit ``key`` and keep a dated copy of the report."""
    snapshot = snapshot_of(await audit_document(store, key, level=level, as_of=as_of, parent=parent), taken_at)
    await store.put_audit_snapshot(snapshot)
    return snapshot


async def _walked(
    store: AuditReads, keys: Sequence[str], level: Level, review: ReviewScope
) -> tuple[list[Document], Reaches]:
    """The documents ``keys`` and what implements each at ``level``: one walk for them all, which reads the
    documents too (a key it did not find is read apart, to raise the store's error)."""
    reaches = await store.implementation_reach(keys, level, review)
    found = reaches.documents
    return [found[key] if key in found else await store.get_document(key) for key in keys], reaches


async def _sources(
    store: AuditReads, documents: Sequence[Document], level: Level, review: ReviewScope, reaches: Reaches | None = None
) -> list[_Source]:
    """Each document with its branch and what implements it at ``level`` or above: one walk for them all (or
    ``reaches``, walked already)."""
    reaches = reaches or await store.implementation_reach([d.key for d in documents], level, review)
    known = {key: await store.get_organization(key) for key in sorted({d.issuer for d in documents if d.issuer})}
    return [_Source(d, document_branch(d, known.get(d.issuer or "")), reaches.reached[d.key]) for d in documents]


def _audit(
    source: _Source,
    level: Level,
    as_of: dt.date,
    parent: str | None,
    obligations: Sequence[RecordedObligation],
    organizations: Sequence[Organization],
    options: AuditOptions,
    frame: UnitFrame | None = None,
) -> AuditReport:
    return audit(
        source.document,
        level=level,
        as_of=as_of,
        parent=parent,
        source_branch=source.branch,
        obligations=obligations,
        organizations=organizations,
        reached=source.reached,
        within=options.within,
        thresholds=options.thresholds,
        frame=frame,
    )
