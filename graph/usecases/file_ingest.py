"""Files into the graph: each file read by content (graph.files), then ingested as its text, on its own.

A file that cannot be read, or whose ingest fails, is reported ``failed`` and the others go on. A file
whose text is already stored is a ``duplicate``: ingesting the same folder twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from graph.errors import LexgraphError, StoreUnavailableError
from graph.files import read_document
from graph.text import strip_invisible
from graph.usecases.ingest import IngestReport, IngestStore, ingest_text

FileStatus = Literal["ok", "duplicate", "failed"]
# Files larger than this are refused unread: a document file is kilobytes to a few megabytes.
MAX_FILE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class FileOutcome:
    """What ingesting one file did."""

    path: str
    status: FileStatus
    error: str | None = None
    document: str | None = None
    links_added: int = 0
    text_id: str | None = None
    format: str | None = None
    warnings: tuple[str, ...] = ()


@dataclass
class FolderReport:
    """Every file's outcome, and the count of each status."""

    files: list[FileOutcome] = field(default_factory=list)

    def count(self, status: FileStatus) -> int:
        return sum(1 for f in self.files if f.status == status)

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": [{k: v for k, v in asdict(f).items() if k not in ("format", "warnings")} for f in self.files],
            **{status: self.count(status) for status in ("ok", "duplicate", "failed")},
        }


def files_under(paths: Iterable[Path]) -> Iterator[Path]:
    """The files named, and those under the folders named (recursively, hidden ones skipped), in path order."""
    for path in paths:
        if path.is_dir():
            yield from sorted(
                p for p in path.rglob("*") if p.is_file() and not any(part.startswith(".") for part in p.parts)
            )
        else:
            yield path


async def ingest_file(store: IngestStore, data: bytes, name: str, jurisdiction: str | None = None) -> FileOutcome:
    """Read and ingest one file's bytes. A store that cannot be reached is raised, not reported: nothing
    after it would fare better."""
    if len(data) > MAX_FILE_BYTES:
        return FileOutcome(name, "failed", f"file over {MAX_FILE_BYTES // (1024 * 1024)} MB")
    try:
        read = read_document(data, name)
        report = await ingest_text(store, strip_invisible(read.text), jurisdiction)
    except StoreUnavailableError:
        raise
    except LexgraphError as e:
        return FileOutcome(name, "failed", str(e))
    return _outcome(name, report, read.format, read.warnings)


def _outcome(name: str, report: IngestReport, file_format: str, warnings: tuple[str, ...]) -> FileOutcome:
    changed = report.text_created or report.documents_created or report.links_created
    return FileOutcome(
        path=name,
        status="ok" if changed else "duplicate",
        document=report.document.key if report.document else None,
        links_added=len(report.links_created),
        text_id=report.text_id,
        format=file_format,
        warnings=warnings,
    )
