"""Links: writing one, the review queue, and reviewers' decisions on a link by id."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status
from pydantic import BaseModel

from app.deps import LinksDep, Page, ReadKey, RecordedWrite, get_store, page_params
from app.routing import StrictJsonRoute
from app.schemas import LinkList
from app.versioning import location
from graph.keys import link_id
from graph.models import Day, Link, LinkDraft, Relation, Review, ReviewScope, View, jurisdiction_key
from graph.review import LinkDecision, ReviewQuery, decision_summary
from graph.usecases.review import ReviewStore, decide, delete

router = APIRouter(route_class=StrictJsonRoute, prefix="/links", tags=["links"])

ReviewDep = Annotated[ReviewStore, Depends(get_store)]
LinkId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[0-9a-f]+$", description="a link id")]
QueuePage = Annotated[Page, Depends(page_params(100))]


async def view_query(
    review: Annotated[
        ReviewScope, Query(description="accepted: only accepted links; not_rejected (default): proposed ones too")
    ] = ReviewScope.not_rejected,
    as_of: Annotated[
        Day | None, Query(description="the graph as it stood on this day: later documents and their links absent")
    ] = None,
) -> View:
    """What a read of links, lineage, implementers or paths sees (rejected links never count)."""
    return View(review=review, as_of=as_of)


ViewDep = Annotated[View, Depends(view_query)]


class ReviewedLink(BaseModel):
    """A decided link, and the accepted link a correction made or accepted (``link.corrected_to`` names it)."""

    link: Link
    corrected: Link | None = None


@router.post("", response_model=Link, status_code=status.HTTP_201_CREATED)
async def create_link(
    draft: LinkDraft, store: LinksDep, change: RecordedWrite, request: Request, response: Response
) -> Link:
    """Link two documents by key ("source relation target"); posting the same link again changes nothing.
    201, with the source's outgoing links of that relation at ``Location``.

    A self-link or an unknown end is a 422, and so is a link along implements, continues, guides, amends, replaces
    or repeals whose source was issued before its target, unless ``"force": true`` (then kept ``flagged``)."""
    change.attempting([link_id(draft.source, draft.relation, draft.target)])
    [link] = await store.upsert_links([draft])
    await change.committed([link_id(link.source, link.relation, link.target)])
    response.headers["Location"] = location(
        request, f"/documents/{link.source}/links?direction=out&relation={link.relation.value}"
    )
    return link


@router.get("", response_model=LinkList)
async def review_queue(
    store: ReviewDep,
    page: QueuePage,
    _: ReadKey,
    review: Review = Review.proposed,
    jurisdiction: Annotated[str | None, Query(max_length=200, description="of the link's source")] = None,
    relation: Relation | None = None,
    confidence_below: Annotated[float | None, Query(ge=0.0, le=1.0)] = None,
    text: Annotated[str | None, Query(max_length=200, description="a text id: links it states")] = None,
) -> LinkList:
    """The review queue: links in a review state (proposed by default), lowest confidence first, then id."""
    query = ReviewQuery(
        review=review,
        jurisdiction=jurisdiction_key(jurisdiction) if jurisdiction else None,
        relation=relation,
        confidence_below=confidence_below,
        text=text or None,
    )
    found = await store.review_queue(query, offset=page.offset, limit=page.limit + 1)
    items, truncated, next_offset = page.of_window(found)
    return LinkList(items=items, truncated=truncated, next_offset=next_offset)


@router.get("/{link}", response_model=Link)
async def get_link(link: LinkId, store: ReviewDep, _: ReadKey) -> Link:
    return await store.get_link(link)


@router.patch("/{link}", response_model=ReviewedLink)
async def decide_link(link: LinkId, decision: LinkDecision, store: ReviewDep, change: RecordedWrite) -> ReviewedLink:
    """Accept or reject a link (``{"review": "accepted"}``), or correct its ``relation`` and/or ``target``: the
    link is then rejected, naming in ``corrected_to`` the accepted link that replaces it."""
    change.attempting([link])
    decided = await decide(store, link, decision)
    written = [decided.after.id, *([decided.corrected.id] if decided.corrected else [])]
    after = [decision_summary(decided.after), *([decision_summary(decided.corrected)] if decided.corrected else [])]
    await change.committed(written, before=[decision_summary(decided.before)], after=after)
    return ReviewedLink(link=decided.after, corrected=decided.corrected)


@router.delete("/{link}", status_code=204, response_class=Response)
async def delete_link(link: LinkId, store: ReviewDep, change: RecordedWrite) -> Response:
    """Delete a link for good (rejecting it keeps the decision; this does not)."""
    change.attempting([link])
    deleted = await delete(store, link)
    await change.committed([link], before=[decision_summary(deleted)])
    return Response(status_code=204)
