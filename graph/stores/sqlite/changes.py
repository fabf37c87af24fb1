"""The change log of the embedded store."""

from __future__ import annotations

import json

from graph.keys import Change, change_from_row, change_states
from graph.stores.sqlite.db import SqliteRole

CHANGE_COLUMNS = "id, at, key_id, method, path, status, keys, before_state, after_state"
PUT_CHANGE = (
    f"INSERT INTO changes ({CHANGE_COLUMNS}) VALUES (:id, :at, :key_id, :method, :path, :status, :keys, "
    ":before_state, :after_state) ON CONFLICT (id) DO UPDATE SET status = excluded.status, keys = excluded.keys, "
    "before_state = excluded.before_state, after_state = excluded.after_state"
)
LIST_CHANGES = (
    f"SELECT {CHANGE_COLUMNS} FROM changes WHERE (:since IS NULL OR at >= :since) "
    "AND (:after IS NULL OR id > :after) ORDER BY id LIMIT :limit"
)


class SqliteChanges(SqliteRole):
    """The change log of the embedded store."""

    async def put_change(self, change: Change) -> None:
        row = (
            change.model_dump(mode="json")
            | {"keys": json.dumps(change.keys, ensure_ascii=False)}
            | change_states(change)
        )

        def put() -> None:
            with self.db.write() as tx:
                tx.execute(PUT_CHANGE, row)

        await self.db.run(put)

    async def list_changes(self, *, since: str | None, after: str | None, limit: int) -> list[Change]:
        params = {"since": since, "after": after, "limit": limit}
        rows = await self.db.run(lambda: self.db.connection().execute(LIST_CHANGES, params).fetchall())
        return [change_from_row(dict(r)) for r in rows]
