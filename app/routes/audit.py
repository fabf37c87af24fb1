"""The implementation audit: who was obliged to implement a document, who did, who is late."""

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from app.deps import AuditDep
from app.routing import StrictJsonRoute
from graph.audit import AuditReport, SummaryReport, SummarySort, report_csv
from graph.models import Day, Level
from graph.usecases.audit import audit_document, audit_summary

router = APIRouter(route_class=StrictJsonRoute, prefix="/audit", tags=["audit"])

AsOf = Annotated[Day | None, Query(description="the audit date; today by default")]


@router.get(
    "/implementation",
    response_model=AuditReport,
    responses={200: {"content": {"text/csv": {}}, "description": "the report, or its rows as CSV"}},
)
async def implementation(
    store: AuditDep,
    document: Annotated[str, Query(min_length=1, max_length=200, description="the key of the obliging document")],
    level: Level = Level.province,
    as_of: AsOf = None,
    parent: Annotated[str | None, Query(max_length=200, description="only the units under this one")] = None,
    output: Annotated[Literal["json", "csv"], Query(alias="format")] = "json",
) -> AuditReport | Response:
    """One row per obliged unit of ``level`` valid on ``as_of``: implemented, missing, overdue or not yet due.

    As reported in the graph (implements/continues chains), not checked for conformity.
    """
    report = await audit_document(store, document, level=level, as_of=as_of or dt.date.today(), parent=parent or None)
    if output == "csv":
        return Response(report_csv(report), media_type="text/csv; charset=utf-8")
    return report


@router.get("/summary", response_model=SummaryReport)
async def summary(
    store: AuditDep, level: Level = Level.province, as_of: AsOf = None, sort: SummarySort = SummarySort.deficit
) -> SummaryReport:
    """Per unit of ``level``, across every document with a confirmed obligation at that level: the Scoreboard view."""
    return await audit_summary(store, level=level, as_of=as_of or dt.date.today(), sort=sort)
