"""Source texts of the embedded store."""

from __future__ import annotations

import datetime as dt

from graph.clock import timestamp
from graph.errors import NotFoundError
from graph.models import SourceText
from graph.stores.sqlite.db import SqliteRole

PUT_TEXT = "INSERT OR IGNORE INTO source_texts VALUES (?, ?, ?, ?, ?)"
GET_TEXT = "SELECT * FROM source_texts WHERE id = ?"
TEXTS_PAGE = (
    "SELECT * FROM source_texts WHERE (:since IS NULL OR created_at >= :since) AND id > :after ORDER BY id LIMIT :limit"
)


class SqliteTexts(SqliteRole):
    """Source texts of the embedded store, by content id."""

    async def put_text(self, text: SourceText) -> bool:
        def put() -> bool:
            with self.db.write() as tx:
                cursor = tx.execute(PUT_TEXT, (text.id, text.text, text.jurisdiction, text.document_key, timestamp()))
            return cursor.rowcount == 1

        return await self.db.run(put)

    async def get_text(self, text_id: str) -> SourceText:
        row = await self.db.run(lambda: self.db.connection().execute(GET_TEXT, (text_id,)).fetchone())
        if row is None:
            raise NotFoundError("text", text_id)
        return SourceText.model_validate(dict(row))

    async def texts_page(self, *, since: dt.datetime | None, after: str | None, limit: int) -> list[SourceText]:
        params = {"since": timestamp(since) if since else None, "after": after or "", "limit": limit}
        rows = await self.db.run(lambda: self.db.connection().execute(TEXTS_PAGE, params).fetchall())
        return [SourceText.model_validate(dict(row)) for row in rows]
