"""Links of the Neo4j store: one relationship per (source, relation, target), with an id, provenance (JSON)
and a review state."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from graph.clock import timestamp
from graph.effects import EFFECT_RELATIONS
from graph.errors import NotFoundError
from graph.events import link_events, status_events
from graph.models import Document, Link, LinkDirection, LinkDraft, Relation, View
from graph.paging import DEFAULT_LIST_LIMIT
from graph.review import ReviewQuery, check_drafts, merged_link, restated
from graph.stores.neo4j import cypher
from graph.stores.neo4j.cypher import ALL_RELATIONS, LINK_RETURN, rel_types
from graph.stores.neo4j.db import Neo4jRole, Transaction, run
from graph.stores.neo4j.effects import after_link_write
from graph.stores.neo4j.events import record_events
from graph.stores.neo4j.rows import document_from_props, issued_props, link_from_record, link_row
from graph.stores.neo4j.views import link_seen, shown, view_params
from graph.writes import in_draft_order, link_ends

ISSUED = "UNWIND $keys AS k MATCH (d:Document {key: k}) RETURN d.key AS key, d.date AS date, d.year AS year"
SHOWN = f"MATCH (d:Document {{key: $key}}) WHERE {shown('d')} RETURN d.key AS key"


def stored_links_query(relation: Relation) -> str:
    """The stored links of one type between the ends of ``$rows``."""
    return f"""
UNWIND $rows AS row
MATCH (s:Document {{key: row.source}})-[l:{relation.rel_type}]->(t:Document {{key: row.target}})
{LINK_RETURN}"""


def write_links_query(relation: Relation) -> str:
    """Create or rewrite one relationship per row, its properties the link's whole state."""
    return f"""
UNWIND $rows AS row
MATCH (s:Document {{key: row.source}}), (t:Document {{key: row.target}})
MERGE (s)-[l:{relation.rel_type}]->(t)
SET l = row.props"""


# One branch per type, so that each seeks its index on the id; kept small, as planning a union is costly.
_FIND_BY_ID = " UNION ".join(f"MATCH ()-[l:{relation.rel_type}]->() WHERE l.id = $id RETURN l" for relation in Relation)
BY_ID = f"CALL () {{ {_FIND_BY_ID} }} WITH l MATCH (s:Document)-[l]->(t:Document) {LINK_RETURN}"
DELETE_BY_ID = f"CALL () {{ {_FIND_BY_ID} }} DELETE l RETURN 1 AS deleted"
QUEUE = f"""
MATCH (s:Document)-[l:{ALL_RELATIONS}]->(t:Document)
WHERE l.review = $review AND ($relation IS NULL OR type(l) = $relation)
  AND ($jurisdiction IS NULL OR s.jurisdiction = $jurisdiction) AND ($below IS NULL OR l.confidence < $below)
  AND ($text IS NULL OR $text IN l.text_ids OR l.source_text_id = $text)
{LINK_RETURN} ORDER BY confidence, id SKIP $offset LIMIT $limit
"""
# The canonical order (graph.records.link_sort_key), paged in the database; a null limit is none.
PAGE_OF_LINKS = """
RETURN * ORDER BY source, relation, target SKIP $offset
LIMIT coalesce($limit, 9223372036854775807)
"""


def links_out_query(relations: Sequence[Relation]) -> str:
    return (
        f"MATCH (s:Document {{key: $key}})-[l:{rel_types(relations)}]->(t:Document) "
        f"WHERE {link_seen('l', 't')} {LINK_RETURN}"
    )


def links_in_query(relations: Sequence[Relation]) -> str:
    return (
        f"MATCH (s:Document)-[l:{rel_types(relations)}]->(t:Document {{key: $key}}) "
        f"WHERE {link_seen('l', 's')} {LINK_RETURN}"
    )


