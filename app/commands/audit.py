"""``lexgraph audit``: the implementation audit of one document (a table, CSV or XLSX), and dated snapshots of it.

``lexgraph audit DOCUMENT`` audits; ``lexgraph audit snapshot DOCUMENT`` keeps a dated copy of the audit
(no document key is the word "snapshot": keys carry a year).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from rich.console import Console
from rich.table import Table

from app.deps import build_store
from app.settings import get_settings
from graph.audit import AuditReport
from graph.audit_indicators import RatingThresholds
from graph.audit_report import report_csv, report_xlsx
from graph.errors import InvalidInputError, NotFoundError
from graph.models import Document, DocumentFilter, Level
from graph.ports import GraphStore
from graph.usecases.audit import AuditOptions, audit_document, take_snapshot

AMBIGUOUS_EXIT = 2
SNAPSHOT = "snapshot"


class AmbiguousDocumentError(Exception):
    def __init__(self, candidates: list[Document]) -> None:
        super().__init__("ambiguous symbol")
        self.candidates = candidates


DocumentArg = Annotated[
    str, typer.Argument(help="a document key or symbol, e.g. 43-kl-tw-2019 or 43-KL/TW; or 'snapshot' and one")
]
SnapshotArg = Annotated[str | None, typer.Argument(help="after 'snapshot': the document to keep a dated copy of")]
LevelOpt = Annotated[Level, typer.Option(help="the level of the obliged units")]
AsOfOpt = Annotated[
    dt.datetime | None, typer.Option("--as-of", formats=["%Y-%m-%d"], help="audit date; today by default")
]
ParentOpt = Annotated[str | None, typer.Option(help="only the units under this one, e.g. thanh-hoa")]


def audit_command(
    document: DocumentArg,
    snapshot_of: SnapshotArg = None,
    level: LevelOpt = Level.province,
    as_of: AsOfOpt = None,
    parent: ParentOpt = None,
    within: Annotated[int, typer.Option(min=0, help="days ahead a deadline counts as due soon")] = 30,
    output: Annotated[Literal["table", "csv", "xlsx"], typer.Option("--format", help="table, csv or xlsx")] = "table",
    csv: Annotated[bool, typer.Option("--csv", help="print the rows as CSV (the same as --format csv)")] = False,
    out: Annotated[Path | None, typer.Option("--out", help="write to this file (needed for xlsx)")] = None,
) -> None:
    """Who was obliged to implement a document, who did (as reported in the graph), on time or late, who is late.

    ``lexgraph audit snapshot DOCUMENT`` keeps a dated copy instead (listed by GET /audit/snapshots).
    """
    if snapshot_of is not None:
        if document != SNAPSHOT:
            typer.echo(f"one document at a time: '{snapshot_of}' is one too many", err=True)
            raise typer.Exit(1)
        _snapshot(snapshot_of, level, as_of.date() if as_of else dt.date.today(), parent)
        return
    settings = get_settings()
    thresholds = RatingThresholds(
        green_max=settings.audit_green_max,
        red_above=settings.audit_red_above,
        red_overdue_days=settings.audit_red_overdue_days,
    )
    options = AuditOptions(within=within, thresholds=thresholds)
    day = as_of.date() if as_of else dt.date.today()
    report = _run(
        document, lambda store, key: audit_document(store, key, level=level, as_of=day, parent=parent, options=options)
    )
    kind = "csv" if csv else output
    if kind == "xlsx" and out is None:
        typer.echo("--format xlsx writes a file: give --out FILE", err=True)
        raise typer.Exit(1)
    if kind == "table":
        _print_table(report)
    elif out is not None:
        out.write_bytes(report_xlsx(report) if kind == "xlsx" else report_csv(report).encode("utf-8"))
        typer.echo(f"wrote {out}")
    else:
        typer.echo(report_csv(report), nl=False)


def _snapshot(document: str, level: Level, day: dt.date, parent: str | None) -> None:
    """Keep a dated copy of a document's audit, to compare later with what was published."""
    taken = _run(
        document,
        lambda store, key: take_snapshot(
            store, key, level=level, as_of=day, parent=parent, taken_at=dt.datetime.now(dt.UTC)
        ),
    )
    s = taken.summary
    typer.echo(f"{taken.id}\t{taken.document}\t{taken.level.value}\t{taken.as_of}\tdeficit {s.deficit_percent}%")


def _run(document: str, work: Callable[[GraphStore, str], Awaitable[Any]]) -> Any:
    try:
        return asyncio.run(_with_document(document, work))
    except AmbiguousDocumentError as e:
        typer.echo(f"'{document}' names {len(e.candidates)} documents; give one of these keys:", err=True)
        for doc in e.candidates:
            typer.echo(f"  {doc.key}\t{doc.symbol}\t{doc.date or ''}\t{doc.issuer or ''}", err=True)
        raise typer.Exit(AMBIGUOUS_EXIT) from e
    except (NotFoundError, InvalidInputError) as e:
        typer.echo(str(e), err=True)
        raise typer.Exit(1) from e


async def _with_document(document: str, work: Callable[[GraphStore, str], Awaitable[Any]]) -> Any:
    store = build_store(get_settings())
    await store.open()
    try:
        await store.migrate()
        return await work(store, await _resolve(store, document))
    finally:
        await store.close()


async def _resolve(store: GraphStore, document: str) -> str:
    """A key as given, else the one document the symbol names."""
    try:
        return (await store.get_document(document)).key
    except NotFoundError:
        candidates = await store.find_documents(DocumentFilter(symbol=document))
    if not candidates:
        raise NotFoundError("document", document)
    if len(candidates) > 1:
        raise AmbiguousDocumentError(candidates)
    return candidates[0].key


def _print_table(report: AuditReport) -> None:
    source = report.document
    table = Table(title=f"{source.symbol} ({source.key}) — {report.level.value} level, as of {report.as_of}")
    for column in ("unit", "status", "deadline", "delay", "documents", "via predecessor", "days"):
        table.add_column(column)
    for row in report.rows:
        table.add_row(
            f"{row.organization.name} ({row.organization.key})",
            row.status.value + (" (due soon)" if row.due_soon else ""),
            str(row.deadline or ""),
            "" if row.delay_days is None else str(row.delay_days),
            ", ".join(d.symbol for d in row.documents),
            "yes" if row.via_predecessor else "",
            "" if row.days_after_source is None else str(row.days_after_source),
        )
    console = Console()
    console.print(table)
    s = report.summary
    console.print(
        f"expected {s.expected}: on time {s.implemented_on_time}, late {s.implemented_late}, implemented "
        f"{s.implemented}, not due {s.not_due} ({s.due_soon} due soon), overdue {s.overdue}, missing {s.missing}; "
        f"deficit {s.deficit_percent}%, rating {s.rating.value if s.rating else '-'}"
    )
    for warning in s.warnings:
        console.print(f"warning: {warning.message}")
    if report.assumed_rule:
        console.print(f"assumed: {report.assumed_rule}")
    console.print(report.basis)
