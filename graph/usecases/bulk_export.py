"""The bulk export use case: the whole graph streamed out of a store, page by page, in one format."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

from graph.bulk import ExportFormat, RecordKind, open_writer
from graph.ports import BulkExporter, Lifecycle
from graph.usecases.bulk_import import DEFAULT_BATCH_SIZE, NO_PROGRESS, Progress


class ExportStore(BulkExporter, Lifecycle, Protocol):
    """The store roles an export reads: the records, and their counts for the progress."""


async def run_export(
    store: ExportStore,
    fmt: ExportFormat,
    out: Path,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress = NO_PROGRESS,
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
        for kind in RecordKind:
            task = progress.add_task(kind.value, total=totals[kind], completed=0)
            async for page in pages[kind](batch_size):
                sinks[kind](page)
                written[kind] += len(page)
                progress.update(task, completed=written[kind])
    finally:
        writer.close()
    return written
