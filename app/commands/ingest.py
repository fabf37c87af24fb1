"""``lexgraph ingest``: files and folders into the configured store, each file on its own."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Annotated

import orjson
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from app.deps import with_store
from app.settings import Settings, get_settings
from graph.ports import GraphStore
from graph.seeds import load_seeds
from graph.usecases.file_ingest import FolderReport, files_under, ingest_file


def ingest_command(
    paths: Annotated[list[Path], typer.Argument(exists=True, help="files and folders (read recursively)")],
    jurisdiction: Annotated[
        str | None, typer.Option("--jurisdiction", help="the texts' administrative unit, e.g. nghe-an")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object instead of a table")] = False,
) -> None:
    """Ingest PDF (with a text layer), DOCX, HTML and text files; exit 1 when a file failed."""
    settings = get_settings()
    files = list(files_under(paths))
    report = asyncio.run(with_store(settings, lambda store: _ingest(store, settings, files, jurisdiction, as_json)))
    if as_json:
        sys.stdout.write(orjson.dumps(report.to_dict()).decode() + "\n")
    else:
        _print(report)
    raise typer.Exit(1 if report.count("failed") else 0)


async def _ingest(
    store: GraphStore, settings: Settings, files: list[Path], jurisdiction: str | None, quiet: bool
) -> FolderReport:
    if settings.load_seeds and (await store.counts()).documents == 0:
        await load_seeds(store, settings.seeds_dir, units=settings.load_units)
    report = FolderReport()
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]} files/s"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        disable=quiet or not sys.stderr.isatty(),
    ) as progress:
        task = progress.add_task("ingest", total=len(files), rate="–")
        for path in files:
            report.files.append(await ingest_file(store, path.read_bytes(), str(path), jurisdiction))
            speed = progress.tasks[0].speed
            progress.update(task, advance=1, rate=f"{speed:.1f}" if speed else "–")
    return report


def _print(report: FolderReport) -> None:
    console = Console()
    for f in report.files:
        detail = f.error or f"{f.document or 'no own document'}, {f.links_added} links"
        console.print(f"{f.status:9} {f.path}: {detail}", markup=False)
    console.print(f"ok {report.count('ok')}, duplicate {report.count('duplicate')}, failed {report.count('failed')}")
