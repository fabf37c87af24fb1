"""Neo4j part of the bulk capability (mixed into Neo4jStore): UNWIND batches in managed transactions,
checkpoints committed with their batch, keyset-paginated export."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import TYPE_CHECKING, Any, LiteralString, cast

import neo4j
from neo4j import AsyncManagedTransaction

from graph.bulk import LINK_ROW_FIELDS, DocumentRow, ImportCheckpoint, LinkRow, RecordKind
from graph.errors import NotFoundError
from graph.identity import ResolvedDocument
from graph.models import Document, Link, Organization, Relation
from graph.store import cypher

# graph.store.neo4j imports this module while it loads: its helpers are reached at call time.
from graph.store import neo4j as core
from graph.store.base import link_sort_key

# Children imported before their parent get their PART_OF link when the parent arrives.
ADOPT_CHILDREN = """
UNWIND $keys AS k
MATCH (p:Organization {key: k})
MATCH (c:Organization {parent: k})
MERGE (c)-[:PART_OF]->(p)
"""
# A batch's link ends, looked up once per document rather than once per link end: the links then find
# their ends by element id, which is cheaper than a seek in the key index.
# One record: the driver takes thousands of small records far more slowly than one list.
ELEMENT_IDS = "UNWIND $keys AS k MATCH (d:Document {key: k}) RETURN collect([k, elementId(d)]) AS ids"
# A link row: [source id, target id, then LINK_PROPERTIES' values], nulls left unset. Import replaces a
# link's properties: the input is the truth (INSERT OR REPLACE semantics). Into a store without links
# (a first load), CREATE skips MERGE's look for an existing link.
LINK_PROPERTIES = LINK_ROW_FIELDS[3:]
_LINK_PROPERTY_MAP = ", ".join(f"{name}: row[{i}]" for i, name in enumerate(LINK_PROPERTIES, start=2))
_LINK_ENDS = """
UNWIND $rows AS row
MATCH (s:Document) WHERE elementId(s) = row[0]
MATCH (t:Document) WHERE elementId(t) = row[1]
"""
IMPORT_LINKS = {
    relation.value: f"""{_LINK_ENDS}MERGE (s)-[l:{relation.rel_type}]->(t)
SET l = {{{_LINK_PROPERTY_MAP}}}
RETURN count(l) AS n
"""
    for relation in Relation
}
CREATE_LINKS = {
    relation.value: f"""{_LINK_ENDS}CREATE (s)-[l:{relation.rel_type} {{{_LINK_PROPERTY_MAP}}}]->(t)
