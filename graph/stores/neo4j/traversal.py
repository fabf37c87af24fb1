"""Walks of the Neo4j store: one breadth-first query each, the answers shaped by graph.lineage."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from graph.errors import NotFoundError
from graph.lineage import Facts, Walk, count_levels, implementer_keys, implementers_answer, lineage_answer
from graph.models import IMPLEMENTATION_RELATIONS, GraphPath, Implementers, Level, Lineage, LineageDirection, Relation
from graph.paging import DEFAULT_GRAPH_PAGE, check_page, page_of
from graph.paths import CHAINS_PER_PATH, distinct_ends, distinct_paths
from graph.records import trusted_link
from graph.stores.neo4j import cypher
from graph.stores.neo4j.db import Neo4jRole, Record, Transaction, run
from graph.stores.neo4j.rows import documents_by_key, link_from_record


class Neo4jTraversal(Neo4jRole):
    """Lineage, implementers and paths of the Neo4j store."""

    async def lineage(
        self,
        key: str,
        direction: LineageDirection,
        relations: Sequence[Relation],
        max_depth: int,
        *,
        offset: int = 0,
        limit: int | None = DEFAULT_GRAPH_PAGE,
    ) -> Lineage:
        check_page(offset, limit)
        query = cypher.lineage(relations, direction, max_depth)
        records = await self.db.read(query, key=key, offset=offset, limit=limit)
        if not records:
            raise NotFoundError("document", key)
        record = records[0]
        walk = Walk(key, dict(zip(record["keys"], record["depths"], strict=True)), {})
        edges = [trusted_link(link) for links in record["edges"] for link in links]
        level_counts = count_levels((level, 1) for level in record["levels"])
        page = [row["key"] for row in record["rows"]]
        return lineage_answer(walk, level_counts, page, {row["key"]: row for row in record["rows"]}, edges)

    async def implementers(
        self,
        key: str,
        *,
        level: Level | None,
        jurisdiction: str | None,
        max_depth: int,
        offset: int = 0,
        limit: int | None = DEFAULT_GRAPH_PAGE,
    ) -> Implementers:
        check_page(offset, limit)
        scope = None
        if jurisdiction is not None:
            records = await self.db.read(cypher.JURISDICTION_TREE, root=jurisdiction)
            scope = {jurisdiction, *(records[0]["keys"] if records else [])}

        async def work(tx: Transaction) -> Implementers:
            query = cypher.walk(IMPLEMENTATION_RELATIONS, LineageDirection.down, max_depth)
            walk, facts = _walk(key, await run(tx, query, key=key))
            matching = implementer_keys(walk, facts, level=level, jurisdiction_keys=scope)
            page = page_of(matching, offset, limit)
            return implementers_answer(walk, facts, matching, page, await _document_rows(tx, page))

        return await self.db.transaction(work, write=False)

    async def paths(self, source: str, target: str, *, max_length: int, limit: int) -> list[GraphPath]:
        if not await distinct_ends(self._require_document, source, target):
            return []
        cap = limit * CHAINS_PER_PATH
        [record] = await self.db.read(cypher.shortest_paths(max_length), source=source, target=target, cap=cap)
        raw = [(path["keys"], [link_from_record(h) for h in path["hops"]]) for path in record["paths"]]
        documents = await documents_by_key(self.db, sorted({k for keys, _ in raw for k in keys}))
        return distinct_paths(raw, documents, limit)

    async def _require_document(self, key: str) -> None:
        if key not in await documents_by_key(self.db, [key]):
            raise NotFoundError("document", key)


async def _document_rows(tx: Transaction, keys: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Stored documents' own properties, for trusted_document."""
    [record] = await run(tx, cypher.DOCUMENT_FIELDS_BY_KEY, keys=list(keys))
    return {doc["key"]: doc for doc in record["documents"]}


def _walk(root: str, records: list[Record]) -> tuple[Walk, dict[str, Facts]]:
    """The walk and the facts of every document reached, from the record of :func:`cypher.walk`."""
    if not records:
        raise NotFoundError("document", root)
    record = records[0]
    facts = {root: Facts(record["level"], record["jurisdiction"], record["year"])}
    facts.update((key, Facts(level, jurisdiction, year)) for key, level, jurisdiction, year, _ in record["found"])
    nearer = [(row[0], depth, row[4]) for row, depth in zip(record["found"], record["depths"], strict=True)]
    return Walk.from_depths(root, nearer), facts
