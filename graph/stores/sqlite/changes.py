"""The change log of the embedded store."""

from __future__ import annotations

import json
import sqlite3

from graph.keys import Change
from graph.models import Document
from graph.stores.sqlite.db import SqliteRole

CHANGE_COLUMNS = "id, at, key_id, method, path, status, keys, before_docs, after_docs"
PUT_CHANGE = (
    f"INSERT INTO changes ({CHANGE_COLUMNS}) "
    "VALUES (:id, :at, :key_id, :method, :path, :status, :keys, :before_docs, :after_docs) "
    "ON CONFLICT (id) DO UPDATE SET status = excluded.status, keys = excluded.keys, "
    "before_docs = excluded.before_docs, after_docs = excluded.after_docs"
)
LIST_CHANGES = (
    f"SELECT {CHANGE_COLUMNS} FROM changes WHERE (:since IS NULL OR at >= :since) "
    "AND (:after IS NULL OR id > :after) ORDER BY id LIMIT :limit"
)


class SqliteChanges(SqliteRole):
    """The change log of the embedded store."""

    async def put_change(self, change: Change) -> None:
        row = change.model_dump(mode="json", exclude={"before", "after"}) | {
            "keys": json.dumps(change.keys, ensure_ascii=False),
            "before_docs": _documents_json(change.before),
            "after_docs": _documents_json(change.after),
        }

        def put() -> None:
            with self.db.write() as tx:
                tx.execute(PUT_CHANGE, row)

        await self.db.run(put)

    async def list_changes(self, *, since: str | None, after: str | None, limit: int) -> list[Change]:
        params = {"since": since, "after": after, "limit": limit}
        rows = await self.db.run(lambda: self.db.connection().execute(LIST_CHANGES, params).fetchall())
        return [_change_from_row(r) for r in rows]


def _documents_json(documents: list[Document]) -> str:
    return json.dumps([d.model_dump(mode="json") for d in documents], ensure_ascii=False)


def _change_from_row(row: sqlite3.Row) -> Change:
    data = dict(row) | {"keys": json.loads(row["keys"])}
    data |= {"before": json.loads(data.pop("before_docs")), "after": json.loads(data.pop("after_docs"))}
    return Change.model_validate(data)
