"""``lexgraph synth``, ``import`` and ``export``: national-scale graphs into and out of the configured store."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

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
from graph.bulk import (
    Batch,
    BulkInputError,
    ExportFormat,
    ImportBatchError,
    ImportCheckpoint,
    InputFile,
    LinkRow,
    RecordKind,
    count_lines,
    fingerprint,
    input_files,
    open_writer,
    read_batches_in_subprocess,
)
from graph.errors import LexgraphError, NotFoundError
from graph.ports import GraphStore
from graph.synth import synthesize

DEFAULT_BATCH_SIZE = 20_000


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


@dataclass
class ImportReport:
    """What one run wrote, per record kind, and how many lines a checkpoint let it skip."""

    written: dict[RecordKind, int] = field(default_factory=lambda: dict.fromkeys(RecordKind, 0))
    skipped_lines: int = 0
    seconds: float = 0.0


async def run_import(
    store: GraphStore,
    path: Path,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    restart: bool = False,
    show_progress: bool = False,
) -> ImportReport:
    """Import a file or directory: organizations, documents, then links, each batch one transaction.

    A batch commits together with a checkpoint (file, fingerprint, last line), so a re-run resumes
    after the last committed batch; ``restart`` ignores checkpoints. Writes replace records of the
    same key, so a full re-run duplicates nothing either. The next batch is parsed in another process
    while the store writes the current one; one batch at most is in flight, so checkpoints advance in
    order and a bad line stops the import after every batch before it has committed. What a first
    load set aside is restored at the end, whether the import succeeded or not.
    """
    files = input_files(path)
    report = ImportReport()
    started = time.perf_counter()
    try:
        with _progress(show_progress) as progress:
            for file in files:
                await store.begin_import(file.kind)
                await _import_file(store, file, report, progress, batch_size=batch_size, restart=restart)
    finally:
        await store.end_import()
    report.seconds = time.perf_counter() - started
    return report


async def _import_file(
    store: GraphStore, file: InputFile, report: ImportReport, progress: Progress, *, batch_size: int, restart: bool
) -> None:
    mark = fingerprint(file.path)
    saved = None if restart else await store.import_checkpoint(file.source)
    after = saved.line if saved is not None and saved.fingerprint == mark else 0
    report.skipped_lines += after
    task = progress.add_task(file.path.name, total=count_lines(file.path), completed=after)

    async def write(batch: Batch[Any]) -> None:
        checkpoint = ImportCheckpoint(file.source, mark, batch.last_line)
        report.written[file.kind] += await _write_batch(store, file, batch, checkpoint)
        progress.update(task, completed=batch.last_line)

    batches = read_batches_in_subprocess(file, batch_size, after)
    in_flight: asyncio.Task[None] | None = None
    try:
        while True:
            try:
                # Received in a thread so that the event loop keeps driving the write in flight.
                batch = await asyncio.to_thread(next, batches, None)
            finally:
                if in_flight is not None:
                    await in_flight  # an earlier batch: its failure is reported before a later one's
                    in_flight = None
            if batch is None:
                return
            in_flight = asyncio.create_task(write(batch))
    finally:
        if in_flight is not None and not in_flight.done():
            in_flight.cancel()
            await asyncio.gather(in_flight, return_exceptions=True)
        if not batches.gi_running:  # a cancelled receive may still be waiting in its thread
            batches.close()  # stops the parsing process now rather than when the generator is collected


async def _write_batch(store: GraphStore, file: InputFile, batch: Batch[Any], checkpoint: ImportCheckpoint) -> int:
    """One batch in one transaction with its checkpoint; a refusal names the file and lines."""
    writers: dict[RecordKind, Callable[[Sequence[Any], ImportCheckpoint], Awaitable[int]]] = {
        RecordKind.organizations: store.import_organizations,
        RecordKind.documents: store.import_documents,
        RecordKind.links: store.import_links,
    }
    try:
        return await writers[file.kind](batch.rows, checkpoint)
    except NotFoundError as e:
        raise _missing_end(file, batch.rows, batch.lines, e) from e
    except LexgraphError as e:
        raise ImportBatchError(file.path, batch.lines[0], batch.last_line, e) from e


def _missing_end(file: InputFile, rows: list[LinkRow], lines: list[int], error: NotFoundError) -> BulkInputError:
    line = next((n for row, n in zip(rows, lines, strict=True) if error.key in (row[0], row[2])), lines[0])
    return BulkInputError(file.path, line, f"{error}; import the documents a link joins before the link")


async def run_export(
    store: GraphStore,
    fmt: ExportFormat,
    out: Path,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    show_progress: bool = False,
) -> dict[RecordKind, int]:
    """Stream the store into ``out`` batch by batch; the numbers of records written per kind."""
    counts = await store.counts()
    totals = {
        RecordKind.organizations: counts.organizations,
        RecordKind.documents: counts.documents,
        RecordKind.links: counts.links,
    }
    pages: dict[RecordKind, Callable[[int], AsyncIterator[list[Any]]]] = {
        RecordKind.organizations: store.iter_organizations,
        RecordKind.documents: store.iter_documents,
        RecordKind.links: store.iter_links,
    }
    writer = open_writer(fmt, out)
    sinks: dict[RecordKind, Callable[[Sequence[Any]], None]] = {
        RecordKind.organizations: writer.organizations,
        RecordKind.documents: writer.documents,
        RecordKind.links: writer.links,
    }
    written = dict.fromkeys(RecordKind, 0)
    try:
        with _progress(show_progress) as progress:
            for kind in RecordKind:
                task = progress.add_task(kind.value, total=totals[kind])
                async for page in pages[kind](batch_size):
                    sinks[kind](page)
                    written[kind] += len(page)
                    progress.update(task, completed=written[kind])
    finally:
        writer.close()
    return written


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
            with_store(
                bulk, lambda store: run_import(store, path, batch_size=batch_size, restart=restart, show_progress=True)
            )
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
            with_store(
                get_settings(), lambda store: run_export(store, format, out, batch_size=batch_size, show_progress=True)
            )
        )
    except LexgraphError as e:
        raise _fail(e) from e
    typer.echo(f"{out}: " + ", ".join(f"{n} {kind.value}" for kind, n in written.items()))
