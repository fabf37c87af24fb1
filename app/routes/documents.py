"""Documents and the lineage questions asked of one document."""

from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status

from app.deps import DocumentsDep, LinksDep, Page, RecordedWrite, TraversalDep, page_params
from app.routes.effects import AsOf, InForce, StatusParam, seen_on
from app.routes.links import ViewDep
from app.routing import StrictJsonRoute
from app.schemas import DocumentList, ImplementerList, LineagePage, LinkList, document_list_json, lineage_page_json
from app.versioning import location
from graph.identity import DocumentDraft, WriteMode
from graph.models import (
    DEFAULT_DEPTH,
    LINEAGE_RELATIONS,
    MAX_DEPTH,
    Document,
    DocumentFilter,
    EffectStatus,
    Level,
    LineageDirection,
    LineageOutline,
    LinkDirection,
    Relation,
    View,
    jurisdiction_key,
)
from graph.paging import DEFAULT_GRAPH_PAGE, OUTLINE_MAX_DOCUMENTS
from graph.ports import Documents, Traversal
from graph.records import document_json
from graph.usecases.lineage import lineage_json_with_status

router = APIRouter(route_class=StrictJsonRoute, prefix="/documents", tags=["documents"])

DocumentKey = Annotated[str, Path(min_length=1, max_length=200, description="a document key")]
Depth = Annotated[int, Query(ge=1, le=MAX_DEPTH, description=f"traversal depth bound, 1..{MAX_DEPTH}")]
Relations = Annotated[
    list[Relation] | None, Query(description="repeat to follow several relations; defaults depend on the question")
]
LIST_LIMIT = 100
SYMBOL_MAX_LENGTH = 120
ListPage = Annotated[Page, Depends(page_params(LIST_LIMIT))]
GraphPage = Annotated[Page, Depends(page_params(1000))]
LineagePageParams = Annotated[Page, Depends(page_params(DEFAULT_GRAPH_PAGE))]
Jurisdiction = Annotated[
    str | None, Query(max_length=200, description="an administrative unit key or name, e.g. thanh-hoa or Thanh Hóa")
]


def _next_offset(page: Page, shown: int, total: int) -> int | None:
    """Where the next page starts, if anything is left after this one."""
    end = page.offset + shown
    return end if end < total else None


@router.get("", response_model=DocumentList)
async def list_documents(
    store: DocumentsDep,
    page: ListPage,
    symbol: Annotated[
        str | None,
        Query(max_length=SYMBOL_MAX_LENGTH, description="any spelling: case, spaces, 'số' and aliases ignored"),
    ] = None,
    year: Annotated[int | None, Query(ge=1900, le=2200)] = None,
    jurisdiction: Jurisdiction = None,
    type: Annotated[str | None, Query(max_length=80, description="document type, e.g. Nghị quyết")] = None,
    level: Level | None = None,
    as_of: AsOf = None,
    status: StatusParam = None,
    in_force: InForce = None,
) -> Response:
    """Documents matching every given filter; a symbol alone returns every candidate, newest first."""
    query = DocumentFilter(
        symbol=symbol or None,
        year=year,
        jurisdiction=jurisdiction_key(jurisdiction) if jurisdiction else None,
        type=type or None,
        level=level,
        as_of=as_of,
        status=status,
        in_force=in_force,
    )
    return await documents_found(store, query, page)


async def documents_found(store: Documents, query: DocumentFilter, page: Page) -> Response:
    """The page of the documents ``query`` finds, as ``GET /documents`` answers it."""
    found = await store.find_documents_json(query, page.limit + 1, page.offset)
    items, truncated, next_offset = page.of_window(found)
    return Response(document_list_json(items, truncated, next_offset), media_type="application/json")


@router.post("", response_model=Document, status_code=status.HTTP_201_CREATED)
async def create_document(
    draft: DocumentDraft, store: DocumentsDep, change: RecordedWrite, request: Request, response: Response
) -> Document:
    """Create a document, or merge into the one with the same identity (symbol, scope, year): empty fields are
    filled, a differing value is a 409 naming the stored document. 201, with the document at ``Location``."""
    change.attempting([draft.symbol or f"{draft.type} {draft.title}"])
    [document] = await store.upsert_documents([draft], WriteMode.create)
    await change.committed([document.key])
    response.headers["Location"] = location(request, f"/documents/{document.key}")
    return document


@router.get("/{key}", response_model=Document)
async def get_document(key: DocumentKey, store: DocumentsDep, as_of: AsOf = None) -> Response:
    """The document with its status today, or as of a day (absent if issued after it)."""
    if as_of is None:  # today's status: the store's JSON, sent as it is
        text = await store.get_document_json(key)
    else:
        text = document_json(seen_on(await store.get_document(key), as_of))
    return Response(text, media_type="application/json")


