"""Organizations: issuing bodies and administrative units, each valid over a period."""

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query

from app.deps import OrganizationsDep
from app.routing import StrictJsonRoute
from app.schemas import OrganizationPage
from graph.models import KEY_PATTERN, Day, Level, Organization

router = APIRouter(route_class=StrictJsonRoute, prefix="/organizations", tags=["organizations"])

MAX_ORGANIZATIONS_PAGE = 1000


@router.get("", response_model=OrganizationPage)
async def list_organizations(
    store: OrganizationsDep,
    level: Level | None = None,
    parent: Annotated[str | None, Query(max_length=200, description="the key of the parent organization")] = None,
    as_of: Annotated[Day | None, Query(description="only organizations valid on this date")] = None,
    q: Annotated[
        str | None, Query(max_length=200, description="in the name, short name or an alias; case and accents ignored")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_ORGANIZATIONS_PAGE, description="items per page")] = 100,
    after: Annotated[
        str | None, Query(max_length=200, pattern=KEY_PATTERN, description="the 'next' of the previous page")
    ] = None,
) -> OrganizationPage:
    """Organizations matching every given filter, by key, a page at a time (``next`` while more follow)."""
    found = await store.find_organizations(
        level=level, parent=parent or None, as_of=as_of, q=q or None, after=after, limit=limit + 1
    )
    items = [named_on(org, as_of) for org in found[:limit]]
    more = len(found) > limit
    return OrganizationPage(items=items, truncated=more, next=items[-1].key if more else None)


@router.get("/{key}", response_model=Organization)
async def get_organization(
    key: Annotated[str, Path(min_length=1, max_length=200, description="an organization key")],
    store: OrganizationsDep,
    as_of: Annotated[Day | None, Query(description="the name the organization bore on this day")] = None,
) -> Organization:
    return named_on(await store.get_organization(key), as_of)


def named_on(org: Organization, day: dt.date | None) -> Organization:
    """``org`` under the name it bore on ``day`` (its current name without a day); ``names`` keeps the history."""
    return org if day is None else org.model_copy(update={"name": org.name_on(day)})
