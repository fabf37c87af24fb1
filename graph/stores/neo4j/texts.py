"""Source texts of the Neo4j store."""

from __future__ import annotations

from graph.clock import timestamp
from graph.errors import NotFoundError
from graph.models import SourceText
from graph.stores.neo4j import cypher
from graph.stores.neo4j.db import Neo4jRole


class Neo4jTexts(Neo4jRole):
    """Source texts of the Neo4j store, by content id."""

    async def put_text(self, text: SourceText) -> bool:
        records = await self.db.write(
            cypher.PUT_TEXT,
            id=text.id,
            text=text.text,
            jurisdiction=text.jurisdiction,
            document_key=text.document_key,
            now=timestamp(),
        )
        return bool(records[0]["created"])

    async def get_text(self, text_id: str) -> SourceText:
        records = await self.db.read(cypher.GET_TEXT, id=text_id)
        if not records:
            raise NotFoundError("text", text_id)
        return SourceText.model_validate(records[0]["text"])
