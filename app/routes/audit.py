"""The implementation audit: who was obliged to implement a document, who did, on time or late, who is due soon."""

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Response

from app.deps import SettingsDep, get_store
from app.routing import StrictJsonRoute
from graph.audit import AuditReport, SummarySort
from graph.audit_due import DueReport
from graph.audit_indicators import RatingThresholds
from graph.audit_report import (
    CSV_MEDIA_TYPE,
    XLSX_MEDIA_TYPE,
    report_csv,
    report_filename,
    report_xlsx,
    summary_csv,
    summary_filename,
    summary_xlsx,
)
from graph.audit_rows import DEFAULT_WITHIN
from graph.audit_snapshots import AuditSnapshot, AuditSnapshotList
from graph.audit_summary import SummaryReport
from graph.models import Day, Level, ReviewScope
from graph.usecases.audit import AuditOptions, AuditStore, audit_document, audit_due, audit_summary

router = APIRouter(route_class=StrictJsonRoute, prefix="/audit", tags=["audit"])

AuditStoreDep = Annotated[AuditStore, Depends(get_store)]
AsOf = Annotated[Day | None, Query(description="the audit date; today by default")]
Format = Literal["json", "csv", "xlsx"]
FILES = {
    200: {
        "content": {CSV_MEDIA_TYPE: {}, XLSX_MEDIA_TYPE: {}},
        "description": "the report; with format=csv or xlsx, a file to open in a spreadsheet",
    }
}


def audit_options(
    settings: SettingsDep,
    within: Annotated[
        int, Query(ge=0, le=3650, description="days ahead a deadline counts as due soon")
    ] = DEFAULT_WITHIN,
    compare_to: Annotated[Day | None, Query(description="an earlier date: list the units whose state changed")] = None,
    review: Annotated[ReviewScope, Query(description="which links count: not_rejected or accepted only")] = (
        ReviewScope.not_rejected
    ),
    green: Annotated[float | None, Query(ge=0, le=100, description="green up to this deficit %")] = None,
    red: Annotated[float | None, Query(ge=0, le=100, description="red above this deficit %")] = None,
    red_overdue_days: Annotated[int | None, Query(ge=1, le=36500, description="red when overdue this long")] = None,
) -> AuditOptions:
    """The audit's options from the query, the colours defaulting to the settings."""
    thresholds = RatingThresholds(
        green_max=settings.audit_green_max if green is None else green,
        red_above=settings.audit_red_above if red is None else red,
        red_overdue_days=settings.audit_red_overdue_days if red_overdue_days is None else red_overdue_days,
    )
    return AuditOptions(within=within, thresholds=thresholds, review=review, compare_to=compare_to)


Options = Annotated[AuditOptions, Depends(audit_options)]


def _file(content: str | bytes, media_type: str, filename: str) -> Response:
    return Response(
        content, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


@router.get("/implementation", response_model=AuditReport, responses=FILES)  # type: ignore[arg-type]
async def implementation(
    store: AuditStoreDep,
    document: Annotated[str, Query(min_length=1, max_length=200, description="the key of the obliging document")],
    options: Options,
    level: Level = Level.province,
    as_of: AsOf = None,
    parent: Annotated[str | None, Query(max_length=200, description="only the units under this one")] = None,
    output: Annotated[Format, Query(alias="format")] = "json",
) -> AuditReport | Response:
    """One row per obliged unit of ``level`` valid on ``as_of``: implemented on time, late, or without deadline;
    not yet due (due soon within ``within`` days); overdue; missing. With the Scoreboard indicators.

    As reported in the graph (implements/continues chains), not checked for conformity.
    """
    day = as_of or dt.date.today()
    report = await audit_document(store, document, level=level, as_of=day, parent=parent or None, options=options)
    if output == "csv":
        return _file(report_csv(report), CSV_MEDIA_TYPE, report_filename(report, "csv"))
    if output == "xlsx":
        return _file(report_xlsx(report), XLSX_MEDIA_TYPE, report_filename(report, "xlsx"))
    return report


@router.get("/summary", response_model=SummaryReport, responses=FILES)  # type: ignore[arg-type]
async def summary(
    store: AuditStoreDep,
    options: Options,
    level: Level = Level.province,
    as_of: AsOf = None,
    sort: SummarySort = SummarySort.deficit,
    output: Annotated[Format, Query(alias="format")] = "json",
) -> SummaryReport | Response:
    """Per unit and per document of ``level``, across every document with a confirmed obligation at that level:
    the Scoreboard view."""
    report = await audit_summary(store, level=level, as_of=as_of or dt.date.today(), sort=sort, options=options)
    if output == "csv":
        return _file(summary_csv(report), CSV_MEDIA_TYPE, summary_filename(report, "csv"))
    if output == "xlsx":
        return _file(summary_xlsx(report), XLSX_MEDIA_TYPE, summary_filename(report, "xlsx"))
    return report


@router.get("/due", response_model=DueReport)
async def due(
    store: AuditStoreDep,
    as_of: AsOf = None,
    within: Annotated[
        int, Query(ge=0, le=3650, description="days ahead a deadline counts as due soon")
    ] = DEFAULT_WITHIN,
    review: ReviewScope = ReviewScope.not_rejected,
    limit: Annotated[int, Query(ge=1, le=5000, description="items per page")] = 500,
    offset: Annotated[int, Query(ge=0, le=1_000_000, description="items to skip (the 'next' of the last page)")] = 0,
) -> DueReport:
    """Obligations falling due within ``within`` days of ``as_of``, or overdue, by document and unit: soonest first."""
    day = as_of or dt.date.today()
    return await audit_due(store, as_of=day, within=within, offset=offset, limit=limit, review=review)


@router.get("/snapshots", response_model=AuditSnapshotList)
async def snapshots(
    store: AuditStoreDep,
    document: Annotated[str | None, Query(max_length=200, description="the snapshots of this document")] = None,
) -> AuditSnapshotList:
    """Dated copies of audit reports (``lexgraph audit snapshot``), without their rows."""
    return AuditSnapshotList(items=await store.list_audit_snapshots(document=document))


@router.get("/snapshots/{snapshot_id}", response_model=AuditSnapshot)
async def snapshot(
    store: AuditStoreDep, snapshot_id: Annotated[str, Path(max_length=40, pattern=r"^snap-[0-9a-f]{16}$")]
) -> AuditSnapshot:
    """One snapshot with the report as it was when taken."""
    return await store.get_audit_snapshot(snapshot_id)
