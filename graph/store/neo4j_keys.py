"""Neo4j part of the keys capability (mixed into Neo4jStore): API key records and the change log."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graph.errors import NotFoundError
from graph.keys import ApiKey, Change

if TYPE_CHECKING:
    import neo4j

CREATE_API_KEY = "CREATE (k:ApiKey) SET k = $key"
FIND_API_KEY = "MATCH (k:ApiKey {id: $id}) RETURN k {.*} AS key"
LIST_API_KEYS = "MATCH (k:ApiKey) RETURN k {.*} AS key ORDER BY k.created_at, k.id"
REVOKE_API_KEY = """
MATCH (k:ApiKey {id: $id})
SET k.revoked_at = coalesce(k.revoked_at, $at)
RETURN k {.*} AS key
"""
PUT_CHANGE = """
MERGE (c:Change {id: $change.id})
SET c += $change
"""
LIST_CHANGES = """
MATCH (c:Change)
WHERE ($since IS NULL OR c.at >= $since) AND ($after IS NULL OR c.id > $after)
RETURN c {.*} AS change ORDER BY c.id LIMIT $limit
"""


class Neo4jKeys:
    """API keys and the change log of the Neo4j store."""

    if TYPE_CHECKING:

        async def _read(self, query: str, /, **params: Any) -> list[neo4j.Record]: ...

        async def _write(self, query: str, /, **params: Any) -> list[neo4j.Record]: ...

    async def put_api_key(self, key: ApiKey) -> None:
        props = {k: v for k, v in key.model_dump(mode="json").items() if v is not None}
        await self._write(CREATE_API_KEY, key=props)

    async def find_api_key(self, key_id: str) -> ApiKey | None:
        records = await self._read(FIND_API_KEY, id=key_id)
        return ApiKey.model_validate(records[0]["key"]) if records else None

    async def list_api_keys(self) -> list[ApiKey]:
        return [ApiKey.model_validate(r["key"]) for r in await self._read(LIST_API_KEYS)]

    async def revoke_api_key(self, key_id: str, at: str) -> ApiKey:
        records = await self._write(REVOKE_API_KEY, id=key_id, at=at)
        if not records:
            raise NotFoundError("API key", key_id)
        return ApiKey.model_validate(records[0]["key"])

    async def put_change(self, change: Change) -> None:
        await self._write(PUT_CHANGE, change=change.model_dump(mode="json"))

    async def list_changes(self, *, since: str | None, after: str | None, limit: int) -> list[Change]:
        records = await self._read(LIST_CHANGES, since=since, after=after, limit=limit)
        return [Change.model_validate(r["change"]) for r in records]
