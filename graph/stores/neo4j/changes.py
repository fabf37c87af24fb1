"""The change log of the Neo4j store."""

from __future__ import annotations

from graph.keys import Change
from graph.stores.neo4j.db import Neo4jRole

PUT_CHANGE = """
MERGE (c:Change {id: $change.id})
SET c += $change
"""
LIST_CHANGES = """
MATCH (c:Change)
WHERE ($since IS NULL OR c.at >= $since) AND ($after IS NULL OR c.id > $after)
RETURN c {.*} AS change ORDER BY c.id LIMIT $limit
"""


class Neo4jChanges(Neo4jRole):
    """The change log of the Neo4j store."""

    async def put_change(self, change: Change) -> None:
        await self.db.write(PUT_CHANGE, change=change.model_dump(mode="json"))

    async def list_changes(self, *, since: str | None, after: str | None, limit: int) -> list[Change]:
        records = await self.db.read(LIST_CHANGES, since=since, after=after, limit=limit)
        return [Change.model_validate(r["change"]) for r in records]
