"""The change log of the Neo4j store."""

from __future__ import annotations

import json
from typing import Any

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
        await self.db.write(PUT_CHANGE, change=_change_props(change))

    async def list_changes(self, *, since: str | None, after: str | None, limit: int) -> list[Change]:
        records = await self.db.read(LIST_CHANGES, since=since, after=after, limit=limit)
        return [_change_from_props(r["change"]) for r in records]


def _change_props(change: Change) -> dict[str, Any]:
    """A change's node properties: the documents before and after as JSON (a property holds no maps)."""
    props = change.model_dump(mode="json")
    props["before_docs"] = json.dumps(props.pop("before"), ensure_ascii=False)
    props["after_docs"] = json.dumps(props.pop("after"), ensure_ascii=False)
    return props


def _change_from_props(props: dict[str, Any]) -> Change:
    data = dict(props)
    data["before"] = json.loads(data.pop("before_docs", "[]"))
    data["after"] = json.loads(data.pop("after_docs", "[]"))
    return Change.model_validate(data)
