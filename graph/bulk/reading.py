"""Reading bulk inputs: NDJSON and CSV readers that keep line numbers, batched, in a child process."""

from __future__ import annotations

import csv
import json
import pickle
import subprocess
import sys
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from graph.bulk.records import PARSERS, Batch, BulkInputError, InputFile, RawRecord, RecordKind
from graph.errors import InvalidInputError, LexgraphError


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
_LIST_FIELDS = frozenset({"aliases", "predecessors", "names", "status_links", "provenance"})


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
