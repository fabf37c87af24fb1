"""Documents of the Neo4j store, created or merged by identity (graph.identity)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from graph.clock import today
from graph.effects import as_of
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
from graph.records import document_json
from graph.stores.neo4j import cypher
from graph.stores.neo4j.db import Neo4jRole, Transaction, run
from graph.stores.neo4j.effects import STATUS_FILTER, after_document_write, filter_params
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

# A find without a symbol reads the list order (cypher.LIST_ORDERS) of the first of these filters given (in the
# order of how few documents each commonly leaves), or the order of all documents, from its index; a year
# narrows the prefix read; the other filters are checked on the documents read.
_LIST_FILTERS = {"jurisdiction": "d.jurisdiction", "type": "d.type_folded", "level": "d.level"}


@functools.cache
def _find(ordered_by: str | None, others: frozenset[str]) -> str:
    """Cypher: a page of the documents whose list order by the filter ``ordered_by`` (all documents' if None)
    starts with $order_prefix, passing the filters ``others`` and the status ones."""
    order = f"{ordered_by}_order" if ordered_by else "page_order"
    checks = "".join(f" AND {column} = ${name}" for name, column in _LIST_FILTERS.items() if name in others)
    return f"""
MATCH (d:Document) USING INDEX SEEK d:Document({order})
WHERE d.{order} STARTS WITH $order_prefix AND {STATUS_FILTER}{checks}
WITH d ORDER BY d.{order}
SKIP $offset LIMIT $limit
RETURN collect(d {{.*}}) AS documents
"""


def _list_order(params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The Cypher of a find without a symbol, with its parameters and the prefix of the order it reads."""
    given = [name for name in _LIST_FILTERS if params[name] is not None]
    ordered_by = given[0] if given else None
    prefix = f"{params[ordered_by]}{cypher.ORDER_SEPARATOR}" if ordered_by else ""
    if params["year"] is not None:
        prefix += f"{9999 - params['year']:04d}{cypher.ORDER_SEPARATOR}"
    return _find(ordered_by, frozenset(given[1:])), {**params, "order_prefix": prefix}


# The spellings of a match key in page order from their index (V0027), so a page stops after its rows however
# many documents share the symbol ("1/KH-UBND"): no sort, and the time does not grow with the store.
FIND_DOCUMENTS_BY_SYMBOL = f"""
MATCH ()-[s:SPELLS]->(d:Document) USING INDEX SEEK s:SPELLS(order)
WHERE s.order STARTS WITH $order_prefix AND {STATUS_FILTER}
  AND ($year IS NULL OR d.year = $year) AND ($jurisdiction IS NULL OR d.jurisdiction = $jurisdiction)
  AND ($level IS NULL OR d.level = $level) AND ($type IS NULL OR d.type_folded = $type)
WITH d, s ORDER BY s.order
SKIP $offset LIMIT $limit
RETURN collect(d {{.*}}) AS documents
"""


class Neo4jDocuments(Neo4jRole):
    """Documents of the Neo4j store."""

    async def upsert_documents(
        self, drafts: Sequence[DocumentDraft], mode: WriteMode = WriteMode.curated
    ) -> list[Document]:
        drafts = list(drafts)
        org_keys, match_keys = draft_lookup_keys(drafts)
        organizations = await organizations_by_key(self.db, sorted(org_keys))
        return await self.db.transaction(_upsert, drafts, organizations, sorted(match_keys), mode, write=True)

    async def get_document(self, key: str) -> Document:
        docs = await documents_by_key(self.db, [key])
        if key not in docs:
            raise NotFoundError("document", key)
        return docs[key]

    async def get_document_json(self, key: str) -> str:
        return document_json(await self.get_document(key))

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
            **filter_params(query, today()),
        }
        if query.symbol:
            prefix = symbol_match_key(query.symbol) + cypher.ORDER_SEPARATOR
            records = await self.db.read(FIND_DOCUMENTS_BY_SYMBOL, order_prefix=prefix, **params)
        else:
            find, with_prefix = _list_order(params)
            records = await self.db.read(find, **with_prefix)
        documents = [document_from_props(props) for props in records[0]["documents"]]  # settled on today
        return documents if query.as_of is None else [as_of(d, query.as_of) for d in documents]

    async def find_documents_json(
        self, query: DocumentFilter, limit: int = DEFAULT_LIST_LIMIT, offset: int = 0
    ) -> list[str]:
        return [document_json(d) for d in await self.find_documents(query, limit, offset)]


async def _upsert(
    tx: Transaction,
    drafts: list[DocumentDraft],
    organizations: dict[str, Organization],
    match_keys: list[str],
    mode: WriteMode,
) -> list[Document]:
    records = await run(tx, DOCUMENT_CANDIDATES, match_keys=match_keys)
    candidates = [
        ResolvedDocument(document_from_props(r["doc"], settle=False), r["doc"].get("scope", ""), tuple(r["match_keys"]))
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
    await after_document_write(tx, list(final))
    await record_events(tx, document_events(resolved, [c.document for c in candidates]))
    [stored] = await run(tx, cypher.DOCUMENTS_BY_KEY, keys=list(final))
    settled = {doc["key"]: document_from_props(doc) for doc in stored["documents"]}
    return [settled[r.document.key] for r in resolved]
