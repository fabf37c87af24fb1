"""Bulk export of the Neo4j store: every record in key order, keyset-paginated."""

from __future__ import annotations

from collections.abc import AsyncIterator

from graph.models import Document, Link, Organization
from graph.records import link_sort_key
from graph.stores.neo4j import cypher
from graph.stores.neo4j.db import Neo4jRole
from graph.stores.neo4j.rows import document_from_props, link_from_record, organization_from_props

ORGANIZATIONS_PAGE = "MATCH (o:Organization) WHERE o.key > $after RETURN o {.*} AS org ORDER BY o.key LIMIT $batch"
DOCUMENTS_PAGE = "MATCH (d:Document) WHERE d.key > $after RETURN d {.*} AS doc ORDER BY d.key LIMIT $batch"
DOCUMENT_KEYS_PAGE = "MATCH (d:Document) WHERE d.key > $after RETURN d.key AS key ORDER BY d.key LIMIT $batch"
LINKS_FROM = f"""
UNWIND $keys AS k
MATCH (s:Document {{key: k}})-[l:{cypher.ALL_RELATIONS}]->(t:Document)
{cypher.LINK_RETURN}
"""
# Links are paged by their source documents: a page of sources brings about this many links each.
_LINKS_PER_SOURCE = 5


class Neo4jExport(Neo4jRole):
    """Bulk export of the Neo4j store."""

    async def iter_organizations(self, batch: int) -> AsyncIterator[list[Organization]]:
        after = ""
        while records := await self.db.read(ORGANIZATIONS_PAGE, after=after, batch=batch):
            yield [organization_from_props(r["org"]) for r in records]
            after = records[-1]["org"]["key"]

    async def iter_documents(self, batch: int) -> AsyncIterator[list[Document]]:
        after = ""
        while records := await self.db.read(DOCUMENTS_PAGE, after=after, batch=batch):
            yield [document_from_props(r["doc"]) for r in records]
            after = records[-1]["doc"]["key"]

    async def iter_links(self, batch: int) -> AsyncIterator[list[Link]]:
        after = ""
        sources = max(1, batch // _LINKS_PER_SOURCE)
        while keys := [r["key"] for r in await self.db.read(DOCUMENT_KEYS_PAGE, after=after, batch=sources)]:
            records = await self.db.read(LINKS_FROM, keys=keys)
            links = sorted((link_from_record(r.data()) for r in records), key=link_sort_key)
            if links:
                yield links
            after = keys[-1]