class Neo4jLinks(Neo4jRole):
    """Links of the Neo4j store, and their review."""

    async def upsert_links(self, drafts: Sequence[LinkDraft]) -> list[Link]:
        drafts = list(drafts)
        stored = await self.db.transaction(_upsert, drafts, write=True)
        return in_draft_order(drafts, stored)

    async def links(
        self,
        key: str,
        direction: LinkDirection,
        relations: Sequence[Relation],
        *,
        offset: int = 0,
        limit: int | None = None,
        view: View = View(),  # noqa: B008 - frozen
    ) -> list[Link]:
        if not await self.db.read(SHOWN, key=key, **view_params(view)):
            raise NotFoundError("document", key)
        if not relations:
            return []
        ends = []
        if direction in (LinkDirection.out, LinkDirection.both):
            ends.append(links_out_query(relations))
        if direction in (LinkDirection.in_, LinkDirection.both):
            ends.append(links_in_query(relations))
        query = f"CALL {{ {' UNION '.join(ends)} }} {PAGE_OF_LINKS}"
        records = await self.db.read(query, key=key, offset=offset, limit=limit, **view_params(view))
        return [link_from_record(r.data()) for r in records]

    # review (graph.ports.LinkReview)

    async def get_link(self, link_id: str) -> Link:
        records = await self.db.read(BY_ID, id=link_id)
        if not records:
            raise NotFoundError("link", link_id)
        return link_from_record(records[0].data())

    async def review_queue(self, query: ReviewQuery, *, offset: int = 0, limit: int = DEFAULT_LIST_LIMIT) -> list[Link]:
        records = await self.db.read(
            QUEUE,
            review=query.review.value,
            relation=query.relation.rel_type if query.relation else None,
            jurisdiction=query.jurisdiction,
            below=query.confidence_below,
            text=query.text,
            offset=offset,
            limit=limit,
        )
        return [link_from_record(r.data()) for r in records]

    async def update_link(self, link: Link) -> Link:
        async def work(tx: Transaction) -> Link:
            records = await run(tx, BY_ID, id=link.id)
            if not records:
                raise NotFoundError("link", link.id)
            after = restated(link_from_record(records[0].data()), link)
            await run(tx, write_links_query(after.relation), rows=[link_row(after)])
            await _write_effects(tx, [after])
            [record] = await run(tx, BY_ID, id=link.id)
            return link_from_record(record.data())

        return await self.db.transaction(work, write=True)

    async def delete_link(self, link_id: str) -> None:
        async def work(tx: Transaction) -> None:
            records = await run(tx, BY_ID, id=link_id)
            if not records:
                raise NotFoundError("link", link_id)
            await run(tx, DELETE_BY_ID, id=link_id)
            await _write_effects(tx, [link_from_record(records[0].data())])

        await self.db.transaction(work, write=True)


async def _upsert(tx: Transaction, drafts: list[LinkDraft]) -> list[Link]:
    now = dt.datetime.now(dt.UTC)
    ends = {r["key"]: issued_props(r.data()) for r in await run(tx, ISSUED, keys=link_ends(drafts))}
    flags = check_drafts(drafts, ends)
    stored: dict[tuple[str, Relation, str], Link] = {}
    changed: dict[tuple[str, Relation, str], Link] = {}
    for relation in {d.relation for d in drafts}:
        rows = [{"source": d.source, "target": d.target} for d in drafts if d.relation == relation]
        for record in await run(tx, stored_links_query(relation), rows=rows):
            link = link_from_record(record.data())
            stored[(link.source, link.relation, link.target)] = link
    for draft, flagged in zip(drafts, flags, strict=True):
        triple = (draft.source, draft.relation, draft.target)
        before = changed.get(triple) or stored.get(triple)
        after = merged_link(before, draft, flagged, now)
        if after != before:
            changed[triple] = after
    for relation in Relation:
        rows = [link_row(link) for link in changed.values() if link.relation == relation]
        if rows:
            await run(tx, write_links_query(relation), rows=rows)
    await _write_effects(tx, list(changed.values()))
    written = []
    for relation in {d.relation for d in drafts}:
        rows = [{"source": d.source, "target": d.target} for d in drafts if d.relation == relation]
        written += [link_from_record(r.data()) for r in await run(tx, stored_links_query(relation), rows=rows)]
    changed_ids = {link.id for link in changed.values()}
    await record_events(tx, link_events([link for link in written if link.id in changed_ids], timestamp(now)))
    return written


async def _settled(tx: Transaction, keys: list[str]) -> dict[str, Document]:
    [stored] = await run(tx, cypher.DOCUMENTS_BY_KEY, keys=keys)
    return {doc["key"]: document_from_props(doc) for doc in stored["documents"]}


async def _write_effects(tx: Transaction, links: Sequence[Link]) -> None:
    """Recompute the effects of the targets of links written, decided or deleted, and record a
    ``status.changed`` event for each target whose status moved."""
    targets = sorted({link.target for link in links if link.relation in EFFECT_RELATIONS})
    if not targets:
        return
    before = await _settled(tx, targets)
    await after_link_write(tx, links)
    await record_events(tx, status_events(before, await _settled(tx, targets)))
