"""``lexgraph audit``: the implementation audit of one document, as a table or CSV."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from app.deps import build_store
from app.settings import get_settings
from graph.audit import AuditReport, report_csv
from graph.errors import InvalidInputError, NotFoundError
from graph.models import Document, DocumentFilter, Level
from graph.ports import GraphStore
from graph.usecases.audit import audit_document

AMBIGUOUS_EXIT = 2


class AmbiguousDocumentError(Exception):
    def __init__(self, candidates: list[Document]) -> None:
        super().__init__("ambiguous symbol")
        self.candidates = candidates


def audit_command(
    document: Annotated[str, typer.Argument(help="a document key or symbol, e.g. 43-kl-tw-2019 or 43-KL/TW")],
    level: Annotated[Level, typer.Option(help="the level of the obliged units")] = Level.province,
    as_of: Annotated[
        dt.datetime | None, typer.Option("--as-of", formats=["%Y-%m-%d"], help="audit date; today by default")
    ] = None,
    parent: Annotated[str | None, typer.Option(help="only the units under this one, e.g. thanh-hoa")] = None,
    csv: Annotated[bool, typer.Option("--csv", help="print the rows as CSV")] = False,
) -> None:
    """Who was obliged to implement a document, who did (as reported in the graph), who is late."""
    day = as_of.date() if as_of else dt.date.today()
    try:
        report = asyncio.run(_audit(document, level, day, parent))
    except AmbiguousDocumentError as e:
        typer.echo(f"'{document}' names {len(e.candidates)} documents; give one of these keys:", err=True)
        for doc in e.candidates:
            typer.echo(f"  {doc.key}\t{doc.symbol}\t{doc.date or ''}\t{doc.issuer or ''}", err=True)
        raise typer.Exit(AMBIGUOUS_EXIT) from e
    except (NotFoundError, InvalidInputError) as e:
        typer.echo(str(e), err=True)
        raise typer.Exit(1) from e
    if csv:
        typer.echo(report_csv(report), nl=False)
    else:
        _print_table(report)


async def _audit(document: str, level: Level, as_of: dt.date, parent: str | None) -> AuditReport:
    store = build_store(get_settings())
    await store.open()
    try:
        await store.migrate()
        key = await _resolve(store, document)
        return await audit_document(store, key, level=level, as_of=as_of, parent=parent)
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
    for column in ("unit", "status", "deadline", "documents", "via predecessor", "days"):
        table.add_column(column)
    for row in report.rows:
        table.add_row(
            f"{row.organization.name} ({row.organization.key})",
            row.status.value,
            str(row.deadline or ""),
            ", ".join(d.symbol for d in row.documents),
            "yes" if row.via_predecessor else "",
            "" if row.days_after_source is None else str(row.days_after_source),
        )
    console = Console()
    console.print(table)
    s = report.summary
    console.print(
        f"expected {s.expected}: implemented {s.implemented}, missing {s.missing}, overdue {s.overdue}, "
        f"not due {s.not_due}; deficit {s.deficit_percent}%"
    )
    if report.assumed_rule:
        console.print(f"assumed: {report.assumed_rule}")
    console.print(report.basis)
