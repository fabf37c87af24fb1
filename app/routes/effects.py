"""Effects and time: a document's timeline, and the ``as_of`` / ``status`` / ``in_force`` query parameters."""

from typing import Annotated

from fastapi import APIRouter, Path, Query

from app.deps import DocumentsDep, LinksDep
from app.routing import StrictJsonRoute
from graph.effects import EFFECT_RELATIONS, as_of, matches
from graph.errors import NotFoundError
from graph.models import Day, Document, EffectStatus, LinkDirection, issued_by
from graph.ports import Documents
from graph.search import SearchHit
from graph.timeline import Timeline, timeline

router = APIRouter(route_class=StrictJsonRoute, prefix="/documents", tags=["documents"])

AsOf = Annotated[
    Day | None,
    Query(description="the graph as it stood on this day: later documents absent, statuses and names of that day"),
]
StatusParam = Annotated[
    EffectStatus | None, Query(description="only documents with this status (on as_of, else today)")
]
InForce = Annotated[
    bool | None, Query(description="true: in_force, amended or partly_repealed; false: any other status")
]


def seen_on(doc: Document, day: AsOf) -> Document:
    """``doc`` as of ``day`` (today when None); a document issued after ``day`` is not found."""
    if not issued_by(doc.date, doc.year, day):
        raise NotFoundError("document", doc.key)
    return doc if day is None else as_of(doc, day)  # a store's document is already settled on today


async def hits_as_of(
    hits: list[SearchHit], documents: Documents, day: AsOf, status: EffectStatus | None, in_force: bool | None
) -> list[SearchHit]:
    """Search hits issued by ``day``, with that day's status, passing the status filters (a post-filter: the
    ranking is the search's)."""
    out = []
    for hit in hits:
        if issued_by(hit.date, hit.year, day):
            settled = as_of(await documents.get_document(hit.key), day)
            update = {
                "status": settled.status,
                "status_links": settled.status_links,
                "effective_to": settled.effective_to,
            }
            if matches(settled, status, in_force):
                out.append(hit.model_copy(update=update))
    return out


@router.get("/{key}/timeline", response_model=Timeline)
async def document_timeline(
    key: Annotated[str, Path(min_length=1, max_length=200, description="a document key")],
    documents: DocumentsDep,
    links: LinksDep,
    as_of: AsOf = None,
) -> Timeline:
    """The document's life in date order: issued, in force, each amendment, partial repeal, replacement or repeal
    with the document that made it, and what it amended, replaced or repealed in turn."""
    doc = seen_on(await documents.get_document(key), as_of)
    relations = list(EFFECT_RELATIONS)
    incoming = await links.links(key, LinkDirection.in_, relations)
    outgoing = await links.links(key, LinkDirection.out, relations)
    ends = {k: await documents.get_document(k) for k in {*(i.source for i in incoming), *(o.target for o in outgoing)}}
    changed_by = [(link, ends[link.source]) for link in incoming]
    changes = [(link, ends[link.target]) for link in outgoing]
    return timeline(doc, changed_by, changes, as_of)
