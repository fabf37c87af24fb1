"""SQLite part of the keys capability (mixed into SqliteStore): API key records and the change log."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, TypeVar

from graph.errors import NotFoundError
from graph.keys import ApiKey, Change

T = TypeVar("T")

_KEY_COLUMNS = "id, name, scope, digest, created_at, revoked_at"
_CHANGE_COLUMNS = "id, at, key_id, method, path, status, keys"
_PUT_CHANGE = (
    f"INSERT INTO changes ({_CHANGE_COLUMNS}) VALUES (:id, :at, :key_id, :method, :path, :status, :keys) "
    "ON CONFLICT (id) DO UPDATE SET status = excluded.status, keys = excluded.keys"
)
_LIST_CHANGES = (
    f"SELECT {_CHANGE_COLUMNS} FROM changes WHERE (:since IS NULL OR at >= :since) "
    "AND (:after IS NULL OR id > :after) ORDER BY id LIMIT :limit"
)


class SqliteKeys:
    """API keys and the change log of the embedded store."""

    if TYPE_CHECKING:

        def _connection(self) -> sqlite3.Connection: ...

        def _write(self) -> AbstractContextManager[sqlite3.Connection]: ...

        async def _run(self, fn: Callable[..., T], *args: Any) -> T: ...

    async def put_api_key(self, key: ApiKey) -> None:
        def put() -> None:
            with self._write() as tx:
                tx.execute(
                    f"INSERT INTO api_keys ({_KEY_COLUMNS}) VALUES (:id, :name, :scope, :digest, :created_at, :revoked_at)",
                    key.model_dump(mode="json"),
                )

        await self._run(put)

    async def find_api_key(self, key_id: str) -> ApiKey | None:
        row = await self._run(
            lambda: (
                self._connection().execute(f"SELECT {_KEY_COLUMNS} FROM api_keys WHERE id = ?", (key_id,)).fetchone()
            )
        )
        return ApiKey.model_validate(dict(row)) if row else None

    async def list_api_keys(self) -> list[ApiKey]:
        rows = await self._run(
            lambda: (
                self._connection().execute(f"SELECT {_KEY_COLUMNS} FROM api_keys ORDER BY created_at, id").fetchall()
            )
        )
        return [ApiKey.model_validate(dict(r)) for r in rows]

    async def revoke_api_key(self, key_id: str, at: str) -> ApiKey:
        def revoke() -> sqlite3.Row:
            with self._write() as tx:
                tx.execute("UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?", (at, key_id))
                row: sqlite3.Row | None = tx.execute(
                    f"SELECT {_KEY_COLUMNS} FROM api_keys WHERE id = ?", (key_id,)
                ).fetchone()
            if row is None:
                raise NotFoundError("API key", key_id)
            return row

        return ApiKey.model_validate(dict(await self._run(revoke)))

    async def put_change(self, change: Change) -> None:
        row = change.model_dump(mode="json") | {"keys": json.dumps(change.keys, ensure_ascii=False)}

        def put() -> None:
            with self._write() as tx:
                tx.execute(_PUT_CHANGE, row)

        await self._run(put)

    async def list_changes(self, *, since: str | None, after: str | None, limit: int) -> list[Change]:
        params = {"since": since, "after": after, "limit": limit}
        rows = await self._run(lambda: self._connection().execute(_LIST_CHANGES, params).fetchall())
        return [Change.model_validate(dict(r) | {"keys": json.loads(r["keys"])}) for r in rows]
