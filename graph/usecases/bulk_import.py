"""The bulk import use case: files of organizations, documents and links into a store, batch by batch.

Each batch commits with a checkpoint, so a re-run resumes; the next batch is parsed in another
process while the store writes the current one.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from graph.bulk import (
    Batch,
    BulkInputError,
    ImportBatchError,
    ImportCheckpoint,
    InputFile,
    LinkField,
    LinkIdConflict,
    LinkRow,
    RecordKind,
    count_lines,
    fingerprint,
    input_files,
    read_batches_in_subprocess,
)
from graph.errors import LexgraphError, NotFoundError
from graph.ports import BulkLoader

DEFAULT_BATCH_SIZE = 20_000


class Progress(Protocol):
    """Where a bulk run reports how far it is (the CLI passes a rich progress bar)."""

    def add_task(self, description: str, *, total: float | None, completed: int) -> Any: ...

    def update(self, task_id: Any, *, completed: float) -> None: ...


class _NoProgress:
    def add_task(self, description: str, *, total: float | None, completed: int) -> None:
        return None

    def update(self, task_id: Any, *, completed: float) -> None:
        return None


NO_PROGRESS: Progress = _NoProgress()
BulkStore = BulkLoader


@dataclass
class ImportReport:
    """What one run wrote, per record kind, and how many lines a checkpoint let it skip."""

    written: dict[RecordKind, int] = field(default_factory=lambda: dict.fromkeys(RecordKind, 0))
    skipped_lines: int = 0
    seconds: float = 0.0


async def run_import(
    store: BulkStore,
    path: Path,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    restart: bool = False,
    progress: Progress = NO_PROGRESS,
) -> ImportReport:
    """Import a file or directory: organizations, documents, then links, each batch one transaction.

    A batch commits together with a checkpoint (file, fingerprint, last line), so a re-run resumes
    after the last committed batch; ``restart`` ignores checkpoints. Writes replace records of the
    same key, so a full re-run duplicates nothing either. The next batch is parsed in another process
    while the store writes the current one; one batch at most is in flight, so checkpoints advance in
    order and a bad line stops the import after every batch before it has committed. What a first
    load set aside is restored at the end, whether the import succeeded or not.

    A link line carries what an export writes: its id, review state, provenance, ``corrected_to``,
    ``partial`` and ``flagged``, with Link's defaults for what it leaves out (a new id, accepted, the entry
    of its flat fields). A new link takes the id its line gives; a link already stored keeps its own (an id
    is given once, and clients may hold it), everything else being the line's. An id that already names
    another link, earlier in the input or in the store, stops the import at its line. Effects are then
    recomputed from the links' ``partial`` flags and review states.
    """
    files = input_files(path)
    report = ImportReport()
    started = time.perf_counter()
    try:
        for file in files:
            await store.begin_import(file.kind)
            await _import_file(store, file, report, progress, batch_size=batch_size, restart=restart)
    finally:
        await store.end_import()
    await store.recompute_effects()  # one set-based pass, not one per batch
    report.seconds = time.perf_counter() - started
    return report


async def _import_file(
    store: BulkStore, file: InputFile, report: ImportReport, progress: Progress, *, batch_size: int, restart: bool
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
        if (
            inspect.getgeneratorstate(batches) != inspect.GEN_RUNNING
        ):  # a cancelled receive may still be waiting in its thread
            batches.close()  # stops the parsing process now rather than when the generator is collected


async def _write_batch(store: BulkStore, file: InputFile, batch: Batch[Any], checkpoint: ImportCheckpoint) -> int:
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
    except LinkIdConflict as e:
        raise _conflicting_id(file, batch.rows, batch.lines, e) from e
    except LexgraphError as e:
        raise ImportBatchError(file.path, batch.lines[0], batch.last_line, e) from e


def _missing_end(file: InputFile, rows: list[LinkRow], lines: list[int], error: NotFoundError) -> BulkInputError:
    line = next(
        (n for row, n in zip(rows, lines, strict=True) if error.key in (row[LinkField.source], row[LinkField.target])),
        lines[0],
    )
    return BulkInputError(file.path, line, f"{error}; import the documents a link joins before the link")


def _conflicting_id(file: InputFile, rows: list[LinkRow], lines: list[int], error: LinkIdConflict) -> BulkInputError:
    line = next(
        (
            n
            for row, n in zip(rows, lines, strict=True)
            if row[LinkField.id] == error.link_id
            and (row[LinkField.source], row[LinkField.relation], row[LinkField.target]) == error.given
        ),
        lines[0],
    )
    return BulkInputError(file.path, line, str(error))
