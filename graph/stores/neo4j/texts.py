"""Source texts of the Neo4j store."""

from __future__ import annotations

import datetime as dt

from graph.clock import timestamp
from graph.errors import NotFoundError
from graph.models import SourceText
from graph.stores.neo4j.db import Neo4jRole

PUT_TEXT = """
MERGE (t:SourceText {id: $id})
ON CREATE SET t.text = $text, t.jurisdiction = $jurisdiction, t.document_key = $document_key,
              t.created_at = $now, t.new = true
WITH t, coalesce(t.new, false) AS created
REMOVE t.new
RETURN created
"""

GET_TEXT = "MATCH (t:SourceText {id: $id}) RETURN t {.*} AS text"
TEXTS_PAGE = """
MATCH (t:SourceText) WHERE ($since IS NULL OR t.created_at >= $since) AND t.id > $after
RETURN t {.*} AS text ORDER BY t.id LIMIT $limit
"""


class Neo4jTexts(Neo4jRole):
    """Source texts of the Neo4j store, by content id."""

    async def put_text(self, text: SourceText) -> bool:
        records = await self.db.write(
            PUT_TEXT,
            id=text.id,
            text=text.text,
            jurisdiction=text.jurisdiction,
            document_key=text.document_key,
            now=timestamp(),
        )
        return bool(records[0]["created"])

    async def get_text(self, text_id: str) -> SourceText:
        records = await self.db.read(GET_TEXT, id=text_id)
        if not records:
            raise NotFoundError("text", text_id)
        return SourceText.model_validate(records[0]["text"])

    async def texts_page(self, *, since: dt.datetime | None, after: str | None, limit: int) -> list[SourceText]:
        records = await self.db.read(
            TEXTS_PAGE, since=timestamp(since) if since else None, after=after or "", limit=limit
        )
        return [SourceText.model_validate(r["text"]) for r in records]