RETURN count(l) AS n
"""
    for relation in Relation
}
# Every property _document_props may give a document, in the order of a first load's document rows,
# which end with the match keys of its spellings.
DOCUMENT_PROPERTIES = (*Document.model_fields, "scope", "type_folded", "search_text")
_DOCUMENT_PROPERTY_MAP = ", ".join(f"{name}: row[{i}]" for i, name in enumerate(DOCUMENT_PROPERTIES))
# Into a store without documents: each new node with its spellings in one pass, at hand rather than sought
# again by key. Properties are named (a null one left unset), not SET from a map, which would make the
# planner hold the whole batch back (Eager) before the spellings' MERGE.
CREATE_DOCUMENTS = f"""
UNWIND $rows AS row
CREATE (d:Document {{{_DOCUMENT_PROPERTY_MAP}}})
WITH d, row
UNWIND row[{len(DOCUMENT_PROPERTIES)}] AS mk
MERGE (s:SymbolKey {{key: mk}})
CREATE (s)-[:SPELLS]->(d)
"""
ANY_DOCUMENT = "MATCH (d:Document) RETURN 1 AS found LIMIT 1"
ANY_LINK = f"MATCH (:Document)-[l:{cypher.ALL_RELATIONS}]->(:Document) RETURN 1 AS found LIMIT 1"
SAVE_CHECKPOINT = """
MERGE (c:ImportCheckpoint {source: $source})
SET c.fingerprint = $fingerprint, c.line = $line
"""
GET_CHECKPOINT = """
MATCH (c:ImportCheckpoint {source: $source})
RETURN c.source AS source, c.fingerprint AS fingerprint, c.line AS line
"""
ORGANIZATIONS_PAGE = "MATCH (o:Organization) WHERE o.key > $after RETURN o {.*} AS org ORDER BY o.key LIMIT $batch"
DOCUMENTS_PAGE = "MATCH (d:Document) WHERE d.key > $after RETURN d {.*} AS doc ORDER BY d.key LIMIT $batch"
DOCUMENT_KEYS_PAGE = "MATCH (d:Document) WHERE d.key > $after RETURN d.key AS key ORDER BY d.key LIMIT $batch"
LINKS_FROM = f"""
UNWIND $keys AS k
MATCH (s:Document {{key: k}})-[l:{cypher.ALL_RELATIONS}]->(t:Document)
{cypher._LINK_RETURN}
"""
# Link rows per query of an import batch: small enough that the next slice is made ready while one is written.
_LINKS_PER_QUERY = 5_000
# Links are paged by their source documents: a page of sources brings about this many links each.
_LINKS_PER_SOURCE = 5


class FirstLoad:
    """What a first load into an empty store has created, by hash of the record's identity.

    CREATE is only safe for a record not created before in the same load; a record whose hash was
    seen (a repeat in a later batch, or a rare hash collision) goes through MERGE instead.
    """

    def __init__(self) -> None:
        self._created: set[int] = set()

    def split(self, identities: Sequence[tuple[str, ...]]) -> tuple[list[int], list[int]]:
        """Positions of ``identities`` to create and to merge; the ones to create are remembered."""
        create, merge = [], []
        for position, identity in enumerate(identities):
            digest = hash(identity)
            if digest in self._created:
                merge.append(position)
            else:
                self._created.add(digest)
                create.append(position)
        return create, merge


class Neo4jBulk:
    """Bulk queries of the Neo4j store."""

    # Set by begin_import when the store holds no document (no link): they are then created, not merged.
    _first_document_load: FirstLoad | None = None
    _first_link_load: FirstLoad | None = None

    if TYPE_CHECKING:

        async def _read(self, query: str, /, **params: Any) -> list[neo4j.Record]: ...

        async def _in_transaction(self, work: Any, *args: Any, write: bool) -> Any: ...

        async def _tx_run(self, tx: AsyncManagedTransaction, query: str, /, **params: Any) -> list[neo4j.Record]: ...

    # import

    async def import_organizations(
        self, rows: Sequence[Organization], checkpoint: ImportCheckpoint | None = None
    ) -> int:
        props = [core._organization_props(o) for o in rows]

        async def work(tx: AsyncManagedTransaction) -> None:
            await self._tx_run(tx, cypher.UPSERT_ORGANIZATIONS, rows=props)
            await self._tx_run(tx, cypher.LINK_ORGANIZATION_PARENTS, rows=[p for p in props if p.get("parent")])
            await self._tx_run(tx, ADOPT_CHILDREN, keys=[o.key for o in rows])
            await self._save_checkpoint(tx, checkpoint)

        await self._in_transaction(work, write=True)
        return len(props)

    async def import_documents(self, rows: Sequence[DocumentRow], checkpoint: ImportCheckpoint | None = None) -> int:
        # The search text and folded type are the store's own, derived from the document as its writes do.
        # One row per key, the last given winning, so that CREATE makes each document once.
        unique = {f["key"]: (f, scope, keys) for f, scope, keys in rows}
        props = [
            core._document_props(ResolvedDocument(Document.model_validate(f), scope, keys))
            for f, scope, keys in unique.values()
        ]
        match_keys = [list(keys) for _, _, keys in unique.values()]

        if self._first_document_load is None:
            create, merge = [], list(range(len(props)))
        else:
            create, merge = self._first_document_load.split([(key,) for key in unique])

        async def work(tx: AsyncManagedTransaction) -> None:
            if create:
                created = [[props[i].get(name) for name in DOCUMENT_PROPERTIES] + [match_keys[i]] for i in create]
                await self._tx_run(tx, CREATE_DOCUMENTS, rows=created)
            if merge:
                await self._tx_run(tx, cypher.UPSERT_DOCUMENTS, rows=[props[i] for i in merge])
                await self._tx_run(tx, cypher.CLEAR_SPELLINGS, keys=[props[i]["key"] for i in merge])
                spellings = [{"key": props[i]["key"], "match_keys": match_keys[i]} for i in merge]
                await self._tx_run(tx, cypher.ADD_SPELLINGS, rows=spellings)
            await self._save_checkpoint(tx, checkpoint)

        await self._in_transaction(work, write=True)
        return len(rows)

    async def import_links(self, rows: Sequence[LinkRow], checkpoint: ImportCheckpoint | None = None) -> int:
        now = core._now()
        # One row per link, the last given winning, so that CREATE makes each link once.
        unique = {(row[0], row[1], row[2]): row for row in rows}
        identities = list(unique)
        if self._first_link_load is None:
            create, merge = [], list(range(len(identities)))
        else:
            create, merge = self._first_link_load.split(identities)
        keys = list(dict.fromkeys(k for row in rows for k in (row[0], row[2])))

        async def work(tx: AsyncManagedTransaction) -> None:
            # The server seeks the ends while the rows are sorted into queries, and writes each slice of
            # rows while the next one is made ready.
            lookup = await tx.run(cast(LiteralString, ELEMENT_IDS), {"keys": keys})
            by_query: dict[str, list[LinkRow]] = {}
            for queries, positions in ((CREATE_LINKS, create), (IMPORT_LINKS, merge)):
                for position in positions:
                    row = unique[identities[position]]
                    by_query.setdefault(queries[row[1]], []).append(row)
            ids = dict((await lookup.single(strict=True))["ids"])
            if len(ids) < len(keys):
                raise NotFoundError("document", next(k for k in keys if k not in ids))
            written, writing = 0, None
            for query, group in by_query.items():
                for start in range(0, len(group), _LINKS_PER_QUERY):
                    chunk = group[start : start + _LINKS_PER_QUERY]
                    params = [[ids[r[0]], ids[r[2]], *r[3:-1], r[-1] or now] for r in chunk]
                    if writing is not None:
                        written += (await writing.single(strict=True))["n"]
                    writing = await tx.run(cast(LiteralString, query), {"rows": params})
            if writing is not None:
                written += (await writing.single(strict=True))["n"]
            if written < len(unique):
                raise core.StoreQueryError("a document the batch links was deleted while the batch was written")
            await self._save_checkpoint(tx, checkpoint)

        await self._in_transaction(work, write=True)
        return len(rows)

    async def begin_import(self, kind: RecordKind) -> None:
        """Indexes stay in force; documents and links are created rather than merged while the store had none."""
        if kind == RecordKind.documents:
            self._first_document_load = None if await self._read(ANY_DOCUMENT) else FirstLoad()
        if kind == RecordKind.links:
            self._first_link_load = None if await self._read(ANY_LINK) else FirstLoad()

    async def end_import(self) -> None:
        self._first_document_load = self._first_link_load = None

    async def _save_checkpoint(self, tx: AsyncManagedTransaction, checkpoint: ImportCheckpoint | None) -> None:
        if checkpoint is not None:
            await self._tx_run(
                tx, SAVE_CHECKPOINT, source=checkpoint.source, fingerprint=checkpoint.fingerprint, line=checkpoint.line
            )

    async def import_checkpoint(self, source: str) -> ImportCheckpoint | None:
        records = await self._read(GET_CHECKPOINT, source=source)
        return (
            ImportCheckpoint(records[0]["source"], records[0]["fingerprint"], records[0]["line"]) if records else None
        )

    # export

    async def iter_organizations(self, batch: int) -> AsyncIterator[list[Organization]]:
        after = ""
        while records := await self._read(ORGANIZATIONS_PAGE, after=after, batch=batch):
            yield [Organization.model_validate(r["org"]) for r in records]
            after = records[-1]["org"]["key"]

    async def iter_documents(self, batch: int) -> AsyncIterator[list[Document]]:
        after = ""
        while records := await self._read(DOCUMENTS_PAGE, after=after, batch=batch):
            yield [core._document(r["doc"]) for r in records]
            after = records[-1]["doc"]["key"]

    async def iter_links(self, batch: int) -> AsyncIterator[list[Link]]:
        after = ""
        sources = max(1, batch // _LINKS_PER_SOURCE)
        while keys := [r["key"] for r in await self._read(DOCUMENT_KEYS_PAGE, after=after, batch=sources)]:
            records = await self._read(LINKS_FROM, keys=keys)
            links = sorted((core._link(r.data()) for r in records), key=link_sort_key)
            if links:
                yield links
            after = keys[-1]
