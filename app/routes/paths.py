"""GET /paths: the k shortest simple chains of links between two documents (graph.paths, over the store's
neighbour function)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from app.deps import get_store
from app.routing import StrictJsonRoute
from graph.models import MAX_DEPTH, Day, Relation, ReviewScope, View
from graph.paths import DEFAULT_K, DEFAULT_MAX_LENGTH, MAX_K, Chains, PathQuery, PathReads, find_paths

router = APIRouter(route_class=StrictJsonRoute, tags=["paths"])

PathsDep = Annotated[PathReads, Depends(get_store)]
ChainCount = Annotated[int | None, Query(ge=1, le=MAX_K, description=f"chains wanted, 1..{MAX_K}")]


@router.get("/paths", response_model=Chains)
async def paths(
    store: PathsDep,
    source: Annotated[str, Query(alias="from", min_length=1, max_length=200, description="a document key")],
    target: Annotated[str, Query(alias="to", min_length=1, max_length=200, description="a document key")],
    max_length: Annotated[int, Query(ge=1, le=MAX_DEPTH, description="links in a chain at most")] = DEFAULT_MAX_LENGTH,
    k: ChainCount = None,
    limit: Annotated[int | None, Query(ge=1, le=MAX_K, description="the same as k (earlier clients)")] = None,
    directed: Annotated[bool, Query(description="follow links only from source towards target")] = False,
    relation: Annotated[list[Relation] | None, Query(description="repeat to follow several; all by default")] = None,
    review: Annotated[ReviewScope, Query(description="accepted and proposed links, or accepted only")] = (
        ReviewScope.not_rejected
    ),
    as_of: Annotated[Day | None, Query(description="the graph as it stood on this day")] = None,
) -> Chains:
    """The k shortest simple chains of links joining two documents, shortest first, each link with its
    relation, date and review state.

    Undirected by default (a chain may follow a link either way); ``directed=true`` follows links from
    ``from`` towards ``to`` only. A search reads the links of a bounded number of documents: ``partial``
    says it stopped there (longer chains may exist).
    """
    query = PathQuery(
        max_length=max_length,
        k=k or limit or DEFAULT_K,
        directed=directed,
        relations=tuple(relation or Relation),
        view=View(review=review, as_of=as_of),
    )
    return await find_paths(store, source, target, query)
