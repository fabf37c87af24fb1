"""Bulk import of the Neo4j store: UNWIND batches in managed transactions, checkpoints committed with their batch."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from graph.bulk import (
    LINK_ROW_FIELDS,
    DocumentRow,
    FirstLoad,
    ImportCheckpoint,
    ImportState,
    LinkField,
    LinkRow,
    RecordKind,
    check_taken,
    given_ids,
)
from graph.clock import timestamp
from graph.errors import NotFoundError
from graph.identity import ResolvedDocument
from graph.models import Document, Organization, Relation, Review
from graph.review import new_link_id
from graph.stores.neo4j import cypher
from graph.stores.neo4j.db import Neo4jRole, StoreQueryError, Transaction, run
from graph.stores.neo4j.organizations import write_organizations
from graph.stores.neo4j.rows import document_props, organization_props

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
# link's properties: the input is the truth (INSERT OR REPLACE semantics), review state and provenance
# included. Into a store without links (a first load), CREATE skips MERGE's look for an existing link.
# A link already stored keeps its id (given once, and clients may hold it); a new one takes the line's, or a
# new one. Without provenance a link is read with the entry of its flat fields (graph.review.first_entry);
# with it, ``text_ids`` lists its texts for the review queue's filter, as the store's own writes do.
LINK_PROPERTIES = (*LINK_ROW_FIELDS[LinkField.origin :], "text_ids")
_LINK_PROPERTY_MAP = ", ".join(f"{name}: row[{i}]" for i, name in enumerate(LINK_PROPERTIES, start=2))
_LINK_ID = LINK_PROPERTIES.index("id") + 2  # the id's position in a row: after the two ends
_LINK_ENDS = """
UNWIND $rows AS row
MATCH (s:Document) WHERE elementId(s) = row[0]
MATCH (t:Document) WHERE elementId(t) = row[1]
"""
IMPORT_LINKS = {
    relation.value: f"""{_LINK_ENDS}MERGE (s)-[l:{relation.rel_type}]->(t)
WITH l, row, l.id AS kept
SET l = {{{_LINK_PROPERTY_MAP}}}, l.id = coalesce(kept, row[{_LINK_ID}])
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
# The links stored under the ids a batch gives: one seek in each type's index on ids (V0013) per id.
LINK_HOLDERS = (
    "UNWIND $ids AS id CALL (id) { "
    + " UNION ALL ".join(
        f"MATCH (s)-[l:{r.rel_type}]->(t) WHERE l.id = id RETURN [id, s.key, '{r.value}', t.key] AS holder"
        for r in Relation
    )
    + " } RETURN collect(holder) AS holders"
)
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
SET {cypher.LIST_ORDERS}
WITH d, row
UNWIND row[{len(DOCUMENT_PROPERTIES)}] AS mk
MERGE (s:SymbolKey {{key: mk}})
CREATE (s)-[:SPELLS {{order: {cypher.SPELLING_ORDER}}}]->(d)
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
ACCEPTED = Review.accepted.value
# Link rows per query of an import batch: small enough that the next slice is made ready while one is written.
_LINKS_PER_QUERY = 5_000


