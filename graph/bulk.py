"""Bulk formats: NDJSON and CSV readers that keep line numbers, and streaming writers for NDJSON, CSV,
GraphML (for Gephi) and JSON-LD (ELI vocabulary). Pure: no store, no I/O beyond the files named.

An input directory holds ``organizations*.{ndjson,csv}``, ``documents*`` and ``links*``; a file's kind
is the start of its name. Document lines carry the stored record, key included, so an import writes
them as they are, without resolving identity again.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import pickle
import re
import subprocess
import sys
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import IO, Annotated, Any, Generic, NotRequired, Protocol, TypeVar
from xml.sax.saxutils import escape, quoteattr

from pydantic import BaseModel, Field, TypeAdapter, ValidationError
from typing_extensions import TypedDict

from graph.errors import InvalidInputError, LexgraphError
from graph.identity import DocumentDraft, identity_of, spellings_match_keys
from graph.models import Document, EffectStatus, Link, Organization, Origin, Relation

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
# for what a line leaves out, ``created_at`` ISO 8601 to the millisecond or None for the time of the write.
# A plain tuple: it crosses from the parsing process to the importing one several times faster than a class.
LinkRow = tuple[str, str, str, str, str | None, str | None, int | None, int | None, float, str | None]
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
)


class _LinkRecord(TypedDict):
    """A link line as given: the fields of :class:`Link` an input may carry (others are ignored)."""

    source: str
    relation: Relation
    target: str
    origin: NotRequired[Origin]
    evidence: NotRequired[str | None]
    source_text_id: NotRequired[str | None]
    span_start: NotRequired[int | None]
    span_end: NotRequired[int | None]
    confidence: NotRequired[Annotated[float, Field(ge=0.0, le=1.0)]]
    created_at: NotRequired[dt.datetime | None]


# A TypedDict validates a line in a third of the time a Link model takes, with the same messages.
_LINK_RECORD = TypeAdapter(_LinkRecord)


def _parse_link(raw: RawRecord) -> LinkRow:
    r = _LINK_RECORD.validate_json(raw) if isinstance(raw, bytes) else _LINK_RECORD.validate_python(raw)
    # Link's defaults for what a line leaves out.
    created = r.get("created_at")
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
        created.isoformat(timespec="milliseconds") if created else None,
    )


# A document as an import writes it: its fields as JSON values (every field, dates as ISO strings,
# enums as their values), its identity scope and the match keys of its spellings, as the stores keep
# them. Plain data, for the same reason as LinkRow.
DocumentRow = tuple[dict[str, Any], str, tuple[str, ...]]


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


def read_batches(file: InputFile, size: int, after_line: int = 0) -> Iterator[Batch[Any]]:
    """Parsed records in batches of ``size``, skipping records that end on or before ``after_line``.

    A record that does not parse raises :class:`BulkInputError` before its batch is handed out.
    """
    parse = PARSERS[file.kind]
    rows: list[Any] = []
    lines: list[int] = []
    last = after_line
    raw_records = _csv_records(file.path) if file.path.suffix == ".csv" else _ndjson_records(file.path)
    for start, end, raw in raw_records:
        if end <= after_line:
            continue
        try:
            rows.append(parse(raw))
        except (ValidationError, InvalidInputError, ValueError) as e:
            raise BulkInputError(file.path, start, _short_error(e)) from e
        lines.append(start)
        last = end
        if len(rows) >= size:
            yield Batch(rows, lines, last)
            rows, lines = [], []
    if rows:
        yield Batch(rows, lines, last)


def read_batches_in_subprocess(file: InputFile, size: int, after_line: int = 0) -> Generator[Batch[Any], None, None]:
    """:func:`read_batches` run in a child process, so that parsing and the store's writes use two cores.

    The child parses the next batch while this process takes the current one (the pipe between them
    holds little more than that); an error it meets is raised here, after the batches before it.
    """
    # A fresh interpreter rather than multiprocessing, which would re-run an unguarded __main__ script.
    args = json.dumps([str(file.path), file.kind.value, size, after_line])
    parser = subprocess.Popen(
        [sys.executable, "-c", f"from {__name__} import send_batches; send_batches()", args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
    )
    assert parser.stdout is not None
    try:
        while True:
            try:
                item = pickle.load(parser.stdout)
            except EOFError:
                raise LexgraphError(f"{file.path}: the parsing process ended before the end of the file") from None
            if isinstance(item, Exception):
                raise item
            if item is None:
                return
            yield item
    finally:
        parser.stdout.close()  # a child still writing gets a broken pipe and stops
        parser.kill()
        parser.wait()


def send_batches() -> None:
    """The child's side of :func:`read_batches_in_subprocess`: pickled batches, then None or the error, on stdout."""
    path, kind, size, after_line = json.loads(sys.argv[1])
    out = sys.stdout.buffer
    try:
        for batch in read_batches(InputFile(Path(path), RecordKind(kind)), size, after_line):
            pickle.dump(batch, out, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.dump(None, out)
    except BrokenPipeError:
        return  # the importer stopped reading: it failed or was stopped
    except (BulkInputError, OSError) as e:
        pickle.dump(e if isinstance(e, BulkInputError) else LexgraphError(f"{path}: {e}"), out)
    out.flush()


def _short_error(error: Exception) -> str:
    if isinstance(error, ValidationError):
        first = error.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        return f"{where}: {first['msg']}" if where else str(first["msg"])
    return str(error)


def _ndjson_records(path: Path) -> Iterator[tuple[int, int, RawRecord]]:
    with path.open("rb") as f:
        for number, line in enumerate(f, start=1):
            if line.strip():
                yield number, number, line


# CSV cells holding lists are JSON arrays; an empty cell is a missing value.
_LIST_FIELDS = frozenset({"aliases", "predecessors"})


def _csv_records(path: Path) -> Iterator[tuple[int, int, RawRecord]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header is None:
            return
        end = reader.line_num
        for cells in reader:
            start, end = end + 1, reader.line_num
            if not any(cells):
                continue
            if len(cells) != len(header):
                raise BulkInputError(path, start, f"{len(cells)} cells where the header names {len(header)}")
            record: dict[str, Any] = {}
            for name, cell in zip(header, cells, strict=True):
                if cell == "":
                    continue
                try:
                    record[name] = json.loads(cell) if name in _LIST_FIELDS else cell
                except json.JSONDecodeError as e:
                    raise BulkInputError(path, start, f"{name}: not a JSON list") from e
            yield start, end, record


# writing


def ndjson_line(model: BaseModel) -> str:
    """One NDJSON line: the model's JSON, missing values left out."""
    return model.model_dump_json(exclude_none=True) + "\n"


class ExportWriter(Protocol):
    """Receives organizations, then documents, then links, batch by batch."""

    def organizations(self, rows: Sequence[Organization]) -> None: ...

    def documents(self, rows: Sequence[Document]) -> None: ...

    def links(self, rows: Sequence[Link]) -> None: ...

    def close(self) -> None: ...


CSV_FIELDS: dict[RecordKind, list[str]] = {
    RecordKind.organizations: list(Organization.model_fields),
    RecordKind.documents: list(Document.model_fields),
    RecordKind.links: [f for f in Link.model_fields if f not in ("source_symbol", "target_symbol")],
}


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class TableWriter:
    """NDJSON or CSV: one file per record kind in a directory, readable back by :func:`input_files`."""

    def __init__(self, out: Path, fmt: ExportFormat) -> None:
        out.mkdir(parents=True, exist_ok=True)
        self.csv = fmt == ExportFormat.csv
        self.files: dict[RecordKind, IO[str]] = {}
        self.writers: dict[RecordKind, Any] = {}
        for kind in RecordKind:
            f = (out / f"{kind.value}.{fmt.value}").open("w", encoding="utf-8", newline="" if self.csv else "\n")
            self.files[kind] = f
            if self.csv:
                self.writers[kind] = csv.writer(f, lineterminator="\n")
                self.writers[kind].writerow(CSV_FIELDS[kind])

    def _write(self, kind: RecordKind, rows: Sequence[BaseModel]) -> None:
        if self.csv:
            fields = CSV_FIELDS[kind]
            self.writers[kind].writerows(
                [_csv_cell(v) for v in (row.model_dump(mode="json")[f] for f in fields)] for row in rows
            )
        else:
            self.files[kind].writelines(ndjson_line(_export_view(row)) for row in rows)

    def organizations(self, rows: Sequence[Organization]) -> None:
        self._write(RecordKind.organizations, rows)

    def documents(self, rows: Sequence[Document]) -> None:
        self._write(RecordKind.documents, rows)

    def links(self, rows: Sequence[Link]) -> None:
        self._write(RecordKind.links, rows)

    def close(self) -> None:
        for f in self.files.values():
            f.close()


def _export_view(row: BaseModel) -> BaseModel:
    # The symbols of a link's ends are a convenience of reads, not part of the link.
    return row.model_copy(update={"source_symbol": None, "target_symbol": None}) if isinstance(row, Link) else row


# XML 1.0 forbids most control characters even when escaped.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
GRAPHML_NODE_KEYS: dict[str, str] = {
    "label": "string",
    "symbol": "string",
    "type": "string",
    "number": "string",
    "date": "string",
    "year": "int",
    "issuer": "string",
    "level": "string",
    "jurisdiction": "string",
    "term": "string",
    "title": "string",
    "status": "string",
    "effective_from": "string",
    "effective_to": "string",
    "stub": "boolean",
    "aliases": "string",
}
GRAPHML_EDGE_KEYS: dict[str, str] = {
    "label": "string",
    "relation": "string",
    "origin": "string",
    "evidence": "string",
    "source_text_id": "string",
    "span_start": "int",
    "span_end": "int",
    "confidence": "double",
    "created_at": "string",
}


def _xml_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = json.dumps(value, ensure_ascii=False)
    return escape(_XML_INVALID.sub("", str(value)))


class GraphmlWriter:
    """GraphML with every attribute declared as a ``<key>``, as Gephi reads it; documents are the nodes."""

    def __init__(self, out: Path) -> None:
        out.parent.mkdir(parents=True, exist_ok=True)
        self.f = out.open("w", encoding="utf-8", newline="\n")
        self.f.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
            'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
        )
        for scope, keys in (("node", GRAPHML_NODE_KEYS), ("edge", GRAPHML_EDGE_KEYS)):
            for name, kind in keys.items():
                self.f.write(f'<key id="{scope[0]}_{name}" for="{scope}" attr.name="{name}" attr.type="{kind}"/>\n')
        self.f.write('<graph id="lexgraph" edgedefault="directed">\n')

    def organizations(self, rows: Sequence[Organization]) -> None:
        """Organizations are not nodes of the document graph; a document names its issuer."""

    def documents(self, rows: Sequence[Document]) -> None:
        for doc in rows:
            values = doc.model_dump(mode="json") | {"label": doc.symbol}
            self.f.write(f"<node id={quoteattr(doc.key)}>{self._data('n', GRAPHML_NODE_KEYS, values)}</node>\n")

    def links(self, rows: Sequence[Link]) -> None:
        for link in rows:
            values = link.model_dump(mode="json") | {"label": link.relation.value}
            self.f.write(
                f"<edge source={quoteattr(link.source)} target={quoteattr(link.target)}>"
                f"{self._data('e', GRAPHML_EDGE_KEYS, values)}</edge>\n"
            )

    @staticmethod
    def _data(prefix: str, keys: dict[str, str], values: dict[str, Any]) -> str:
        return "".join(
            f'<data key="{prefix}_{name}">{_xml_text(values[name])}</data>'
            for name in keys
            if values.get(name) is not None
        )

    def close(self) -> None:
        self.f.write("</graph>\n</graphml>\n")
        self.f.close()


ELI = "http://data.europa.eu/eli/ontology#"
# Each relation as the closest ELI property. ELI has no continuation, guidance or replacement
# property: a conclusion "continuing the implementation" of a resolution ensures its implementation,
# guidance (hướng dẫn) applies a document without being the act that implements it, and ELI's
# eli:changes explicitly covers replacement.
ELI_PROPERTIES: dict[Relation, str] = {
    Relation.implements: "eli:ensures_implementation_of",
    Relation.continues: "eli:ensures_implementation_of",
    Relation.cites: "eli:cites",
    Relation.based_on: "eli:based_on",
    Relation.guides: "eli:applies",
    Relation.amends: "eli:amends",
    Relation.replaces: "eli:changes",
    Relation.repeals: "eli:repeals",
}
_IN_FORCE = {
    EffectStatus.in_force: "eli:InForce-inForce",
    EffectStatus.amended: "eli:InForce-inForce",
    EffectStatus.replaced: "eli:InForce-notInForce",
    EffectStatus.repealed: "eli:InForce-notInForce",
    EffectStatus.expired: "eli:InForce-notInForce",
}
JSONLD_CONTEXT: dict[str, Any] = {
    "eli": ELI,
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "lex": "urn:lexgraph:vocab:",
    "doc": "urn:lexgraph:document:",
    "org": "urn:lexgraph:organization:",
    "LegalResource": "eli:LegalResource",
    "Organization": "eli:Organization",
    "symbol": "eli:id_local",
    "number": "eli:number",
    "title": "eli:title",
    "date": {"@id": "eli:date_document", "@type": "xsd:date"},
    "effective_from": {"@id": "eli:first_date_entry_in_force", "@type": "xsd:date"},
    "effective_to": {"@id": "eli:date_no_longer_in_force", "@type": "xsd:date"},
    "issuer": {"@id": "eli:passed_by", "@type": "@id"},
    "jurisdiction": {"@id": "eli:jurisdiction", "@type": "@id"},
    "in_force": {"@id": "eli:in_force", "@type": "@id"},
    "name": "rdfs:label",
    "parent": {"@id": "lex:parent", "@type": "@id"},
    "type": "lex:documentType",
    "level": "lex:level",
    "term": "lex:term",
    "status": "lex:status",
    "aliases": "lex:alias",
    "stub": {"@id": "lex:stub", "@type": "xsd:boolean"},
    **{relation.value: {"@id": prop, "@type": "@id"} for relation, prop in ELI_PROPERTIES.items()},
}


class JsonLdWriter:
    """One JSON-LD document: ``@context`` then a ``@graph`` streamed node by node.

    A link is written as a node object naming only its source and the relation, which JSON-LD
    merges into the source's node.
    """

    def __init__(self, out: Path) -> None:
        out.parent.mkdir(parents=True, exist_ok=True)
        self.f = out.open("w", encoding="utf-8", newline="\n")
        self.f.write('{"@context": ' + json.dumps(JSONLD_CONTEXT, ensure_ascii=False) + ',\n"@graph": [')
        self.first = True

    def _node(self, node: dict[str, Any]) -> None:
        self.f.write(("\n" if self.first else ",\n") + json.dumps(node, ensure_ascii=False))
        self.first = False

    def organizations(self, rows: Sequence[Organization]) -> None:
        for org in rows:
            node: dict[str, Any] = {"@id": f"org:{org.key}", "@type": "Organization", "name": org.name}
            if org.parent:
                node["parent"] = f"org:{org.parent}"
            self._node(node)

    def documents(self, rows: Sequence[Document]) -> None:
        for doc in rows:
            data = doc.model_dump(mode="json", exclude_none=True, exclude={"key", "year", "aliases"})
            node: dict[str, Any] = {"@id": f"doc:{doc.key}", "@type": "LegalResource", **data}
            if doc.aliases:
                node["aliases"] = doc.aliases
            if doc.issuer:
                node["issuer"] = f"org:{doc.issuer}"
            if doc.jurisdiction:
                node["jurisdiction"] = f"org:{doc.jurisdiction}"
            if doc.status in _IN_FORCE:
                node["in_force"] = _IN_FORCE[doc.status]
            self._node(node)

    def links(self, rows: Sequence[Link]) -> None:
        for link in rows:
            self._node({"@id": f"doc:{link.source}", link.relation.value: f"doc:{link.target}"})

    def close(self) -> None:
        self.f.write("\n]}\n")
        self.f.close()


def open_writer(fmt: ExportFormat, out: Path) -> ExportWriter:
    """A writer of the format: a directory for ndjson and csv, one file for graphml and jsonld."""
    if fmt in (ExportFormat.ndjson, ExportFormat.csv):
        return TableWriter(out, fmt)
    if fmt == ExportFormat.graphml:
        return GraphmlWriter(out)
    return JsonLdWriter(out)
