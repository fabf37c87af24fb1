"""The audit use cases: gather a document's obligations, units and implementers from a store, then audit.

A fixed handful of set-based store calls per document, whatever the number of units; the audit itself is
the pure core in :mod:`graph.audit`. A comparison date reuses what was read: only the pure part runs twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from graph.audit import AuditReport, Reached, SummarySort, audit, compared, document_branch, reached_implementers
from graph.audit_due import DueReport, due_items, due_report
from graph.audit_indicators import RatingThresholds
from graph.audit_rows import DEFAULT_WITHIN
from graph.audit_snapshots import AuditSnapshot, snapshot_of
from graph.audit_summary import SummaryReport, compared_summary, summary_report
from graph.models import (
    IMPLEMENTATION_RELATIONS,
    MAX_DEPTH,
    Branch,
    Document,
    Level,
    LineageDirection,
    Organization,
    ReviewScope,
    issued_by,
)
from graph.obligations import ObligationStatus, RecordedObligation
from graph.ports import AuditSnapshots, Documents, Obligations, Organizations, Traversal


class AuditReads(Documents, Organizations, Obligations, Traversal, Protocol):
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
    source = await _source(store, await store.get_document(key), options.review)
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
    obligations = await store.list_obligations(level=level, status=ObligationStatus.confirmed)
    organizations = await store.list_organizations(level=level)
    by_document: dict[str, list[RecordedObligation]] = {}
    for obligation in obligations:
        by_document.setdefault(obligation.document, []).append(obligation)
    days = [as_of, *([options.compare_to] if options.compare_to else [])]
    sources = []
    for key in sorted(by_document):
        document = await store.get_document(key)
        if any(issued_by(document.date, None, day) for day in days):
            sources.append(await _source(store, document, options.review))

    def on(day: dt.date) -> tuple[list[AuditReport], SummaryReport]:
        reports = [
            _audit(s, level, day, None, by_document[s.document.key], organizations, options)
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
    organizations: dict[Level, list[Organization]] = {}
    sources: dict[str, _Source] = {}
    reports = []
    for (key, level), applied in sorted(groups.items()):
        if key not in sources:
            sources[key] = await _source(store, await store.get_document(key), review)
        if level not in organizations:
            organizations[level] = await store.list_organizations(level=level)
        if issued_by(sources[key].document.date, None, as_of):
            reports.append(_audit(sources[key], level, as_of, None, applied, organizations[level], options))
    return due_report(due_items(reports), as_of=as_of, within=within, offset=offset, limit=limit)


async def take_snapshot(
    store: AuditStore, key: str, *, level: Level, as_of: dt.date, parent: str | None, taken_at: dt.datetime
) -> AuditSnapshot:
    """Audit ``key`` and keep a dated copy of the report."""
    snapshot = snapshot_of(await audit_document(store, key, level=level, as_of=as_of, parent=parent), taken_at)
    await store.put_audit_snapshot(snapshot)
    return snapshot


async def _source(store: AuditReads, document: Document, review: ReviewScope) -> _Source:
    issuer = await store.get_organization(document.issuer) if document.issuer else None
    lineage = await store.lineage(document.key, LineageDirection.down, IMPLEMENTATION_RELATIONS, MAX_DEPTH, limit=None)
    return _Source(document, document_branch(document, issuer), reached_implementers(lineage, review))


def _audit(
    source: _Source,
    level: Level,
    as_of: dt.date,
    parent: str | None,
    obligations: Sequence[RecordedObligation],
    organizations: Sequence[Organization],
    options: AuditOptions,
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
    )
