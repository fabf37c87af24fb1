"""Organizations of the Neo4j store."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from graph.clock import iso_day
from graph.errors import NotFoundError
from graph.models import Level, Organization, organization_matches
from graph.stores.neo4j.db import Neo4jRole, Transaction, run
from graph.stores.neo4j.rows import organization_props, organizations_by_key

UPSERT_ORGANIZATIONS = """
UNWIND $rows AS row
MERGE (o:Organization {key: row.key})
SET o = row
"""

LIST_ORGANIZATIONS = """
MATCH (o:Organization)
WHERE ($level IS NULL OR o.level = $level) AND ($parent IS NULL OR o.parent = $parent)
  AND ($as_of IS NULL OR ((o.valid_from IS NULL OR o.valid_from <= $as_of)
                          AND (o.valid_to IS NULL OR $as_of <= o.valid_to)))
RETURN o {.*} AS org ORDER BY o.key
"""

LINK_ORGANIZATION_PARENTS = """
UNWIND $rows AS row
MATCH (o:Organization {key: row.key}), (p:Organization {key: row.parent})
MERGE (o)-[:PART_OF]->(p)
"""


async def write_organizations(tx: Transaction, props: list[dict[str, object]]) -> None:
    """Merge organizations (node properties) and their PART_OF links in an open transaction."""
    await run(tx, UPSERT_ORGANIZATIONS, rows=props)
    await run(tx, LINK_ORGANIZATION_PARENTS, rows=[p for p in props if p.get("parent")])


class Neo4jOrganizations(Neo4jRole):
    """Organizations of the Neo4j store."""

    async def upsert_organizations(self, organizations: Sequence[Organization]) -> int:
        props = [organization_props(o) for o in organizations]
        await self.db.transaction(write_organizations, props, write=True)
        return len(props)

    async def get_organization(self, key: str) -> Organization:
        found = await organizations_by_key(self.db, [key])
        if key not in found:
            raise NotFoundError("organization", key)
        return found[key]

    async def list_organizations(
        self, *, level: Level | None = None, parent: str | None = None, as_of: dt.date | None = None
    ) -> list[Organization]:
        records = await self.db.read(
            LIST_ORGANIZATIONS, level=level.value if level else None, parent=parent, as_of=iso_day(as_of)
        )
        return [Organization.model_validate(r["org"]) for r in records]

    async def find_organizations(
        self,
        *,
        level: Level | None = None,
        parent: str | None = None,
        as_of: dt.date | None = None,
        q: str | None = None,
    ) -> list[Organization]:
        # Cypher has no accent folding, so the text filter runs here, on the level/parent/date selection.
        found = await self.list_organizations(level=level, parent=parent, as_of=as_of)
        return [o for o in found if q is None or organization_matches(o, q)]
