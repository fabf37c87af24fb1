"""The change log: every write made through the API, who made it and what it wrote."""

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from app.deps import ChangeLogDep, WriteKey
from app.routing import StrictJsonRoute
from graph.clock import timestamp
from graph.errors import InvalidInputError
from graph.keys import Change
from graph.models import Moment

router = APIRouter(route_class=StrictJsonRoute, prefix="/changes", tags=["changes"])

MAX_CHANGES_PAGE = 1000


class ChangePage(BaseModel):
    items: list[Change]
    next: str | None = None


@router.get("", response_model=ChangePage)
async def list_changes(
    store: ChangeLogDep,
    _: WriteKey,
    since: Annotated[Moment | None, Query(description="only changes at or after this time (ISO 8601)")] = None,
    after: Annotated[str | None, Query(max_length=100, description="the 'next' of the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_CHANGES_PAGE)] = 100,
) -> ChangePage:
    """Writes, oldest first, needing a write or admin key; ``next`` is set while more may follow."""
    items = await store.list_changes(since=_since(since), after=after, limit=limit)
    return ChangePage(items=items, next=items[-1].id if len(items) == limit else None)


def _since(since: dt.datetime | None) -> str | None:
    if since is None:
        return None
    try:
        return timestamp(since if since.tzinfo else since.replace(tzinfo=dt.UTC))
    except OverflowError as e:
        raise InvalidInputError(f"'since' is out of range: {since}") from e