@router.get("/{key}/links", response_model=LinkList)
async def document_links(
    key: DocumentKey,
    store: LinksDep,
    page: GraphPage,
    view: ViewDep,
    direction: LinkDirection = LinkDirection.both,
    relation: Relations = None,
) -> LinkList:
    """Links from (out), to (in) or at either end of (both) a document; all relations by default."""
    found = await store.links(
        key, direction, relation or list(Relation), offset=page.offset, limit=page.limit + 1, view=view
    )
    items, truncated, next_offset = page.of_window(found)
    return LinkList(items=items, truncated=truncated, next_offset=next_offset)


@router.get("/{key}/lineage", response_model=LineagePage)
async def lineage(
    key: DocumentKey,
    store: TraversalDep,
    page: LineagePageParams,
    view: ViewDep,
    direction: LineageDirection = LineageDirection.down,
    relation: Relations = None,
    max_depth: Depth = DEFAULT_DEPTH,
    status: StatusParam = None,
    in_force: InForce = None,
) -> Response:
    """Down: what implements, continues, guides or rests on this document, transitively. Up: what it rests on.

    Follows implements, continues, based_on and guides unless ``relation`` says otherwise. Statuses are those
    of ``as_of``, else today. With ``status`` or ``in_force``, documents that do not pass (the root too; ``root``
    still names it) are left out with the links touching them, and ``total`` and the counts count what passes.
    The walk still goes through a left-out document, so that, say, the plan implementing a replaced plan's
    successor is not lost: what lies beyond it keeps its depth, though the links to it are not shown.
    """
    return await lineage_found(
        store, key, direction, relation or list(LINEAGE_RELATIONS), max_depth, page, view, status, in_force
    )


async def lineage_found(
    store: Traversal,
    key: str,
    direction: LineageDirection,
    relations: Sequence[Relation],
    max_depth: int,
    page: Page,
    view: View = View(),  # noqa: B008 - frozen
    status: EffectStatus | None = None,
    in_force: bool | None = None,
) -> Response:
    """The page of a lineage, as ``GET /documents/{key}/lineage`` answers it."""
    found = await lineage_json_with_status(
        store,
        key,
        direction,
        relations,
        max_depth,
        offset=page.offset,
        limit=page.limit,
        view=view,
        status=status,
        in_force=in_force,
    )
    next_offset = _next_offset(page, len(found.nodes), found.total)
    return Response(lineage_page_json(found, next_offset), media_type="application/json")


OUTLINE_DESCRIPTION = f"""The whole lineage in one answer, without the documents' records: each document's key, depth,
parent on its chain, level, jurisdiction and year as parallel lists, and the links between them by position.

Enough to draw or export a lineage of thousands of documents; the lineage's pages, in the same order, carry the
documents themselves with their statuses. Walks as the lineage does, on the view's day. A lineage reaching more
than {OUTLINE_MAX_DOCUMENTS:,} documents is refused (422) with its size."""


@router.get("/{key}/lineage/outline", response_model=LineageOutline, description=OUTLINE_DESCRIPTION)
async def lineage_outline(
    key: DocumentKey,
    store: TraversalDep,
    view: ViewDep,
    direction: LineageDirection = LineageDirection.down,
    relation: Relations = None,
    max_depth: Depth = DEFAULT_DEPTH,
) -> LineageOutline:
    """The whole lineage as parallel lists (see :data:`OUTLINE_DESCRIPTION`, the operation's description)."""
    return await store.lineage_outline(key, direction, relation or list(LINEAGE_RELATIONS), max_depth, view=view)


@router.get("/{key}/implementers", response_model=ImplementerList)
async def implementers(
    key: DocumentKey,
    store: TraversalDep,
    page: LineagePageParams,
    view: ViewDep,
    level: Level | None = None,
    jurisdiction: Jurisdiction = None,
    max_depth: Depth = DEFAULT_DEPTH,
) -> ImplementerList:
    """Documents implementing this one directly or through a chain of implements/continues links.

    ``via`` lists the documents between this one and the implementer, nearest to this one first.
    """
    found = await store.implementers(
        key,
        level=level,
        jurisdiction=jurisdiction_key(jurisdiction) if jurisdiction else None,
        max_depth=max_depth,
        offset=page.offset,
        limit=page.limit,
        view=view,
    )
    next_offset = _next_offset(page, len(found.items), found.total)
    return ImplementerList.model_construct(**dict(found), truncated=next_offset is not None, next_offset=next_offset)
