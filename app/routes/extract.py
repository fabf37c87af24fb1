"""Citation extraction from text: a dry run, and ingestion into the graph."""

from __future__ import annotations

import hashlib
from dataclasses import asdict
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Request, Response, UploadFile, status
from pydantic import BaseModel, Field

from app.deps import IngestDep, RecordedWrite
from app.routing import StrictJsonRoute
from app.versioning import location
from graph.errors import InvalidInputError
from graph.extract.obligations import ordered_obligations
from graph.keys import link_id
from graph.models import MAX_TEXT_CHARS, Document, Link, NfcStr, NfcText, jurisdiction_key
from graph.obligations import RecordedObligation
from graph.usecases.file_ingest import MAX_FILE_BYTES, ingest_file
from graph.usecases.ingest import extract_with_store, ingest_text, text_id

router = APIRouter(route_class=StrictJsonRoute, tags=["extraction"])

INGEST_BODY_LIMIT = 2 * 1024 * 1024
# A file and the multipart envelope around it.
FILE_BODY_LIMIT = MAX_FILE_BYTES + 64 * 1024


class TextIn(BaseModel):
    text: NfcText = Field(
        min_length=1, max_length=MAX_TEXT_CHARS, description="plain text or HTML of a document or a news report"
    )
    jurisdiction: NfcStr | None = Field(
        default=None,
        max_length=200,
        description="the administrative unit whose local series (/TU, /UBND) the text cites",
    )


class IngestOut(BaseModel):
    text_id: str
    text_created: bool
    document: Document | None
    documents_created: list[str]
    documents_updated: list[str]
    links_created: list[Link]
    links_existing: int
    links_out_of_order: int = 0
    obligations_proposed: list[RecordedObligation]
    skipped: list[str]
    extraction: dict[str, Any]


@router.post("/extract")
async def extract_text(body: TextIn, store: IngestDep) -> dict[str, Any]:
    """The document a text is, the references it makes, the links between them and the obligations it
    proposes (those ordered by a date carry their level and deadline); writes nothing.

    References are resolved against the graph (symbol + year + jurisdiction).
    """
    unit = jurisdiction_key(body.jurisdiction) if body.jurisdiction else None
    extraction = await extract_with_store(store, body.text, unit)
    own = extraction.document
    ordered = ordered_obligations(extraction.text, own.date if own else None, own.symbol if own else None)
    preview = extraction.to_dict()
    preview["obligations"] += [o.to_dict() for o in ordered]  # the dated orders, with level and deadline
    return preview


class FileIngestOut(BaseModel):
    """What ingesting one uploaded file did: ``failed`` with an ``error`` when it could not be read."""

    path: str
    status: Literal["ok", "duplicate", "failed"]
    error: str | None
    document: str | None
    links_added: int
    text_id: str | None
    format: str | None
    warnings: list[str]


@router.post("/ingest/file", response_model=FileIngestOut, responses={201: {"model": FileIngestOut}})
async def ingest_upload(
    file: Annotated[UploadFile, File(description="a PDF with a text layer, a DOCX, a saved HTML page or a text file")],
    store: IngestDep,
    change: RecordedWrite,
    request: Request,
    response: Response,
    jurisdiction: Annotated[
        NfcStr | None, Form(max_length=200, description="the administrative unit whose local series the text cites")
    ] = None,
) -> FileIngestOut:
    """Read a file by its content and ingest its text: one file, all or nothing. A file that cannot be read
    answers 422 with the reason; the same file again is a ``duplicate`` and changes nothing (200). A file that
    added its document answers 201 with it at ``Location``."""
    data = await file.read()
    change.attempting([hashlib.sha256(data).hexdigest()])
    outcome = await ingest_file(store, data, file.filename or "upload", jurisdiction)
    if outcome.status == "failed":
        raise InvalidInputError(outcome.error or "the file could not be ingested")
    await change.committed([k for k in (outcome.text_id, outcome.document) if k])
    if outcome.status == "ok" and outcome.document:
        response.status_code = status.HTTP_201_CREATED
        response.headers["Location"] = location(request, f"/documents/{outcome.document}")
    return FileIngestOut(**{**asdict(outcome), "warnings": list(outcome.warnings)})


@router.post("/ingest/text", response_model=IngestOut, responses={201: {"model": IngestOut}})
async def ingest(
    body: TextIn, store: IngestDep, change: RecordedWrite, request: Request, response: Response
) -> IngestOut:
    """Store the text under its content hash and upsert what it states: documents (stubs for unknown
    references) and links with provenance. Posting the same text again changes nothing (200); a post that
    created documents or links answers 201, with the text's document (if any) at ``Location``."""
    change.attempting([text_id(body.text)])
    report = await ingest_text(store, body.text, body.jurisdiction)
    links = [link_id(link.source, link.relation, link.target) for link in report.links_created]
    obligations = [o.id for o in report.obligations_proposed]
    await change.committed([report.text_id, *report.documents_created, *report.documents_updated, *links, *obligations])
    if report.documents_created or report.links_created:
        response.status_code = status.HTTP_201_CREATED
        if report.document is not None:
            response.headers["Location"] = location(request, f"/documents/{report.document.key}")
    return IngestOut(
        text_id=report.text_id,
        text_created=report.text_created,
        document=report.document,
        documents_created=report.documents_created,
        documents_updated=report.documents_updated,
        links_created=report.links_created,
        links_existing=report.links_existing,
        links_out_of_order=report.links_out_of_order,
        obligations_proposed=report.obligations_proposed,
        skipped=report.skipped,
        extraction=report.extraction.to_dict(),
    )
