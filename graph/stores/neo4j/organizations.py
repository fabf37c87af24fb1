"""Organizations of the Neo4j store."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from graph.clock import iso_day
from graph.errors import NotFoundError
from graph.models import Level, Organization
from graph.paging import DEFAULT_LIST_LIMIT
from graph.stores.neo4j.db import Neo4jRole, Transaction, run
from graph.stores.neo4j.rows import organization_from_props, organization_props, organizations_by_key
from graph.text import fold, squash_spaces

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

# Names are folded on write (organization_names): Cypher has no accent folding. Written before that, a node
# has no folded names and is matched on its lower-cased name.
FIND_ORGANIZATIONS = """
MATCH (o:Organization)
WHERE ($after IS NULL OR o.key > $after)
  AND ($level IS NULL OR o.level = $level) AND ($parent IS NULL OR o.parent = $parent)
  AND ($as_of IS NULL OR ((o.valid_from IS NULL OR o.valid_from <= $as_of)
                          AND (o.valid_to IS NULL OR $as_of <= o.valid_to)))
  AND ($q IS NULL OR coalesce(o.folded_names, toLower(o.name)) CONTAINS $q)
RETURN o {.*} AS org ORDER BY o.key LIMIT $limit
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
        return [organization_from_props(r["org"]) for r in records]

    async def find_organizations(
        self,
        *,
        level: Level | None = None,
        parent: str | None = None,
        as_of: dt.date | None = None,
        q: str | None = None,
        after: str | None = None,
        limit: int = DEFAULT_LIST_LIMIT,
    ) -> list[Organization]:
        records = await self.db.read(
            FIND_ORGANIZATIONS,
            level=level.value if level else None,
            parent=parent,
            as_of=iso_day(as_of),
            q=fold(squash_spaces(q)) if q else None,
            after=after,
            limit=limit,
        )
        return [organization_from_props(r["org"]) for r in records]
