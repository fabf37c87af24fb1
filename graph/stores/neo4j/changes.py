"""The change log of the Neo4j store."""

from __future__ import annotations

from graph.keys import Change, change_from_row, change_states
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
        props = change.model_dump(mode="json", exclude={"before", "after"}) | change_states(change)
        await self.db.write(PUT_CHANGE, change={k: v for k, v in props.items() if v is not None})

    async def list_changes(self, *, since: str | None, after: str | None, limit: int) -> list[Change]:
        records = await self.db.read(LIST_CHANGES, since=since, after=after, limit=limit)
        return [change_from_row(r["change"]) for r in records]
