"""Bulk records: what an input holds (kinds, files, checkpoints, named rows) and how a line is parsed.

An input directory holds ``organizations*.{ndjson,csv}``, ``documents*`` and ``links*``; a file's kind
is the start of its name. Document lines carry the stored record, key included, so an import writes
them as they are, without resolving identity again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Final, Generic, NotRequired, TypeVar

from pydantic import BaseModel, Field, TypeAdapter
from typing_extensions import TypedDict

from graph.clock import timestamp
from graph.errors import InvalidInputError, LexgraphError
from graph.identity import DocumentDraft, identity_of, spellings_match_keys
from graph.models import Document, Organization, Origin, Relation, Review

T = TypeVar("T")


class RecordKind(StrEnum):
    """What an input file holds; also the order an import takes them in."""

    organizations = "organizations"
    documents = "documents"
    links = "links"


class ExportFormat(StrEnum):
    ndjson = "ndjson"
    csv = "csv"
    graphml = "graphml"
    jsonld = "jsonld"


INPUT_SUFFIXES = (".ndjson", ".jsonl", ".csv")


class BulkInputError(InvalidInputError):
    """A bad input record, named by file and line."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = line
        self.message = message

    def __reduce__(self) -> tuple[type[BulkInputError], tuple[Path, int, str]]:
        # Raised in the parsing process and re-raised in the importing one.
        return BulkInputError, (self.path, self.line, self.message)


class ImportBatchError(LexgraphError):
    """A batch the store refused or could not take; none of it was written."""

    def __init__(self, path: Path, first_line: int, last_line: int, cause: LexgraphError) -> None:
        super().__init__(f"{path}:{first_line}-{last_line}: batch not written, nothing of it kept: {cause}")
        self.path = path
        self.line = first_line


@dataclass(frozen=True)
class ImportCheckpoint:
    """How far an input file has been imported: committed in the same transaction as the batch it ends."""

    source: str
    fingerprint: str
    line: int


@dataclass(frozen=True)
class InputFile:
    path: Path
    kind: RecordKind

    @property
    def source(self) -> str:
        """The name a checkpoint is kept under."""
        return str(self.path.resolve())


@dataclass(frozen=True)
class Batch(Generic[T]):
    """Parsed records with the line each starts on."""

    rows: list[T]
    lines: list[int]
    last_line: int


def input_files(path: Path) -> list[InputFile]:
    """The input files of a file or directory, organizations first, then documents, then links."""
    candidates = sorted(p for p in path.iterdir() if p.suffix in INPUT_SUFFIXES) if path.is_dir() else [path]
    files = []
    for candidate in candidates:
        kind = next((k for k in RecordKind if candidate.name.startswith(k.value)), None)
        if kind is None or candidate.suffix not in INPUT_SUFFIXES:
            raise InvalidInputError(
                f"{candidate}: cannot tell what it holds; name it organizations*, documents* or links* "
                f"with one of the suffixes {', '.join(INPUT_SUFFIXES)}"
            )
        files.append(InputFile(candidate, kind))
    if not files:
        raise InvalidInputError(f"{path}: no input files (organizations*, documents*, links* .ndjson/.csv)")
    order = list(RecordKind)
    return sorted(files, key=lambda f: (order.index(f.kind), f.path.name))


def fingerprint(path: Path) -> str:
    """Size and a hash of the first megabyte: enough to notice that a file was replaced."""
    with path.open("rb") as f:
        head = f.read(1 << 20)
    return f"{path.stat().st_size}:{hashlib.sha256(head).hexdigest()[:16]}"


def count_lines(path: Path) -> int:
    with path.open("rb") as f:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))


# An NDJSON line as bytes (validated as JSON, so a bad encoding is reported with its line), a CSV row as a dict.
RawRecord = bytes | dict[str, Any]


# A link as an import writes it: the stored fields in this order, enums as their values, Link's defaults
# for what a line leaves out, ``created_at`` as the stores write it (graph.clock.timestamp) or None for the
# time of the write. The fields after it are None for the stores' defaults, so that a line without them
# costs a store nothing: ``id`` a new one, ``review`` accepted, ``provenance`` (the entries as JSON) the
# entry of the flat fields (graph.review.first_entry), ``partial`` and ``flagged`` false (else True).
# A plain tuple: it crosses from the parsing process to the importing one several times faster than a class.
LinkRow = tuple[
    str,
    str,
    str,
    str,
    str | None,
    str | None,
    int | None,
    int | None,
    float,
    str | None,
    str | None,
    str | None,
    str | None,
    str | None,
    bool | None,
    bool | None,
]
LINK_ROW_FIELDS = (
    "source",
    "relation",
    "target",
    "origin",
    "evidence",
    "source_text_id",
    "span_start",
    "span_end",
    "confidence",
    "created_at",
    "id",
    "review",
    "provenance",
    "corrected_to",
    "partial",
    "flagged",
)


class LinkField:
    """The position of each field in a :data:`LinkRow`, so that code reads ``row[LinkField.target]``.

    Rows stay plain tuples rather than NamedTuples: a batch of 20,000 crosses the pipe from the parsing
    process 4 to 5 times faster (a NamedTuple is rebuilt through its Python ``__new__`` on unpickling).
    """

    source: Final = 0
    relation: Final = 1
    target: Final = 2
    origin: Final = 3
    evidence: Final = 4
    source_text_id: Final = 5
    span_start: Final = 6
    span_end: Final = 7
    confidence: Final = 8
    created_at: Final = 9
    id: Final = 10
    review: Final = 11
    provenance: Final = 12
    corrected_to: Final = 13
    partial: Final = 14
    flagged: Final = 15


