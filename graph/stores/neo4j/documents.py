"""Documents of the Neo4j store, created or merged by identity (graph.identity)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from graph.errors import NotFoundError
from graph.events import document_events
from graph.identity import (
    DocumentDraft,
    ResolvedDocument,
    WriteMode,
    check_new_keys,
    draft_lookup_keys,
    new_keys,
    resolve_documents,
)
from graph.models import Document, DocumentFilter, Organization
from graph.paging import DEFAULT_LIST_LIMIT
from graph.stores.neo4j import cypher
from graph.stores.neo4j.db import Neo4jRole, Transaction, run
from graph.stores.neo4j.events import record_events
from graph.stores.neo4j.rows import document_from_props, document_props, documents_by_key, organizations_by_key
from graph.symbols import symbol_match_key
from graph.text import fold

DOCUMENT_CANDIDATES = """
UNWIND $match_keys AS mk
MATCH (:SymbolKey {key: mk})-[:SPELLS]->(d:Document)
WITH DISTINCT d
MATCH (s:SymbolKey)-[:SPELLS]->(d)
RETURN d {.*} AS doc, collect(s.key) AS match_keys
"""

EXISTING_KEYS = "UNWIND $keys AS k MATCH (d:Document {key: k}) RETURN collect(d.key) AS keys"

FIND_DOCUMENTS = """
MATCH (d:Document)
WHERE ($year IS NULL OR d.year = $year) AND ($jurisdiction IS NULL OR d.jurisdiction = $jurisdiction)
  AND ($level IS NULL OR d.level = $level) AND ($type IS NULL OR d.type_folded = $type)
RETURN d {.*} AS doc
ORDER BY coalesce(d.year, 0) DESC, d.key
SKIP $offset LIMIT $limit
"""

FIND_DOCUMENTS_BY_SYMBOL = """
MATCH (:SymbolKey {key: $match_key})-[:SPELLS]->(d:Document)
WHERE ($year IS NULL OR d.year = $year) AND ($jurisdiction IS NULL OR d.jurisdiction = $jurisdiction)
  AND ($level IS NULL OR d.level = $level) AND ($type IS NULL OR d.type_folded = $type)
RETURN d {.*} AS doc
ORDER BY coalesce(d.year, 0) DESC, d.key
SKIP $offset LIMIT $limit
"""


class Neo4jDocuments(Neo4jRole):
    """Documents of the Neo4j store."""

    async def upsert_documents(
        self, drafts: Sequence[DocumentDraft], mode: WriteMode = WriteMode.curated
    ) -> list[Document]:
        drafts = list(drafts)
        org_keys, match_keys = draft_lookup_keys(drafts)
        organizations = await organizations_by_key(self.db, sorted(org_keys))
        resolved = await self.db.transaction(_upsert, drafts, organizations, sorted(match_keys), mode, write=True)
        return [r.document for r in resolved]

    async def get_document(self, key: str) -> Document:
        docs = await documents_by_key(self.db, [key])
        if key not in docs:
            raise NotFoundError("document", key)
        return docs[key]

    async def find_documents(
        self, query: DocumentFilter, limit: int = DEFAULT_LIST_LIMIT, offset: int = 0
    ) -> list[Document]:
        params: dict[str, Any] = {
            "offset": offset,
            "year": query.year,
            "jurisdiction": query.jurisdiction,
            "level": query.level.value if query.level else None,
            "type": fold(query.type) if query.type else None,
            "limit": limit,
        }
        if query.symbol:
            match_key = symbol_match_key(query.symbol)
            records = await self.db.read(FIND_DOCUMENTS_BY_SYMBOL, match_key=match_key, **params)
        else:
            records = await self.db.read(FIND_DOCUMENTS, **params)
        return [document_from_props(r["doc"]) for r in records]


async def _upsert(
    tx: Transaction,
    drafts: list[DocumentDraft],
    organizations: dict[str, Organization],
    match_keys: list[str],
    mode: WriteMode,
) -> list[ResolvedDocument]:
    records = await run(tx, DOCUMENT_CANDIDATES, match_keys=match_keys)
    candidates = [
        ResolvedDocument(document_from_props(r["doc"]), r["doc"].get("scope", ""), tuple(r["match_keys"]))
        for r in records
    ]
    resolved = resolve_documents(drafts, organizations, candidates, mode)
    [taken] = await run(tx, EXISTING_KEYS, keys=new_keys(resolved))
    check_new_keys(resolved, set(taken["keys"]))
    final = {r.document.key: r for r in resolved}
    await run(tx, cypher.UPSERT_DOCUMENTS, rows=[document_props(r) for r in final.values()])
    await run(tx, cypher.CLEAR_SPELLINGS, keys=list(final))
    spellings = [{"key": key, "match_keys": list(r.match_keys)} for key, r in final.items()]
    await run(tx, cypher.ADD_SPELLINGS, rows=spellings)
    await record_events(tx, document_events(resolved, [c.document for c in candidates]))
    return [final[r.document.key] for r in resolved]
