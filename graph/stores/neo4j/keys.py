"""API key records of the Neo4j store (digests, never keys)."""

from __future__ import annotations

from graph.errors import NotFoundError
from graph.keys import ApiKey
from graph.stores.neo4j.db import Neo4jRole

CREATE_API_KEY = "CREATE (k:ApiKey) SET k = $key"
FIND_API_KEY = "MATCH (k:ApiKey {id: $id}) RETURN k {.*} AS key"
LIST_API_KEYS = "MATCH (k:ApiKey) RETURN k {.*} AS key ORDER BY k.created_at, k.id"
REVOKE_API_KEY = """
MATCH (k:ApiKey {id: $id})
SET k.revoked_at = coalesce(k.revoked_at, $at)
RETURN k {.*} AS key
"""


class Neo4jKeys(Neo4jRole):
    """API key records of the Neo4j store."""

    async def put_api_key(self, record: ApiKey) -> None:
        props = {k: v for k, v in record.model_dump(mode="json").items() if v is not None}
        await self.db.write(CREATE_API_KEY, key=props)

    async def find_api_key(self, key_id: str) -> ApiKey | None:
        records = await self.db.read(FIND_API_KEY, id=key_id)
        return ApiKey.model_validate(records[0]["key"]) if records else None

    async def list_api_keys(self) -> list[ApiKey]:
        return [ApiKey.model_validate(r["key"]) for r in await self.db.read(LIST_API_KEYS)]

    async def revoke_api_key(self, key_id: str, at: str) -> ApiKey:
        records = await self.db.write(REVOKE_API_KEY, id=key_id, at=at)
        if not records:
            raise NotFoundError("API key", key_id)
        return ApiKey.model_validate(records[0]["key"])
