from typing import Annotated

from fastapi import APIRouter, Query

from app.deps import TraversalDep
from app.routes.links import ViewDep
from app.routing import StrictJsonRoute
from app.schemas import PathsResponse

router = APIRouter(route_class=StrictJsonRoute, tags=["paths"])

MAX_PATH_LENGTH = 10


@router.get("/paths", response_model=PathsResponse)
async def paths(
    store: TraversalDep,
    view: ViewDep,
    source: Annotated[str, Query(alias="from", min_length=1, max_length=200, description="a document key")],
    target: Annotated[str, Query(alias="to", min_length=1, max_length=200, description="a document key")],
    max_length: Annotated[int, Query(ge=1, le=MAX_PATH_LENGTH)] = 6,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> PathsResponse:
    """The shortest chains of links (in either direction, any relation) joining two documents."""
    return PathsResponse(paths=await store.paths(source, target, max_length=max_length, limit=limit, view=view))
