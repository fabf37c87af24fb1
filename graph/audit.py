"""The implementation audit: which units were obliged to implement a document, which did, on time or late.

The model is EUR-Lex's national transposition measures and the Single Market Scoreboard: one row per
obliged unit, and a deficit over the units whose deadline has passed (or that have none). The logic here
is pure and store-independent; :mod:`graph.usecases.audit` only gathers its inputs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel, Field

from graph.audit_indicators import (
    AuditSummary,
    AuditWarning,
    RatingThresholds,
    StateChange,
    WarningCode,
    changes,
    summarize,
)
from graph.audit_reach import (
    ImplementationGraph,
    ImplementingDocument,
    Reached,
    ReachIndex,
    reach_levels,
    reached_implementers,
)
from graph.audit_rows import (
    DEFAULT_WITHIN,
    AuditDocument,
    AuditRow,
    AuditUnit,
    RowStatus,
    built,
    first_date,
    is_due_soon,
    row_state,
)
from graph.errors import InvalidInputError
from graph.models import (
    Branch,
    Document,
    Level,
    Organization,
)
from graph.obligations import ObligationStatus, RecordedObligation
from graph.symbols import parse_symbol

__all__ = [
    "AuditDocument",
    "AuditRow",
    "AuditSummary",
    "AuditUnit",
    "ImplementationGraph",
    "RatingThresholds",
    "ReachIndex",
    "Reached",
    "RowStatus",
    "StateChange",
    "reach_levels",
    "reached_implementers",
    "summarize",
]

BASIS = (
    "As reported in the graph: a unit counts as having implemented the document when one of its bodies issued, "
    "on or before the audit date, a document linked to it by a chain of implements/continues links. The "
    "implementing documents are not checked for conformity with the source. The earliest implementing document "
    "decides whether a unit implemented on time or late. deficit_percent is the share of units not implemented "
    "among those whose deadline has passed or that have none."
)
ANY_BRANCH: frozenset[Branch] = frozenset(Branch)


class SummarySort(StrEnum):
    deficit = "deficit"
    name = "name"
    overdue = "overdue"


class AuditReport(BaseModel):
    document: Document
    as_of: dt.date
    level: Level
    parent: str | None
    within: int = Field(DEFAULT_WITHIN, description="days ahead within which a deadline is due soon")
    obligations: list[str]
    assumed_rule: str | None
    summary: AuditSummary
    rows: list[AuditRow]
    compare_to: dt.date | None = None
    changes: list[StateChange] | None = Field(None, description="with compare_to: the units whose state changed")
    deficit_change: float | None = Field(None, description="with compare_to: deficit now minus deficit then")
    thresholds: RatingThresholds = Field(default_factory=RatingThresholds)
    basis: str = BASIS


@dataclass(frozen=True)
class _Expectation:
    deadline: dt.date | None
    branches: frozenset[Branch]


def document_branch(doc: ImplementingDocument | Document, issuer: Organization | None) -> Branch | None:
    """The branch a document comes from: its issuer's, else its symbol's form (a Party symbol is Party)."""
    if issuer is not None and issuer.branch is not None:
        return issuer.branch
    parts = parse_symbol(doc.symbol)
    if parts is None:
        return None
    return Branch.party if parts.form == "party" else Branch.state


def is_unit(org: Organization, level: Level) -> bool:
    """Whether ``org`` is an obliged unit of ``level``: a local administrative unit, or any body of a national level."""
    return org.level == level and (org.jurisdiction == org.key if level.is_local else True)


def predecessors_of(key: str, organizations: Mapping[str, Organization]) -> set[str]:
    """Every unit ``key`` succeeds, transitively (Hà Giang for today's Tuyên Quang)."""
    seen: set[str] = set()
    stack = list(organizations[key].predecessors) if key in organizations else []
    while stack:
        current = stack.pop()
        if current not in seen:
            seen.add(current)
            stack.extend(organizations[current].predecessors if current in organizations else [])
    return seen


@dataclass(frozen=True)
class UnitFrame:
    """The units of a level (under a parent) valid on a day, with their predecessors: the same for every document
    audited at that level on that day."""

    by_key: Mapping[str, Organization]
    units: Sequence[Organization]
    ancestry: Mapping[str, set[str]]
    shown: Mapping[str, AuditUnit]  # each unit as its rows show it that day


def unit_frame(organizations: Sequence[Organization], level: Level, as_of: dt.date, parent: str | None) -> UnitFrame:
    """The frame of ``organizations`` (every organization of ``level`` at any date) at ``level`` on ``as_of``."""
    by_key = {o.key: o for o in organizations}
    units = sorted(
        (
            o
            for o in organizations
            if is_unit(o, level) and o.valid_on(as_of) and (parent is None or o.parent == parent)
        ),
        key=lambda o: o.key,
    )
    shown = {
        u.key: built(AuditUnit, key=u.key, name=u.name_on(as_of), short_name=u.short_name, level=u.level) for u in units
    }
    return UnitFrame(by_key, units, {u.key: predecessors_of(u.key, by_key) for u in units}, shown)


def audit(
    source: Document,
    *,
    level: Level,
    as_of: dt.date,
    parent: str | None,
    source_branch: Branch | None,
    obligations: Sequence[RecordedObligation],
    organizations: Sequence[Organization],
    reached: Reached,
    within: int = DEFAULT_WITHIN,
    thresholds: RatingThresholds | None = None,
    frame: UnitFrame | None = None,
) -> AuditReport:
    """The audit of ``source`` at ``level`` on ``as_of``.

    ``organizations`` must hold every organization of ``level`` at any date (units, their bodies and their
    predecessors); ``reached`` every document implementing ``source`` (with its chain); ``frame``, when given,
    their :func:`unit_frame` at that level and date. Only confirmed obligations of ``level`` apply; without one,
    every unit is assumed obliged, without deadline.
    """
    require_issued(source, as_of)
    frame = frame or unit_frame(organizations, level, as_of, parent)
    by_key, units, ancestry = frame.by_key, frame.units, frame.ancestry
    applied = [o for o in obligations if o.level == level and o.status == ObligationStatus.confirmed]
    default_branches = ANY_BRANCH if source_branch is None or not level.is_local else frozenset({source_branch})
    if applied:
        expectations = _expectations(units, ancestry, applied, source.date, default_branches)
        assumed = None
    else:
        expectations = {u.key: _Expectation(None, default_branches) for u in units}
        assumed = _assumed_rule(level, as_of, parent, default_branches)
    owned = _documents_by_owner(reached, by_key, level, as_of)
    context = _RowContext(source.date, level, as_of, within, frame.shown)
    rows = [
        _row(unit, expectations[unit.key], ancestry[unit.key], owned, context)
        for unit in units
        if unit.key in expectations
    ]
    thresholds = thresholds or RatingThresholds()
    warnings = _warnings(level, as_of, parent, rows, applied, source.date, assumed is not None)
    return AuditReport(
        document=source,
        as_of=as_of,
        level=level,
        parent=parent,
        within=within,
        obligations=sorted(o.id for o in applied),
        assumed_rule=assumed,
        summary=summarize(rows, thresholds, warnings),
        rows=rows,
        thresholds=thresholds,
    )


def compared(report: AuditReport, earlier: AuditReport) -> AuditReport:
    """``report`` with the units whose state changed since ``earlier`` and the change of its deficit."""
    return report.model_copy(
        update={
            "compare_to": earlier.as_of,
            "changes": changes(None, report.rows, earlier.rows),
            "deficit_change": round(report.summary.deficit_percent - earlier.summary.deficit_percent, 1),
        }
    )


def _warnings(
    level: Level,
    as_of: dt.date,
    parent: str | None,
    rows: Sequence[AuditRow],
    applied: Sequence[RecordedObligation],
    source_date: dt.date | None,
    assumed: bool,
) -> list[AuditWarning]:
    out = []
    if not rows:
        scope = f" under {parent}" if parent else ""
        message = f"no {level.value} unit{scope} on {as_of.isoformat()}: nothing is expected at that level that day"
        out.append(AuditWarning(code=WarningCode.no_units, message=message))
    undated = sorted(o.id for o in applied if o.plan_due(source_date) is None)
    if assumed or undated:
        message = "no plan deadline: no unit can be overdue, an unimplemented one is counted missing"
        out.append(AuditWarning(code=WarningCode.no_deadline, message=message, keys=undated))
    proposed = sorted({d.key for r in rows for d in r.documents if d.proposed})
    if proposed:
        message = "implementing documents counted through links still proposed, not yet accepted"
        out.append(AuditWarning(code=WarningCode.proposed_links_only, message=message, keys=proposed))
    return out


def require_issued(source: Document, as_of: dt.date) -> None:
    if source.date is not None and as_of < source.date:
        raise InvalidInputError(f"as_of {as_of} is before the date of {source.symbol} ({source.date})")


def _expectations(
    units: Sequence[Organization],
    ancestry: Mapping[str, set[str]],
    obligations: Sequence[RecordedObligation],
    source_date: dt.date | None,
    default_branches: frozenset[Branch],
) -> dict[str, _Expectation]:
    """For each covered unit, the earliest plan deadline and the branches accepted, over the obligations covering it."""
    out: dict[str, _Expectation] = {}
    due = {o.id: o.plan_due(source_date) for o in obligations}
    if all(not o.units and o.parent is None for o in obligations):  # every unit covered by every obligation
        dues = [d for d in due.values() if d is not None]
        branches = frozenset(b for o in obligations for b in _branches(o, default_branches))
        shared = _Expectation(min(dues, default=None), branches)
        return {unit.key: shared for unit in units}
    for unit in units:
        covering = [o for o in obligations if _covers(o, unit, ancestry[unit.key])]
        if not covering:
            continue
        dues = [d for d in (due[o.id] for o in covering) if d is not None]
        branches = frozenset(b for o in covering for b in _branches(o, default_branches))
        out[unit.key] = _Expectation(min(dues, default=None), branches)
    return out


def _covers(obligation: RecordedObligation, unit: Organization, predecessors: set[str]) -> bool:
    if obligation.units:
        # A listed unit since merged is carried by its successor.
        return unit.key in obligation.units or not predecessors.isdisjoint(obligation.units)
    return obligation.parent is None or unit.parent == obligation.parent


def _branches(obligation: RecordedObligation, default: frozenset[Branch]) -> frozenset[Branch]:
    if obligation.branch is None:
        return default
    return ANY_BRANCH if obligation.branch == "any" else frozenset({Branch(obligation.branch)})


def _assumed_rule(level: Level, as_of: dt.date, parent: str | None, branches: frozenset[Branch]) -> str:
    scope = f" under {parent}" if parent else ""
    acting = "either branch" if branches == ANY_BRANCH else f"the {next(iter(branches)).value} branch (the source's)"
    return (
        f"no confirmed obligation recorded at level {level.value}: every {level.value} unit{scope} valid on "
        f"{as_of.isoformat()} is assumed obliged, without deadline; documents of {acting} count"
    )


def _issued_by(doc: ImplementingDocument, as_of: dt.date) -> bool:
    if doc.date is not None:
        return doc.date <= as_of
    return doc.year is None or doc.year <= as_of.year


@dataclass(frozen=True)
class _RowContext:
    source_date: dt.date | None
    level: Level
    as_of: dt.date
    within: int
    shown: Mapping[str, AuditUnit]


_Owned = Mapping[str, list[tuple[AuditDocument, Branch | None]]]


def _documents_by_owner(
    reached: Reached, organizations: Mapping[str, Organization], level: Level, as_of: dt.date
) -> dict[str, list[tuple[AuditDocument, Branch | None]]]:
    owned: dict[str, list[tuple[AuditDocument, Branch | None]]] = {}
    local = level.is_local
    for doc in reached.implementers:  # the unit a document speaks for: its jurisdiction, or its issuer
        owner = doc.jurisdiction if local else doc.issuer
        if doc.level != level or owner is None or not _issued_by(doc, as_of):
            continue
        issuer = organizations.get(doc.issuer) if doc.issuer else None
        shown = built(
            AuditDocument,
            key=doc.key,
            symbol=doc.symbol,
            date=doc.date,
            issuer=doc.issuer,
            jurisdiction=doc.jurisdiction,
            via=doc.via,
            proposed=doc.key in reached.proposed,
        )
        owned.setdefault(owner, []).append((shown, document_branch(doc, issuer)))
    return owned


def _row(
    unit: Organization, expectation: _Expectation, predecessors: set[str], owned: _Owned, context: _RowContext
) -> AuditRow:
    docs = sorted(
        (
            doc
            for owner in (unit.key, *sorted(predecessors))
            for doc, branch in owned.get(owner, [])
            if branch in expectation.branches or (branch is None and expectation.branches == ANY_BRANCH)
        ),
        key=lambda d: (d.date or dt.date.max, d.key),
    )
    first = first_date(docs)
    status, delay, left = row_state(expectation.deadline, first, bool(docs), context.as_of)
    # Built from values already valid: construction without validation (a summary builds tens of thousands).
    return built(
        AuditRow,
        organization=context.shown[unit.key],
        status=status,
        deadline=expectation.deadline,
        implemented_on=first,
        delay_days=delay,
        days_left=left,
        due_soon=is_due_soon(status, left, context.within),
        documents=docs,
        via_predecessor=bool(docs and predecessors) and _own(unit, owned).isdisjoint(d.key for d in docs),
        days_after_source=(first - context.source_date).days if first and context.source_date else None,
    )


def _own(unit: Organization, owned: _Owned) -> set[str]:
    return {doc.key for doc, _ in owned.get(unit.key, [])}
