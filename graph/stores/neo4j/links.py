"""Links of the Neo4j store: one relationship per (source, relation, target), provenance kept."""

from __future__ import annotations

from collections.abc import Sequence

from graph.clock import timestamp
from graph.events import link_events
from graph.models import Link, LinkDirection, LinkDraft, Relation
from graph.stores.neo4j import cypher
from graph.stores.neo4j.cypher import LINK_RETURN, rel_types
from graph.stores.neo4j.db import Neo4jRole, Transaction, run
from graph.stores.neo4j.events import record_events
from graph.stores.neo4j.rows import documents_by_key, link_from_record, link_row
from graph.writes import in_draft_order, link_ends, require_known


def upsert_links_query(relation: Relation) -> str:
    """MERGE one relationship per (source, relation, target); a curated write upgrades an extracted one."""
    return f"""
UNWIND $rows AS row
MATCH (s:Document {{key: row.source}}), (t:Document {{key: row.target}})
MERGE (s)-[l:{relation.rel_type}]->(t)
ON CREATE SET l += row.props, l.created_at = $now
ON MATCH SET l += CASE WHEN l.origin = 'extracted' AND row.props.origin = 'curated' THEN row.props ELSE {{}} END
WITH s, l, t
{LINK_RETURN}
"""


# The canonical order (graph.records.link_sort_key), paged in the database; a null limit is none.
PAGE_OF_LINKS = """
RETURN * ORDER BY source, relation, target SKIP $offset
LIMIT coalesce($limit, 9223372036854775807)
"""


def links_out_query(relations: Sequence[Relation]) -> str:
    return f"MATCH (s:Document {{key: $key}})-[l:{rel_types(relations)}]->(t:Document) {LINK_RETURN}"


def links_in_query(relations: Sequence[Relation]) -> str:
    return f"MATCH (s:Document)-[l:{rel_types(relations)}]->(t:Document {{key: $key}}) {LINK_RETURN}"


class Neo4jLinks(Neo4jRole):
    """Links of the Neo4j store."""

    async def upsert_links(self, drafts: Sequence[LinkDraft]) -> list[Link]:
        drafts = list(drafts)
        stored = await self.db.transaction(_upsert, drafts, timestamp(), write=True)
        return in_draft_order(drafts, stored)

    async def links(
        self,
        key: str,
        direction: LinkDirection,
        relations: Sequence[Relation],
        *,
        offset: int = 0,
        limit: int | None = None,
    ) -> list[Link]:
        require_known("document", [key], set(await documents_by_key(self.db, [key])))
        if not relations:
            return []
        ends = []
        if direction in (LinkDirection.out, LinkDirection.both):
            ends.append(links_out_query(relations))
        if direction in (LinkDirection.in_, LinkDirection.both):
            ends.append(links_in_query(relations))
        query = f"CALL {{ {' UNION '.join(ends)} }} {PAGE_OF_LINKS}"
        records = await self.db.read(query, key=key, offset=offset, limit=limit)
        return [link_from_record(r.data()) for r in records]


async def _upsert(tx: Transaction, drafts: list[LinkDraft], now: str) -> list[Link]:
    keys = link_ends(drafts)
    require_known("document", keys, {r["key"] for r in await run(tx, cypher.EXISTING_DOCUMENT_KEYS, keys=keys)})
    stored: list[Link] = []
    for relation in Relation:
        rows = [link_row(d) for d in drafts if d.relation == relation]
        if rows:
            records = await run(tx, upsert_links_query(relation), rows=rows, now=now)
            stored.extend(link_from_record(r.data()) for r in records)
    await record_events(tx, link_events(stored, now))
    return stored
