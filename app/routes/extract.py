"""Citation extraction from text: a dry run, and ingestion into the graph."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from app.deps import RecordedWrite, StoreDep
from graph.usecases.ingest import extract_with_store, ingest_text
from graph.keys import link_id
from graph.models import Document, Link, jurisdiction_key
from graph.obligations import Obligation

router = APIRouter(tags=["extraction"])

INGEST_BODY_LIMIT = 2 * 1024 * 1024


class TextIn(BaseModel):
    text: str = Field(min_length=1, description="plain text or HTML of a document or a news report")
    jurisdiction: str | None = Field(
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
    obligations_proposed: list[Obligation]
    skipped: list[str]
    extraction: dict[str, Any]


@router.post("/extract")
async def extract_text(body: TextIn, store: StoreDep) -> dict[str, Any]:
    """The document a text is, the references it makes and the links between them; writes nothing.

    References are resolved against the graph (symbol + year + jurisdiction).
    """
    unit = jurisdiction_key(body.jurisdiction) if body.jurisdiction else None
    return (await extract_with_store(store, body.text, unit)).to_dict()


@router.post("/ingest/text", response_model=IngestOut)
async def ingest(body: TextIn, store: StoreDep, change: RecordedWrite) -> IngestOut:
    """Store the text under its content hash and upsert what it states: documents (stubs for unknown
    references) and links with provenance. Posting the same text again changes nothing."""
    report = await ingest_text(store, body.text, body.jurisdiction)
    links = [link_id(link.source, link.relation, link.target) for link in report.links_created]
    obligations = [o.id for o in report.obligations_proposed]
    await change.committed([report.text_id, *report.documents_created, *report.documents_updated, *links, *obligations])
    return IngestOut(
        text_id=report.text_id,
        text_created=report.text_created,
        document=report.document,
        documents_created=report.documents_created,
        documents_updated=report.documents_updated,
        links_created=report.links_created,
        links_existing=report.links_existing,
        obligations_proposed=report.obligations_proposed,
        skipped=report.skipped,
        extraction=report.extraction.to_dict(),
    )
