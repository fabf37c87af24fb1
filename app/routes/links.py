from fastapi import APIRouter, Request, Response, status

from app.deps import LinksDep, RecordedWrite
from app.routing import StrictJsonRoute
from app.versioning import location
from graph.keys import link_id
from graph.models import Link, LinkDraft

router = APIRouter(route_class=StrictJsonRoute, prefix="/links", tags=["links"])


@router.post("", response_model=Link, status_code=status.HTTP_201_CREATED)
async def create_link(
    draft: LinkDraft, store: LinksDep, change: RecordedWrite, request: Request, response: Response
) -> Link:
    """Link two documents by key ("source relation target"); posting the same link again changes nothing.
    201, with the source's outgoing links of that relation at ``Location``."""
    change.attempting([link_id(draft.source, draft.relation, draft.target)])
    [link] = await store.upsert_links([draft])
    await change.committed([link_id(link.source, link.relation, link.target)])
    response.headers["Location"] = location(
        request, f"/documents/{link.source}/links?direction=out&relation={link.relation.value}"
    )
    return link