class Neo4jBulk(Neo4jRole):
    """Bulk import of the Neo4j store."""

    # What begin_import found: the kinds loaded into a store without any (then created, not merged).
    import_state: ImportState

    # import

    async def import_organizations(
        self, rows: Sequence[Organization], checkpoint: ImportCheckpoint | None = None
    ) -> int:
        props = [organization_props(o) for o in rows]

        async def work(tx: Transaction) -> None:
            await write_organizations(tx, props)
            await run(tx, ADOPT_CHILDREN, keys=[o.key for o in rows])
            await _save_checkpoint(tx, checkpoint)

        await self.db.transaction(work, write=True)
        return len(props)

    async def import_documents(self, rows: Sequence[DocumentRow], checkpoint: ImportCheckpoint | None = None) -> int:
        # The search text and folded type are the store's own, derived from the document as its writes do.
        # One row per key, the last given winning, so that CREATE makes each document once.
        unique = {f["key"]: (f, scope, keys) for f, scope, keys in rows}
        props = [
            document_props(ResolvedDocument(Document.model_validate(f), scope, keys))
            for f, scope, keys in unique.values()
        ]
        match_keys = [list(keys) for _, _, keys in unique.values()]

        first_load = self.import_state.first_load(RecordKind.documents)
        if first_load is None:
            create: list[int] = []
            merge = list(range(len(props)))
        else:
            create, merge = first_load.split([(key,) for key in unique])

        async def work(tx: Transaction) -> None:
            if create:
                created = [[props[i].get(name) for name in DOCUMENT_PROPERTIES] + [match_keys[i]] for i in create]
                await run(tx, CREATE_DOCUMENTS, rows=created)
            if merge:
                await run(tx, cypher.UPSERT_DOCUMENTS, rows=[props[i] for i in merge])
                await run(tx, cypher.CLEAR_SPELLINGS, keys=[props[i]["key"] for i in merge])
                spellings = [{"key": props[i]["key"], "match_keys": match_keys[i]} for i in merge]
                await run(tx, cypher.ADD_SPELLINGS, rows=spellings)
            await _save_checkpoint(tx, checkpoint)

        await self.db.transaction(work, write=True)
        return len(rows)

    async def import_links(self, rows: Sequence[LinkRow], checkpoint: ImportCheckpoint | None = None) -> int:
        now = timestamp()
        given = given_ids(rows)
        # One row per link, the last given winning, so that CREATE makes each link once.
        unique = {(row[LinkField.source], row[LinkField.relation], row[LinkField.target]): row for row in rows}
        identities = list(unique)
        first_load = self.import_state.first_load(RecordKind.links)
        if first_load is None:
            create: list[int] = []
            merge = list(range(len(identities)))
        else:
            create, merge = first_load.split(identities)
        keys = list(dict.fromkeys(k for row in rows for k in (row[LinkField.source], row[LinkField.target])))
        # The ids to look up: all given, or in a first load (every stored link is the load's) those the load
        # remembers giving to another link.
        claimed = list(given) if first_load is None else first_load.claim_ids(given)

        async def work(tx: Transaction) -> None:
            # The server seeks the ends while the rows are sorted into queries, and writes each slice of
            # rows while the next one is made ready.
            lookup = await tx.run(ELEMENT_IDS, {"keys": keys})
            by_query: dict[str, list[LinkRow]] = {}
            for queries, positions in ((CREATE_LINKS, create), (IMPORT_LINKS, merge)):
                for position in positions:
                    row = unique[identities[position]]
                    by_query.setdefault(queries[row[LinkField.relation]], []).append(row)
            ids = dict((await lookup.single(strict=True))["ids"])
            if len(ids) < len(keys):
                raise NotFoundError("document", next(k for k in keys if k not in ids))
            if claimed:
                holders = await tx.run(LINK_HOLDERS, {"ids": claimed})
                check_taken(given, (await holders.single(strict=True))["holders"])
            written, writing = 0, None
            for query, group in by_query.items():
                for start in range(0, len(group), _LINKS_PER_QUERY):
                    params = [_link_params(r, ids, now) for r in group[start : start + _LINKS_PER_QUERY]]
                    if writing is not None:
                        written += (await writing.single(strict=True))["n"]
                    writing = await tx.run(query, {"rows": params})
            if writing is not None:
                written += (await writing.single(strict=True))["n"]
            if written < len(unique):
                raise StoreQueryError("a document the batch links was deleted while the batch was written")
            await _save_checkpoint(tx, checkpoint)

        await self.db.transaction(work, write=True)
        return len(rows)

    async def begin_import(self, kind: RecordKind) -> None:
        """Indexes stay in force; documents and links are created rather than merged while the store had none."""
        probe = {RecordKind.documents: ANY_DOCUMENT, RecordKind.links: ANY_LINK}.get(kind)
        if probe is not None and not await self.db.read(probe):
            self.import_state.first_loads[kind] = FirstLoad()

    async def end_import(self) -> None:
        self.import_state = ImportState()

    async def import_checkpoint(self, source: str) -> ImportCheckpoint | None:
        records = await self.db.read(GET_CHECKPOINT, source=source)
        return (
            ImportCheckpoint(records[0]["source"], records[0]["fingerprint"], records[0]["line"]) if records else None
        )


async def _save_checkpoint(tx: Transaction, checkpoint: ImportCheckpoint | None) -> None:
    if checkpoint is not None:
        await run(
            tx, SAVE_CHECKPOINT, source=checkpoint.source, fingerprint=checkpoint.fingerprint, line=checkpoint.line
        )


def _link_params(row: LinkRow, ids: dict[str, str], now: str) -> list[Any]:
    """A link row as CREATE_LINKS and IMPORT_LINKS take it: its ends' element ids, then LINK_PROPERTIES."""
    provenance = row[LinkField.provenance]
    text_ids = sorted({e["text_id"] for e in json.loads(provenance) if e.get("text_id")}) if provenance else None
    return [
        ids[row[LinkField.source]],
        ids[row[LinkField.target]],
        *row[LinkField.origin : LinkField.created_at],
        row[LinkField.created_at] or now,
        row[LinkField.id] or new_link_id(),
        row[LinkField.review] or ACCEPTED,
        provenance,
        row[LinkField.corrected_to],
        row[LinkField.partial],  # None (false, as a read gives it) left unset
        row[LinkField.flagged],
        text_ids,
    ]
