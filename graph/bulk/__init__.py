"""Bulk import and export: records and their parsing, readers, writers, and the state of an import.

The use cases that drive a store with them are :mod:`graph.usecases.bulk_import` and
:mod:`graph.usecases.bulk_export`.
"""

from graph.bulk.ids import LinkIdConflict, LinkTriple, check_taken, given_ids
from graph.bulk.reading import read_batches, read_batches_in_subprocess, send_batches
from graph.bulk.records import (
    LINK_ROW_FIELDS,
    Batch,
    BulkInputError,
    DocumentField,
    DocumentRow,
    ExportFormat,
    ImportBatchError,
    ImportCheckpoint,
    InputFile,
    LinkField,
    LinkRow,
    RecordKind,
    count_lines,
    document_row,
    fingerprint,
    input_files,
)
from graph.bulk.state import FirstLoad, ImportState
from graph.bulk.writers import ELI_PROPERTIES, ExportWriter, ndjson_line, open_writer

__all__ = [
    "ELI_PROPERTIES",
    "LINK_ROW_FIELDS",
    "Batch",
    "BulkInputError",
    "DocumentField",
    "DocumentRow",
    "ExportFormat",
    "ExportWriter",
    "FirstLoad",
    "ImportBatchError",
    "ImportCheckpoint",
    "ImportState",
    "InputFile",
    "LinkField",
    "LinkIdConflict",
    "LinkRow",
    "LinkTriple",
    "RecordKind",
    "check_taken",
    "count_lines",
    "document_row",
    "fingerprint",
    "given_ids",
    "input_files",
    "ndjson_line",
    "open_writer",
    "read_batches",
    "read_batches_in_subprocess",
    "send_batches",
]
