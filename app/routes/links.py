from fastapi import APIRouter

from app.deps import LinksDep, RecordedWrite
from app.routing import StrictJsonRoute
from graph.keys import link_id
from graph.models import Link, LinkDraft

router = APIRouter(route_class=StrictJsonRoute, prefix="/links", tags=["links"])


@router.post("", response_model=Link)
async def create_link(draft: LinkDraft, store: LinksDep, change: RecordedWrite) -> Link:
    """Link two documents by key ("source relation target"); posting the same link again changes nothing."""
    change.attempting([link_id(draft.source, draft.relation, draft.target)])
    [link] = await store.upsert_links([draft])
    await change.committed([link_id(link.source, link.relation, link.target)])
    return link
