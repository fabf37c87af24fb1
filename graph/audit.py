"""The implementation audit: which units were obliged to implement a document, which did, which are late.

The model is EUR-Lex's national transposition measures and the Single Market Scoreboard: one row per
obliged unit, and a deficit over the units whose deadline has passed (or that have none). The logic here
is pure and store-independent; :func:`audit_document` and :func:`audit_summary` only gather its inputs.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel

from graph.errors import InvalidInputError
from graph.models import (
    Branch,
    Document,
    Implementer,
    Level,
    Organization,
)
from graph.obligations import ObligationStatus, RecordedObligation
from graph.symbols import parse_symbol
from graph.text import fold

BASIS = (
    "As reported in the graph: a unit counts as having implemented the document when one of its bodies issued, "
    "on or before the audit date, a document linked to it by a chain of implements/continues links. The "
    "implementing documents are not checked for conformity with the source. deficit_percent is the share of "
    "units not implemented among those whose deadline has passed or that have none."
)
ANY_BRANCH: frozenset[Branch] = frozenset(Branch)


class RowStatus(StrEnum):
    implemented = "implemented"
    missing = "missing"  # not implemented, no deadline
    overdue = "overdue"
    not_due = "not_due"


class SummarySort(StrEnum):
    deficit = "deficit"
    name = "name"
    overdue = "overdue"


class AuditUnit(BaseModel):
    key: str
    name: str
    short_name: str | None = None
    level: Level


class AuditDocument(BaseModel):
    """An implementing document; ``via`` lists the documents between the source and it."""

    key: str
    symbol: str
    date: dt.date | None
    issuer: str | None
    jurisdiction: str | None
    via: list[str]


class AuditRow(BaseModel):
    organization: AuditUnit
    status: RowStatus
    deadline: dt.date | None
    documents: list[AuditDocument]
    via_predecessor: bool
    days_after_source: int | None


class AuditSummary(BaseModel):
    expected: int
    implemented: int
    missing: int
    overdue: int
    not_due: int
    deficit_percent: float


class AuditReport(BaseModel):
    document: Document
    as_of: dt.date
    level: Level
    parent: str | None
    obligations: list[str]
    assumed_rule: str | None
    summary: AuditSummary
    rows: list[AuditRow]
    basis: str = BASIS


class UnitScore(BaseModel):
    """One unit across every document obliging its level: the Scoreboard line."""

    organization: AuditUnit
    obligations: int
    implemented: int
    missing: int
    overdue: int
    not_due: int
    deficit_percent: float


class SummaryReport(BaseModel):
    level: Level
    as_of: dt.date
    sort: SummarySort
    documents: list[str]
    items: list[UnitScore]
    basis: str = BASIS


@dataclass(frozen=True)
class _Expectation:
    deadline: dt.date | None
    branches: frozenset[Branch]


def document_branch(doc: Document, issuer: Organization | None) -> Branch | None:
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


def summarize(statuses: Iterable[RowStatus]) -> AuditSummary:
    """Counts by status and the deficit: not implemented / (expected - not yet due), in percent."""
    listed = list(statuses)
    counts = {status: listed.count(status) for status in RowStatus}
    assessed = len(listed) - counts[RowStatus.not_due]
    shortfall = counts[RowStatus.missing] + counts[RowStatus.overdue]
    return AuditSummary(
        expected=len(listed),
        implemented=counts[RowStatus.implemented],
        missing=counts[RowStatus.missing],
        overdue=counts[RowStatus.overdue],
        not_due=counts[RowStatus.not_due],
        deficit_percent=round(100 * shortfall / assessed, 1) if assessed else 0.0,
    )


def audit(
    source: Document,
    *,
    level: Level,
    as_of: dt.date,
    parent: str | None,
    source_branch: Branch | None,
    obligations: Sequence[RecordedObligation],
    organizations: Sequence[Organization],
    implementers: Sequence[Implementer],
) -> AuditReport:
    """The audit of ``source`` at ``level`` on ``as_of``.

    ``organizations`` must hold every organization of ``level`` at any date (units, their bodies and their
    predecessors); ``implementers`` every document implementing ``source`` (with its chain).
    Only confirmed obligations of ``level`` apply; without one, every unit is assumed obliged, without deadline.
    """
    require_issued(source, as_of)
    by_key = {o.key: o for o in organizations}
    units = sorted(
        (
            o
            for o in organizations
            if is_unit(o, level) and o.valid_on(as_of) and (parent is None or o.parent == parent)
        ),
        key=lambda o: o.key,
    )
    ancestry = {u.key: predecessors_of(u.key, by_key) for u in units}
    applied = [o for o in obligations if o.level == level and o.status == ObligationStatus.confirmed]
    default_branches = ANY_BRANCH if source_branch is None or not level.is_local else frozenset({source_branch})
    if applied:
        expectations = _expectations(units, ancestry, applied, source.date, default_branches)
        assumed = None
    else:
        expectations = {u.key: _Expectation(None, default_branches) for u in units}
        assumed = _assumed_rule(level, as_of, parent, default_branches)
    owned = _documents_by_owner(implementers, by_key, level, as_of)
    rows = [
        _row(unit, expectations[unit.key], ancestry[unit.key], owned, source.date, level, as_of)
        for unit in units
        if unit.key in expectations
    ]
    return AuditReport(
        document=source,
        as_of=as_of,
        level=level,
        parent=parent,
        obligations=sorted(o.id for o in applied),
        assumed_rule=assumed,
        summary=summarize(r.status for r in rows),
        rows=rows,
    )


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
    for unit in units:
        covering = [o for o in obligations if _covers(o, unit, ancestry[unit.key])]
        if not covering:
            continue
        dues = [d for d in (o.plan_due(source_date) for o in covering) if d is not None]
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


def _owner(doc: Document, level: Level) -> str | None:
    """The unit a document speaks for: its jurisdiction for local levels, its issuer for national ones."""
    return doc.jurisdiction if level.is_local else doc.issuer


def _issued_by(doc: Document, as_of: dt.date) -> bool:
    if doc.date is not None:
        return doc.date <= as_of
    return doc.year is None or doc.year <= as_of.year


def _documents_by_owner(
    implementers: Sequence[Implementer], organizations: Mapping[str, Organization], level: Level, as_of: dt.date
) -> dict[str, list[tuple[Implementer, Branch | None]]]:
    owned: dict[str, list[tuple[Implementer, Branch | None]]] = {}
    for doc in implementers:
        owner = _owner(doc, level)
        if doc.level != level or owner is None or not _issued_by(doc, as_of):
            continue
        issuer = organizations.get(doc.issuer) if doc.issuer else None
        owned.setdefault(owner, []).append((doc, document_branch(doc, issuer)))
    return owned


def _row(
    unit: Organization,
    expectation: _Expectation,
    predecessors: set[str],
    owned: Mapping[str, list[tuple[Implementer, Branch | None]]],
    source_date: dt.date | None,
    level: Level,
    as_of: dt.date,
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
    if docs:
        status = RowStatus.implemented
    elif expectation.deadline is None:
        status = RowStatus.missing
    else:
        status = RowStatus.not_due if as_of <= expectation.deadline else RowStatus.overdue
    first = docs[0].date if docs else None
    return AuditRow(
        organization=AuditUnit(key=unit.key, name=unit.name, short_name=unit.short_name, level=unit.level),
        status=status,
        deadline=expectation.deadline,
        documents=[
            AuditDocument(
                key=d.key, symbol=d.symbol, date=d.date, issuer=d.issuer, jurisdiction=d.jurisdiction, via=d.via
            )
            for d in docs
        ],
        via_predecessor=bool(docs) and all(_owner(d, level) != unit.key for d in docs),
        days_after_source=(first - source_date).days if first and source_date else None,
    )


def score_units(reports: Sequence[AuditReport], sort: SummarySort) -> list[UnitScore]:
    """Per unit, its rows across ``reports`` summed up, sorted worst first (or by name)."""
    units: dict[str, AuditUnit] = {}
    statuses: dict[str, list[RowStatus]] = {}
    for report in reports:
        for row in report.rows:
            units[row.organization.key] = row.organization
            statuses.setdefault(row.organization.key, []).append(row.status)
    scores = []
    for key, unit in units.items():
        summary = summarize(statuses[key])
        scores.append(
            UnitScore(organization=unit, obligations=summary.expected, **summary.model_dump(exclude={"expected"}))
        )

    def order(s: UnitScore) -> tuple[float, float, str, str]:
        # "An Giang" rather than "Tỉnh An Giang": the short name drops the "Tỉnh"/"Thành phố" prefix.
        name = (fold(s.organization.short_name or s.organization.name), s.organization.key)
        if sort == SummarySort.name:
            return (0, 0, *name)
        if sort == SummarySort.overdue:
            return (-s.overdue, -s.deficit_percent, *name)
        return (-s.deficit_percent, -s.overdue, *name)

    return sorted(scores, key=order)


CSV_HEADER = [
    "organization",
    "name",
    "level",
    "status",
    "deadline",
    "via_predecessor",
    "days_after_source",
    "documents",
    "symbols",
]


def report_csv(report: AuditReport) -> str:
    """The rows of a report as CSV, one line per unit after a header line."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for row in report.rows:
        writer.writerow(
            [
                row.organization.key,
                row.organization.name,
                row.organization.level.value,
                row.status.value,
                row.deadline.isoformat() if row.deadline else "",
                "true" if row.via_predecessor else "false",
                "" if row.days_after_source is None else row.days_after_source,
                " ".join(d.key for d in row.documents),
                "; ".join(d.symbol for d in row.documents),
            ]
        )
    return out.getvalue()
