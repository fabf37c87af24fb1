"""One audit row per obliged unit: its state against the plan deadline, from the earliest implementing document.

The states are those of the Government Office's task tracking (done on time, done late, pending within the
deadline, pending overdue), plus ``implemented`` and ``missing`` for obligations without a deadline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from enum import StrEnum
from typing import Any, TypeVar

from pydantic import BaseModel, Field

from graph.models import Level
from graph.records import constructed

DEFAULT_WITHIN = 30
M = TypeVar("M", bound=BaseModel)


class RowStatus(StrEnum):
    implemented_on_time = "implemented_on_time"
    implemented_late = "implemented_late"
    implemented = "implemented"  # implemented, no deadline (or no date to measure against it)
    not_due = "not_due"
    overdue = "overdue"
    missing = "missing"  # not implemented, no deadline

    @property
    def is_implemented(self) -> bool:
        return self in IMPLEMENTED


IMPLEMENTED = frozenset({RowStatus.implemented_on_time, RowStatus.implemented_late, RowStatus.implemented})


class AuditUnit(BaseModel):
    key: str
    name: str = Field(description="the name the unit bore on the audit date")
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
    proposed: bool = Field(False, description="reached only through links still proposed (not yet accepted)")


class AuditRow(BaseModel):
    organization: AuditUnit
    status: RowStatus
    deadline: dt.date | None
    implemented_on: dt.date | None = Field(None, description="the date of the earliest implementing document")
    delay_days: int | None = Field(None, description="days past the deadline: implemented late, or overdue")
    days_left: int | None = Field(None, description="days until the deadline, for a row not yet due")
    due_soon: bool = Field(False, description="not yet due, with the deadline within `within` days")
    documents: list[AuditDocument]
    via_predecessor: bool
    days_after_source: int | None


def row_state(
    deadline: dt.date | None, first: dt.date | None, implemented: bool, as_of: dt.date
) -> tuple[RowStatus, int | None, int | None]:
    """The state of a row, its delay in days and its days left; the earliest implementing date ``first`` decides."""
    if implemented:
        if deadline is None or first is None:
            return RowStatus.implemented, None, None
        if first <= deadline:
            return RowStatus.implemented_on_time, None, None
        return RowStatus.implemented_late, (first - deadline).days, None
    if deadline is None:
        return RowStatus.missing, None, None
    if as_of <= deadline:
        return RowStatus.not_due, None, (deadline - as_of).days
    return RowStatus.overdue, (as_of - deadline).days, None


def is_due_soon(status: RowStatus, days_left: int | None, within: int) -> bool:
    return status == RowStatus.not_due and days_left is not None and days_left <= within


def first_date(documents: Sequence[AuditDocument]) -> dt.date | None:
    return min((d.date for d in documents if d.date is not None), default=None)


def built(cls: type[M], **values: Any) -> M:
    """A model from a value for every one of its fields in declaration order, each already valid (see
    :func:`graph.records.constructed`): a national summary builds a hundred thousand."""
    return constructed(cls, values)
