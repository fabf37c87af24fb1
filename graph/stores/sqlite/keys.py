"""API key records of the embedded store (digests, never keys)."""

from __future__ import annotations

import sqlite3

from graph.errors import NotFoundError
from graph.keys import ApiKey
from graph.stores.sqlite.db import SqliteRole

KEY_COLUMNS = "id, name, scope, digest, created_at, revoked_at"
PUT_API_KEY = f"INSERT INTO api_keys ({KEY_COLUMNS}) VALUES (:id, :name, :scope, :digest, :created_at, :revoked_at)"
FIND_API_KEY = f"SELECT {KEY_COLUMNS} FROM api_keys WHERE id = ?"
LIST_API_KEYS = f"SELECT {KEY_COLUMNS} FROM api_keys ORDER BY created_at, id"
REVOKE_API_KEY = "UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?"


class SqliteKeys(SqliteRole):
    """API key records of the embedded store."""

    async def put_api_key(self, record: ApiKey) -> None:
        def put() -> None:
            with self.db.write() as tx:
                tx.execute(PUT_API_KEY, record.model_dump(mode="json"))

        await self.db.run(put)

    async def find_api_key(self, key_id: str) -> ApiKey | None:
        row = await self.db.run(lambda: self.db.connection().execute(FIND_API_KEY, (key_id,)).fetchone())
        return ApiKey.model_validate(dict(row)) if row else None

    async def list_api_keys(self) -> list[ApiKey]:
        rows = await self.db.run(lambda: self.db.connection().execute(LIST_API_KEYS).fetchall())
        return [ApiKey.model_validate(dict(r)) for r in rows]

    async def revoke_api_key(self, key_id: str, at: str) -> ApiKey:
        def revoke() -> sqlite3.Row:
            with self.db.write() as tx:
                tx.execute(REVOKE_API_KEY, (at, key_id))
                row: sqlite3.Row | None = tx.execute(FIND_API_KEY, (key_id,)).fetchone()
            if row is None:
                raise NotFoundError("API key", key_id)
            return row

        return ApiKey.model_validate(dict(await self.db.run(revoke)))
