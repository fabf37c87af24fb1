"""Obligations of a document: who must implement it, by when, and which branch must act."""

from typing import Annotated

from fastapi import APIRouter, Path

from app.deps import ObligationsDep, RecordedWrite
from app.routing import StrictJsonRoute
from app.schemas import ObligationList
from graph.models import KEY_PATTERN
from graph.obligations import ObligationDraft, ObligationRule, ObligationStatus, RecordedObligation

router = APIRouter(route_class=StrictJsonRoute, prefix="/documents/{key}/obligations", tags=["obligations"])

DocumentKey = Annotated[str, Path(min_length=1, max_length=200, pattern=KEY_PATTERN, description="a document key")]


@router.get("", response_model=ObligationList)
async def list_obligations(key: DocumentKey, store: ObligationsDep) -> ObligationList:
    """Every obligation recorded on the document, confirmed or proposed."""
    await store.get_document(key)
    return ObligationList(items=await store.list_obligations(document=key))


@router.post("", response_model=RecordedObligation)
async def create_obligation(
    key: DocumentKey, rule: ObligationRule, store: ObligationsDep, change: RecordedWrite
) -> RecordedObligation:
    """Record a confirmed obligation; posting the same rule again returns the same obligation."""
    draft = ObligationDraft(**rule.model_dump(), document=key, status=ObligationStatus.confirmed)
    [obligation] = await store.upsert_obligations([draft])
    await change.committed([obligation.id])
    return obligation


@router.post("/{obligation_id}/confirm", response_model=RecordedObligation)
async def confirm_obligation(
    key: DocumentKey,
    obligation_id: Annotated[str, Path(min_length=1, max_length=100)],
    store: ObligationsDep,
    change: RecordedWrite,
) -> RecordedObligation:
    """Confirm (accept) a proposed obligation (from the extractor), so that audits apply it."""
    obligation = await store.confirm_obligation(key, obligation_id)
    await change.committed([obligation.id])
    return obligation


@router.post("/{obligation_id}/reject", response_model=RecordedObligation)
async def reject_obligation(
    key: DocumentKey,
    obligation_id: Annotated[str, Path(min_length=1, max_length=100)],
    store: ObligationsDep,
    change: RecordedWrite,
) -> RecordedObligation:
    """Reject an obligation: audits do not apply it, and extracting the text again does not bring it back."""
    obligation = await store.review_obligation(key, obligation_id, ObligationStatus.rejected)
    await change.committed([obligation.id])
    return obligation
