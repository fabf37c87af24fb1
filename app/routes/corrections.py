"""Corrections of documents (PATCH, DELETE, merge) and the stored texts they were read from."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response, status
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from app.deps import ChangeRecorder, ReadKey, RecordedWrite, get_store
from app.routing import StrictJsonRoute
from graph.models import Document
from graph.usecases.corrections import (
    CommitChange,
    CorrectionStore,
    DocumentPatch,
    MergeRequest,
    TextAnswer,
    TextStoreReads,
    delete_document,
    merge_documents,
    patch_document,
    text_answer,
)

router = APIRouter(route_class=StrictJsonRoute, tags=["corrections"])

DocumentKey = Annotated[str, Path(min_length=1, max_length=200, description="a document key")]
TextId = Annotated[str, Path(min_length=1, max_length=200, description="a text's id (SHA-256 of its NFC form)")]
CorrectionsDep = Annotated[CorrectionStore, Depends(get_store)]
TextsDep = Annotated[TextStoreReads, Depends(get_store)]


def _commit(change: ChangeRecorder) -> CommitChange:
    """The change-log entry of a correction, written in the correction's own unit of work."""

    async def commit(keys: list[str], before: list[Document], after: list[Document]) -> None:
        await change.committed(
            keys, before=[d.model_dump(mode="json") for d in before], after=[d.model_dump(mode="json") for d in after]
        )

    return commit


@router.patch("/documents/{key}", response_model=Document)
async def correct_document(
    key: DocumentKey, patch: DocumentPatch, store: CorrectionsDep, change: RecordedWrite
) -> Document:
    """Change any field of a document (null clears one); the result is validated as a new document is.

    A status given here is curated. A new symbol, year or scope (level and jurisdiction) gives the document the
    key of its new identity: its links, spellings, obligations and texts move with it, and the old key answers
    308 to the new one. A key another document holds is a 409 naming it.
    """
    change.attempting([key])
    try:
        return await patch_document(store, key, patch, _commit(change))
    except ValidationError as e:
        raise RequestValidationError(
            [{**error, "loc": ("body", *error["loc"])} for error in e.errors(include_url=False, include_context=False)]
        ) from None


@router.delete("/documents/{key}", status_code=status.HTTP_204_NO_CONTENT, response_class=Response)
async def remove_document(key: DocumentKey, store: CorrectionsDep, change: RecordedWrite) -> Response:
    """Remove a document and its links; one that other documents link to stays as a stub with those links."""
    change.attempting([key])
    await delete_document(store, key, _commit(change))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/documents/{key}/merge", response_model=Document)
async def merge_document(
    key: DocumentKey, body: MergeRequest, store: CorrectionsDep, change: RecordedWrite
) -> Document:
    """Merge the document ``from`` into this one: its spellings, links (both directions), obligations and texts
    move here, its values fill this one's empty fields, and its key answers 308 to this one. A ``from`` naming no
    document is a 422; a missing ``key`` is a 404."""
    change.attempting([key, body.from_])
    return await merge_documents(store, key, body.from_, _commit(change))


@router.get("/texts/{text_id}", response_model=TextAnswer)
async def get_text(text_id: TextId, store: TextsDep, _: ReadKey) -> TextAnswer:
    """A stored source text (needs a read key: uploaded texts may be internal), its document and the links it
    states, with their spans."""
    return await text_answer(store, text_id)
