"""``lexgraph synth``, ``import`` and ``export``: national-scale graphs into and out of the configured store."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from app.deps import with_store
from app.settings import get_settings
from graph.bulk import ExportFormat, RecordKind
from graph.errors import LexgraphError
from graph.ports import GraphStore
from graph.synth import synthesize
from graph.usecases.bulk_export import run_export
from graph.usecases.bulk_import import DEFAULT_BATCH_SIZE, ImportReport, run_import


class RateColumn(ProgressColumn):
    """Rows per second."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f}/s" if speed else "-/s", style="progress.data.speed")


def _progress(show: bool) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TimeElapsedColumn(),
        TextColumn("eta"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        disable=not show,
    )


async def _import_with_progress(store: GraphStore, path: Path, *, batch_size: int, restart: bool) -> ImportReport:
    with _progress(True) as progress:
        return await run_import(store, path, batch_size=batch_size, restart=restart, progress=progress)


async def _export_with_progress(
    store: GraphStore, fmt: ExportFormat, out: Path, *, batch_size: int
) -> dict[RecordKind, int]:
    with _progress(True) as progress:
        return await run_export(store, fmt, out, batch_size=batch_size, progress=progress)


def _fail(error: Exception) -> typer.Exit:
    typer.echo(f"error: {error}", err=True)
    return typer.Exit(1)


def synth_command(
    out: Annotated[Path, typer.Option(file_okay=False, help="directory for the three NDJSON files")],
    documents: Annotated[int, typer.Option(min=1, help="number of documents")] = 10_000,
    seed: Annotated[int, typer.Option(help="random seed; the same seed gives the same bytes")] = 0,
) -> None:
    """Write a synthetic national graph (organizations, documents, links) as NDJSON."""
    counts = synthesize(out, documents, seed)
    typer.echo(f"{out}: {counts.documents} documents, {counts.links} links, {counts.organizations} organizations")


def import_command(
    path: Annotated[Path, typer.Argument(exists=True, help="a directory of NDJSON/CSV files, or one file")],
    batch_size: Annotated[int, typer.Option(min=1, help="records per transaction")] = DEFAULT_BATCH_SIZE,
    restart: Annotated[bool, typer.Option(help="ignore checkpoints of earlier runs and import everything")] = False,
) -> None:
    """Bulk-import organizations, documents and links; resumes after the last committed batch."""
    settings = get_settings()
    # A batch is one transaction of thousands of rows: it gets the bulk timeout, not the API's per-query one.
    bulk = settings.model_copy(update={"neo4j_query_timeout": settings.neo4j_bulk_timeout})
    try:
        report: ImportReport = asyncio.run(
            with_store(bulk, lambda store: _import_with_progress(store, path, batch_size=batch_size, restart=restart))
        )
    except LexgraphError as e:
        raise _fail(e) from e
    written = ", ".join(f"{n} {kind.value}" for kind, n in report.written.items())
    skipped = f"; {report.skipped_lines} lines already imported" if report.skipped_lines else ""
    typer.echo(f"imported {written} in {report.seconds:.1f}s{skipped}")


def export_command(
    out: Annotated[Path, typer.Option(help="a directory for ndjson and csv, a file for graphml and jsonld")],
    format: Annotated[ExportFormat, typer.Option("--format", help="output format")] = ExportFormat.ndjson,
    batch_size: Annotated[int, typer.Option(min=1, help="records fetched per page")] = DEFAULT_BATCH_SIZE,
) -> None:
    """Export the whole graph, streamed page by page."""
    try:
        written: dict[RecordKind, int] = asyncio.run(
            with_store(get_settings(), lambda store: _export_with_progress(store, format, out, batch_size=batch_size))
        )
    except LexgraphError as e:
        raise _fail(e) from e
    typer.echo(f"{out}: " + ", ".join(f"{n} {kind.value}" for kind, n in written.items()))