class _ProvenanceRecord(TypedDict):
    """A provenance entry as given: the fields of :class:`Provenance`."""

    origin: NotRequired[Origin]
    text_id: NotRequired[str | None]
    span_start: NotRequired[int | None]
    span_end: NotRequired[int | None]
    evidence: NotRequired[str | None]
    confidence: NotRequired[Annotated[float, Field(ge=0.0, le=1.0)]]
    created_at: NotRequired[dt.datetime | None]


class _LinkRecord(TypedDict):
    """A link line as given: the fields of :class:`Link` an input may carry (others are ignored)."""

    source: str
    relation: Relation
    target: str
    id: NotRequired[str]
    review: NotRequired[Review]
    provenance: NotRequired[list[_ProvenanceRecord]]
    corrected_to: NotRequired[str | None]
    partial: NotRequired[bool]
    flagged: NotRequired[bool]
    origin: NotRequired[Origin]
    evidence: NotRequired[str | None]
    source_text_id: NotRequired[str | None]
    span_start: NotRequired[int | None]
    span_end: NotRequired[int | None]
    confidence: NotRequired[Annotated[float, Field(ge=0.0, le=1.0)]]
    created_at: NotRequired[dt.datetime | None]


# A TypedDict validates a line in a third of the time a Link model takes, with the same messages.
_LINK_RECORD = TypeAdapter(_LinkRecord)
_PROVENANCE: TypeAdapter[list[Any]] = TypeAdapter(list[_ProvenanceRecord])
# Each flat field of a link line and the field of a provenance entry it copies (graph.review.flat).
_FLAT_ENTRY_FIELDS = (
    ("origin", "origin"),
    ("evidence", "evidence"),
    ("source_text_id", "text_id"),
    ("span_start", "span_start"),
    ("span_end", "span_end"),
    ("confidence", "confidence"),
    ("created_at", "created_at"),
)


def _parse_link(raw: RawRecord) -> LinkRow:
    r: Any = _LINK_RECORD.validate_json(raw) if isinstance(raw, bytes) else _LINK_RECORD.validate_python(raw)
    provenance = None
    if entries := r.get("provenance"):
        r, provenance = _with_provenance(r, entries)
    created, review = r.get("created_at"), r.get("review")
    # Link's defaults for what a line leaves out; None for the stores' defaults (see LinkRow).
    return (
        r["source"],
        r["relation"].value,
        r["target"],
        r.get("origin", Origin.curated).value,
        r.get("evidence"),
        r.get("source_text_id"),
        r.get("span_start"),
        r.get("span_end"),
        r.get("confidence", 1.0),
        _utc_text(created) if created else None,
        r.get("id") or None,
        None if review is None or review == Review.accepted else review.value,
        provenance,
        r.get("corrected_to"),
        r.get("partial") or None,
        r.get("flagged") or None,
    )


def _utc_text(at: dt.datetime) -> str:
    """:func:`graph.clock.timestamp` of ``at``, in a quarter of its time for a time given in UTC (most are)."""
    text = at.isoformat(timespec="microseconds")
    return text[:-6] + "Z" if text.endswith("+00:00") else timestamp(at)


def _with_provenance(r: dict[str, Any], entries: list[dict[str, Any]]) -> tuple[dict[str, Any], str | None]:
    """A link line with its flat fields read from its first provenance entry, and the entries as JSON.

    The flat fields are that entry's copy: those a line gives are the entry's (so that an edited CSV cell
    is kept), those it leaves out are read from it. A lone entry with its time is what the stores read from
    the flat fields alone (graph.review.first_entry), so it is not stored twice: the JSON is None.
    """
    first = entries[0] | {entry: r[flat] for flat, entry in _FLAT_ENTRY_FIELDS if flat in r}
    line = r | {flat: first[entry] for flat, entry in _FLAT_ENTRY_FIELDS if entry in first}
    if len(entries) == 1 and first.get("created_at") is not None:
        return line, None
    return line, _PROVENANCE.dump_json([first, *entries[1:]]).decode()


# A document as an import writes it: its fields as JSON values (every field, dates as ISO strings,
# enums as their values), its identity scope and the match keys of its spellings, as the stores keep
# them. Plain data, for the same reason as LinkRow.
DocumentRow = tuple[dict[str, Any], str, tuple[str, ...]]


class DocumentField:
    """The position of each part of a :data:`DocumentRow` (a plain tuple, like :data:`LinkRow`)."""

    fields: Final = 0
    scope: Final = 1
    match_keys: Final = 2


def document_row(doc: Document) -> DocumentRow:
    """A stored document record with its identity scope and spellings' match keys."""
    draft = DocumentDraft(
        symbol=doc.symbol, type=doc.type, title=doc.title, date=doc.date, level=doc.level, jurisdiction=doc.jurisdiction
    )
    return doc.model_dump(mode="json"), identity_of(draft).scope, tuple(sorted(spellings_match_keys(doc)))


def _parse_document(raw: RawRecord) -> DocumentRow:
    return document_row(_validate(Document, raw))


def _validate(model: type[BaseModel], raw: RawRecord) -> Any:
    return model.model_validate_json(raw) if isinstance(raw, bytes) else model.model_validate(raw)


PARSERS: dict[RecordKind, Callable[[RawRecord], Any]] = {
    RecordKind.organizations: lambda raw: _validate(Organization, raw),
    RecordKind.documents: _parse_document,
    RecordKind.links: _parse_link,
}
