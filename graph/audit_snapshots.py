"""Dated copies of audit reports, kept so that a report can later be compared with what was published."""

from __future__ import annotations

import datetime as dt
import hashlib

from pydantic import BaseModel

from graph.audit import AuditReport
from graph.audit_indicators import AuditSummary
from graph.models import Level


class AuditSnapshotInfo(BaseModel):
    """A snapshot without its rows: what a listing shows."""

    id: str
    document: str
    level: Level
    parent: str | None
    as_of: dt.date
    taken_at: dt.datetime
    summary: AuditSummary


class AuditSnapshot(AuditSnapshotInfo):
    report: AuditReport


class AuditSnapshotList(BaseModel):
    items: list[AuditSnapshotInfo]


def snapshot_of(report: AuditReport, taken_at: dt.datetime) -> AuditSnapshot:
    """A snapshot of ``report`` taken at ``taken_at``; each taking is kept, its id from what it is and when."""
    identity = "|".join(
        (report.document.key, report.level.value, report.parent or "", report.as_of.isoformat(), taken_at.isoformat())
    )
    return AuditSnapshot(
        id=f"snap-{hashlib.sha256(identity.encode()).hexdigest()[:16]}",
        document=report.document.key,
        level=report.level,
        parent=report.parent,
        as_of=report.as_of,
        taken_at=taken_at,
        summary=report.summary,
        report=report,
    )


def snapshot_row(snapshot: AuditSnapshot) -> dict[str, str | None]:
    """The flat record both stores keep: the summary and the report travel as JSON text."""
    return {
        "id": snapshot.id,
        "document": snapshot.document,
        "level": snapshot.level.value,
        "parent": snapshot.parent,
        "as_of": snapshot.as_of.isoformat(),
        "taken_at": snapshot.taken_at.isoformat(),
        "summary": snapshot.summary.model_dump_json(),
        "report": snapshot.report.model_dump_json(),
    }


def info_from_row(row: dict[str, str | None]) -> AuditSnapshotInfo:
    # A store may keep no property for a missing value (Neo4j): parent is then absent.
    data = {"parent": None} | {k: v for k, v in row.items() if k not in ("summary", "report")}
    return AuditSnapshotInfo.model_validate(data | {"summary": AuditSummary.model_validate_json(row["summary"] or "")})


def snapshot_from_row(row: dict[str, str | None]) -> AuditSnapshot:
    info = info_from_row(row)
    return AuditSnapshot(**dict(info), report=AuditReport.model_validate_json(row["report"] or ""))
