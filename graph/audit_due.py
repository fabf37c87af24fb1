"""The Monday list: obligations falling due within some days, or overdue, by document and unit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from enum import StrEnum

from pydantic import BaseModel, Field

from graph.audit import AuditReport
from graph.audit_rows import AuditUnit, RowStatus
from graph.models import Level


class DueState(StrEnum):
    due_soon = "due_soon"
    overdue = "overdue"


class DueItem(BaseModel):
    """One unit's obligation under one document that falls due soon or is overdue."""

    document: str
    symbol: str
    title: str | None
    level: Level
    organization: AuditUnit
    deadline: dt.date
    state: DueState
    days_left: int | None = Field(description="for due_soon: days until the deadline")
    delay_days: int | None = Field(description="for overdue: days past the deadline")


class DueReport(BaseModel):
    as_of: dt.date
    within: int
    due_soon: int
    overdue: int
    total: int
    items: list[DueItem] = Field(description="soonest deadline first, then document, then unit")
    next: int | None = Field(None, description="the offset of the next page; null on the last")


def due_items(reports: Iterable[AuditReport]) -> list[DueItem]:
    """The rows of ``reports`` falling due soon or overdue, in deadline, document, unit order."""
    items = [
        DueItem(
            document=report.document.key,
            symbol=report.document.symbol,
            title=report.document.title,
            level=report.level,
            organization=row.organization,
            deadline=row.deadline,
            state=DueState.overdue if row.status == RowStatus.overdue else DueState.due_soon,
            days_left=row.days_left,
            delay_days=row.delay_days,
        )
        for report in reports
        for row in report.rows
        if row.deadline is not None and (row.status == RowStatus.overdue or row.due_soon)
    ]
    return sorted(items, key=lambda i: (i.deadline, i.document, i.level, i.organization.key))


def due_report(items: Sequence[DueItem], *, as_of: dt.date, within: int, offset: int, limit: int) -> DueReport:
    """One page of ``items`` with the counts over all of them."""
    page = list(items[offset : offset + limit])
    overdue = sum(i.state == DueState.overdue for i in items)
    return DueReport(
        as_of=as_of,
        within=within,
        due_soon=len(items) - overdue,
        overdue=overdue,
        total=len(items),
        items=page,
        next=offset + limit if offset + limit < len(items) else None,
    )
