"""The Scoreboard across documents: per unit and per document, the indicators of their audit rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pydantic import BaseModel, Field

from graph.audit import BASIS, AuditReport, SummarySort
from graph.audit_indicators import AuditSummary, AuditWarning, RatingThresholds, StateChange, changes, summarize
from graph.audit_rows import DEFAULT_WITHIN, AuditRow, AuditUnit, built
from graph.models import Level
from graph.text import fold


class UnitScore(BaseModel):
    """One unit across every document obliging its level: the Scoreboard line."""

    organization: AuditUnit
    summary: AuditSummary


class DocumentScore(BaseModel):
    """One document across the units it obliges."""

    key: str
    symbol: str
    title: str | None
    date: dt.date | None
    summary: AuditSummary


class SummaryReport(BaseModel):
    level: Level
    as_of: dt.date
    sort: SummarySort
    within: int = DEFAULT_WITHIN
    summary: AuditSummary = Field(description="every row of every document")
    documents: list[DocumentScore]
    items: list[UnitScore]
    compare_to: dt.date | None = None
    changes: list[StateChange] | None = Field(None, description="with compare_to: (document, unit) states changed")
    deficit_change: float | None = None
    thresholds: RatingThresholds = Field(default_factory=RatingThresholds)
    basis: str = BASIS


def summary_report(
    reports: Sequence[AuditReport],
    *,
    level: Level,
    as_of: dt.date,
    sort: SummarySort,
    within: int,
    thresholds: RatingThresholds,
) -> SummaryReport:
    """The Scoreboard of ``reports`` (audits of one level on one day)."""
    rows = [row for report in reports for row in report.rows]
    return SummaryReport(
        level=level,
        as_of=as_of,
        sort=sort,
        within=within,
        summary=summarize(rows, thresholds, _merged_warnings(reports)),
        documents=[
            built(
                DocumentScore,
                key=r.document.key,
                symbol=r.document.symbol,
                title=r.document.title,
                date=r.document.date,
                summary=r.summary,
            )
            for r in reports
        ],
        items=score_units(reports, sort, thresholds),
        thresholds=thresholds,
    )


def compared_summary(
    report: SummaryReport,
    now: Sequence[AuditReport],
    then: Sequence[AuditReport],
    compare_to: dt.date,
    earlier: SummaryReport,
) -> SummaryReport:
    """``report`` with the (document, unit) states changed since ``compare_to`` and the change of its deficit."""
    before = {r.document.key: r.rows for r in then}
    after = {r.document.key: r.rows for r in now}
    changed = [
        c for key in sorted(before.keys() | after.keys()) for c in changes(key, after.get(key, []), before.get(key, []))
    ]
    return report.model_copy(
        update={
            "compare_to": compare_to,
            "changes": changed,
            "deficit_change": round(report.summary.deficit_percent - earlier.summary.deficit_percent, 1),
        }
    )


def _merged_warnings(reports: Sequence[AuditReport]) -> list[AuditWarning]:
    """One warning per code over every report, naming every obligation or document it is about."""
    merged: dict[str, AuditWarning] = {}
    for report in reports:
        for warning in report.summary.warnings:
            seen = merged.get(warning.code)
            keys = sorted({*(seen.keys if seen else []), *warning.keys})
            merged[warning.code] = warning.model_copy(update={"keys": keys})
    return [merged[code] for code in sorted(merged)]


def score_units(reports: Sequence[AuditReport], sort: SummarySort, thresholds: RatingThresholds) -> list[UnitScore]:
    """Per unit, its rows across ``reports`` summed up, sorted worst first (or by name)."""
    units: dict[str, AuditUnit] = {}
    rows: dict[str, list[AuditRow]] = {}
    for report in reports:
        for row in report.rows:
            units[row.organization.key] = row.organization
            rows.setdefault(row.organization.key, []).append(row)
    scores = [UnitScore(organization=unit, summary=summarize(rows[key], thresholds)) for key, unit in units.items()]

    def order(s: UnitScore) -> tuple[float, float, str, str]:
        # "An Giang" rather than "Tỉnh An Giang": the short name drops the "Tỉnh"/"Thành phố" prefix.
        name = (fold(s.organization.short_name or s.organization.name), s.organization.key)
        if sort == SummarySort.name:
            return (0, 0, *name)
        if sort == SummarySort.overdue:
            return (-s.summary.overdue, -s.summary.deficit_percent, *name)
        return (-s.summary.deficit_percent, -s.summary.overdue, *name)

    return sorted(scores, key=order)
