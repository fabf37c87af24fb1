"""The Scoreboard indicators of a set of audit rows: counts per state, deficit, on-time share, delays, rating.

After the EU Single Market Scoreboard (transposition deficit against a 1% target, delays in months, a colour
per member state) and the Government Office's share of tasks overdue.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import StrEnum

from pydantic import BaseModel, Field

from graph.audit_rows import AuditRow, RowStatus

DAYS_PER_MONTH = 30.44
A_YEAR = 365


class Rating(StrEnum):
    green = "green"
    amber = "amber"
    red = "red"


class WarningCode(StrEnum):
    no_units = "no_units"  # no unit of the level (under the parent) on the audit date
    no_deadline = "no_deadline"  # obligations without a plan deadline: nothing can be overdue
    proposed_links_only = "proposed_links_only"  # implementing documents reached only through proposed links


class AuditWarning(BaseModel):
    code: WarningCode
    message: str
    keys: list[str] = Field(default_factory=list, description="the obligations or documents it is about")


class RatingThresholds(BaseModel):
    """Where the colours change: green up to ``green_max`` % deficit; red above ``red_above`` % or with any row
    overdue ``red_overdue_days`` or more; amber between."""

    green_max: float = Field(1.0, ge=0, le=100)
    red_above: float = Field(5.0, ge=0, le=100)
    red_overdue_days: int = Field(A_YEAR, ge=1)


class AuditSummary(BaseModel):
    expected: int
    implemented_on_time: int
    implemented_late: int
    implemented: int
    not_due: int
    overdue: int
    missing: int
    due_soon: int
    deficit_percent: float = Field(description="(overdue + missing) / (expected - not_due) × 100")
    on_time_percent: float | None = Field(
        description="implemented_on_time / (implemented_on_time + implemented_late + overdue) × 100; null: none"
    )
    overdue_over_year: int
    delay_days: int = Field(description="days late over late and overdue rows, added up")
    delay_months_total: float
    delay_months_mean: float | None
    rating: Rating | None = Field(description="null when no unit is expected")
    warnings: list[AuditWarning] = Field(default_factory=list)


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def summarize(
    rows: Iterable[AuditRow], thresholds: RatingThresholds | None = None, warnings: Sequence[AuditWarning] = ()
) -> AuditSummary:
    """The indicators of ``rows``; ``warnings`` are carried as given."""
    thresholds = thresholds or RatingThresholds()
    listed = list(rows)
    counts = dict.fromkeys(RowStatus, 0)
    for row in listed:
        counts[row.status] += 1
    delayed = [r.delay_days or 0 for r in listed if r.status in (RowStatus.implemented_late, RowStatus.overdue)]
    overdue_days = [r.delay_days or 0 for r in listed if r.status == RowStatus.overdue]
    deficit = _percent(counts[RowStatus.overdue] + counts[RowStatus.missing], len(listed) - counts[RowStatus.not_due])
    timed = counts[RowStatus.implemented_on_time] + counts[RowStatus.implemented_late] + counts[RowStatus.overdue]
    months = sum(delayed) / DAYS_PER_MONTH
    return AuditSummary(
        expected=len(listed),
        **{status.value: counts[status] for status in RowStatus},
        due_soon=sum(r.due_soon for r in listed),
        deficit_percent=deficit or 0.0,
        on_time_percent=_percent(counts[RowStatus.implemented_on_time], timed),
        overdue_over_year=sum(d >= A_YEAR for d in overdue_days),
        delay_days=sum(delayed),
        delay_months_total=round(months, 1),
        delay_months_mean=round(months / len(delayed), 1) if delayed else None,
        rating=rating(deficit or 0.0, max(overdue_days, default=0), thresholds) if listed else None,
        warnings=list(warnings),
    )


def rating(deficit_percent: float, longest_overdue: int, thresholds: RatingThresholds) -> Rating:
    """Red above the red deficit or with anything overdue that long; green up to the green deficit; else amber."""
    if deficit_percent > thresholds.red_above or longest_overdue >= thresholds.red_overdue_days:
        return Rating.red
    return Rating.green if deficit_percent <= thresholds.green_max else Rating.amber


class StateChange(BaseModel):
    """A unit whose state changed between two audit dates (null: not expected on that date)."""

    model_config = {"populate_by_name": True, "serialize_by_alias": True}

    document: str | None = None
    organization: str
    name: str
    from_: RowStatus | None = Field(alias="from")
    to: RowStatus | None


def changes(document: str | None, now: Sequence[AuditRow], then: Sequence[AuditRow]) -> list[StateChange]:
    """The units whose state on the later date differs from the earlier one, by key."""
    before = {r.organization.key: r for r in then}
    after = {r.organization.key: r for r in now}
    names = {r.organization.key: r.organization.name for r in (*then, *now)}
    out = []
    for key in sorted(names):
        old = before[key].status if key in before else None
        new = after[key].status if key in after else None
        if old != new:
            out.append(StateChange(document=document, organization=key, name=names[key], from_=old, to=new))
    return out
