"""The audit use case: gather a document's obligations, units and implementers from a store, then audit.

A fixed handful of set-based store calls, whatever the number of units; the audit itself is the pure
core in :mod:`graph.audit`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from graph.audit import AuditReport, SummaryReport, SummarySort, audit, document_branch, require_issued, score_units
from graph.lineage import implementers_from_lineage
from graph.models import IMPLEMENTATION_RELATIONS, MAX_DEPTH, Document, Level, LineageDirection, Organization
from graph.obligations import ObligationStatus, RecordedObligation
from graph.ports import Documents, Obligations, Organizations, Traversal


class AuditReads(Documents, Organizations, Obligations, Traversal, Protocol):
    """The store roles an audit reads."""


async def audit_document(
    store: AuditReads, key: str, *, level: Level, as_of: dt.date, parent: str | None = None
) -> AuditReport:
    """Audit document ``key``: a fixed handful of set-based store calls, whatever the number of units."""
    source = await store.get_document(key)
    obligations = await store.list_obligations(document=key, level=level, status=ObligationStatus.confirmed)
    organizations = await store.list_organizations(level=level)
    return await _audit_source(store, source, level, as_of, parent, obligations, organizations)


async def audit_summary(store: AuditReads, *, level: Level, as_of: dt.date, sort: SummarySort) -> SummaryReport:
    """Every unit of ``level`` across the documents with confirmed obligations at that level issued by ``as_of``."""
    obligations = await store.list_obligations(level=level, status=ObligationStatus.confirmed)
    organizations = await store.list_organizations(level=level)
    by_document: dict[str, list[RecordedObligation]] = {}
    for obligation in obligations:
        by_document.setdefault(obligation.document, []).append(obligation)
    reports = []
    for key in sorted(by_document):
        source = await store.get_document(key)
        if source.date is None or source.date <= as_of:
            reports.append(await _audit_source(store, source, level, as_of, None, by_document[key], organizations))
    return SummaryReport(
        level=level,
        as_of=as_of,
        sort=sort,
        documents=[r.document.key for r in reports],
        items=score_units(reports, sort),
    )


async def _audit_source(
    store: AuditReads,
    source: Document,
    level: Level,
    as_of: dt.date,
    parent: str | None,
    obligations: Sequence[RecordedObligation],
    organizations: Sequence[Organization],
) -> AuditReport:
    require_issued(source, as_of)  # before traversing
    issuer = await store.get_organization(source.issuer) if source.issuer else None
    lineage = await store.lineage(source.key, LineageDirection.down, IMPLEMENTATION_RELATIONS, MAX_DEPTH, limit=None)
    return audit(
        source,
        level=level,
        as_of=as_of,
        parent=parent,
        source_branch=document_branch(source, issuer),
        obligations=obligations,
        organizations=organizations,
        implementers=implementers_from_lineage(lineage, level=level, jurisdiction=None, jurisdiction_keys=None),
    )
