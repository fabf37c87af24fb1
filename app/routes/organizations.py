"""Organizations: issuing bodies and administrative units, each valid over a period."""

from typing import Annotated

from fastapi import APIRouter, Path, Query

from app.deps import StoreDep
from app.routing import StrictJsonRoute
from app.schemas import OrganizationList
from graph.models import Day, Level, Organization

router = APIRouter(route_class=StrictJsonRoute, prefix="/organizations", tags=["organizations"])


@router.get("", response_model=OrganizationList)
async def list_organizations(
    store: StoreDep,
    level: Level | None = None,
    parent: Annotated[str | None, Query(max_length=200, description="the key of the parent organization")] = None,
    as_of: Annotated[Day | None, Query(description="only organizations valid on this date")] = None,
    q: Annotated[
        str | None, Query(max_length=200, description="in the name, short name or an alias; case and accents ignored")
    ] = None,
) -> OrganizationList:
    """Organizations matching every given filter, by key."""
    items = await store.find_organizations(level=level, parent=parent or None, as_of=as_of, q=q or None)
    return OrganizationList(items=items)


@router.get("/{key}", response_model=Organization)
async def get_organization(
    key: Annotated[str, Path(min_length=1, max_length=200, description="an organization key")], store: StoreDep
) -> Organization:
    return await store.get_organization(key)
