"""Corrections in the Neo4j store: a document rewritten (under a new key, or over a duplicate), removed (or
reduced to a stub), the redirects old keys leave (``:KeyRedirect`` nodes), and the links a text states.

A new key is set on the same node, so its relationships stay as they are. A merge re-creates each of the
duplicate's relationships on the kept node with every property of the old one (its id among them).
"""

from __future__ import annotations

from collections.abc import Sequence

from graph.clock import timestamp
from graph.identity import ResolvedDocument
from graph.models import Document, Link
from graph.stores.neo4j import cypher
from graph.stores.neo4j.cypher import ALL_RELATIONS, LINK_RETURN
from graph.stores.neo4j.db import Neo4jRole, Transaction, run
from graph.stores.neo4j.effects import after_document_write, changed_by, recompute
from graph.stores.neo4j.rows import document_props, link_from_record

REKEY = f"MATCH (d:Document {{key: $old}}) SET d = $props SET {cypher.LIST_ORDERS}"
DROP_JOINING_LINKS = f"MATCH (:Document {{key: $old}})-[j:{ALL_RELATIONS}]-(:Document {{key: $new}}) DELETE j"
# What only the duplicate's link says fills the kept one's.
_FOLD = """e.evidence = coalesce(e.evidence, r.evidence), e.source_text_id = coalesce(e.source_text_id,
    r.source_text_id), e.span_start = coalesce(e.span_start, r.span_start), e.span_end = coalesce(e.span_end,
    r.span_end)"""
MOVE_OBLIGATIONS = "MATCH (o:RecordedObligation {document: $old}) SET o.document = $new"
MOVE_TEXTS = "MATCH (t:SourceText {document_key: $old}) SET t.document_key = $new"
UNREDIRECT = "MATCH (r:KeyRedirect {old_key: $new}) DELETE r"
REPOINT_REDIRECTS = "MATCH (r:KeyRedirect {new_key: $old}) SET r.new_key = $new"
ADD_REDIRECT = "MERGE (r:KeyRedirect {old_key: $old}) SET r.new_key = $new, r.at = $now"
DROP_REDIRECTS_TO = "MATCH (r:KeyRedirect {new_key: $key}) DELETE r"
DELETE_DOCUMENT = "MATCH (d:Document {key: $key}) DETACH DELETE d"
CITED_BY_OTHERS = f"""
MATCH (d:Document {{key: $key}})
RETURN d.scope AS scope, EXISTS {{ MATCH (x:Document)-[:{ALL_RELATIONS}]->(d) WHERE x <> d }} AS cited
"""
DELETE_OUTGOING = f"MATCH (:Document {{key: $key}})-[r:{ALL_RELATIONS}]->() DELETE r"
DELETE_OBLIGATIONS = "MATCH (o:RecordedObligation {document: $key}) DETACH DELETE o"
REDIRECT_STEP = """
OPTIONAL MATCH (d:Document {key: $key})
OPTIONAL MATCH (r:KeyRedirect {old_key: $key})
RETURN d IS NOT NULL AS live, r.new_key AS next
"""
LINKS_FROM_TEXT = f"""
MATCH (s:Document)-[l:{ALL_RELATIONS}]->(t:Document) WHERE l.source_text_id = $text_id
{LINK_RETURN} ORDER BY source, relation, target
"""


# A duplicate's links re-created on the kept node ``k`` (their type given as a value: Cypher 5.26), outgoing then
# incoming; a self-link becomes the kept node's. A link ``k`` already has is kept, and folds in the duplicate's.
MOVE_OUT = f"""
MATCH (d:Document {{key: $old}})-[r:{ALL_RELATIONS}]->(x:Document), (k:Document {{key: $new}})
WITH k, r, CASE WHEN x = d THEN k ELSE x END AS y
OPTIONAL MATCH (k)-[e]->(y) WHERE type(e) = type(r)
FOREACH (_ IN CASE WHEN e IS NULL THEN [1] ELSE [] END | CREATE (k)-[n:$(type(r))]->(y) SET n = properties(r))
FOREACH (_ IN CASE WHEN e IS NULL THEN [] ELSE [1] END | SET {_FOLD})
DELETE r
"""
MOVE_IN = f"""
MATCH (x:Document)-[r:{ALL_RELATIONS}]->(d:Document {{key: $old}}), (k:Document {{key: $new}}) WHERE x <> d
OPTIONAL MATCH (x)-[e]->(k) WHERE type(e) = type(r)
FOREACH (_ IN CASE WHEN e IS NULL THEN [1] ELSE [] END | CREATE (x)-[n:$(type(r))]->(k) SET n = properties(r))
FOREACH (_ IN CASE WHEN e IS NULL THEN [] ELSE [1] END | SET {_FOLD})
DELETE r
"""


class Neo4jCorrections(Neo4jRole):
    """Corrections of documents in the Neo4j store."""

    async def write_corrected(
        self, document: Document, scope: str, match_keys: Sequence[str], *, replacing: str | None = None
    ) -> None:
        props = document_props(ResolvedDocument(document, scope, tuple(match_keys)))
        await self.db.transaction(_write_corrected, props, list(match_keys), replacing, write=True)

    async def remove_document(self, key: str, stub: Document, stub_match_keys: Sequence[str]) -> bool:
        return await self.db.transaction(_remove, key, stub, list(stub_match_keys), write=True)

    async def redirect_target(self, key: str) -> str | None:
        return await self.db.transaction(_redirect_target, key, write=False)

    async def links_from_text(self, text_id: str) -> list[Link]:
        # Reads the flat provenance property; a provenance list per link would be read here instead.
        records = await self.db.read(LINKS_FROM_TEXT, text_id=text_id)
        return [link_from_record(r.data()) for r in records]


async def _write_corrected(tx: Transaction, props: dict[str, object], match_keys: list[str], old: str | None) -> None:
    new = str(props["key"])
    moving = old is not None and old != new
    if moving and not await run(tx, cypher.EXISTING_DOCUMENT_KEYS, keys=[new]):
        await run(tx, REKEY, old=old, props=props)
    else:
        await run(tx, cypher.UPSERT_DOCUMENTS, rows=[props])
        if moving:
            for query in (DROP_JOINING_LINKS, MOVE_OUT, MOVE_IN):
                await run(tx, query, old=old, new=new)
            await run(tx, DELETE_DOCUMENT, key=old)
    if moving:
        await _move_references(tx, str(old), new)
    await _spell(tx, new, match_keys)
    await after_document_write(tx, [new, *([str(old)] if moving else [])])


async def _move_references(tx: Transaction, old: str, new: str) -> None:
    """Obligations, texts and redirects naming ``old`` name ``new``; ``old`` redirects to it."""
    for query in (MOVE_OBLIGATIONS, MOVE_TEXTS, UNREDIRECT, REPOINT_REDIRECTS):
        await run(tx, query, old=old, new=new)
    await run(tx, ADD_REDIRECT, old=old, new=new, now=timestamp())


async def _spell(tx: Transaction, key: str, match_keys: list[str]) -> None:
    await run(tx, cypher.CLEAR_SPELLINGS, keys=[key])
    await run(tx, cypher.ADD_SPELLINGS, rows=[{"key": key, "match_keys": match_keys}])


async def _remove(tx: Transaction, key: str, stub: Document, stub_match_keys: list[str]) -> bool:
    changed = await changed_by(tx, [key])
    [found] = await run(tx, CITED_BY_OTHERS, key=key)
    await run(tx, DELETE_OBLIGATIONS, key=key)
    await run(tx, MOVE_TEXTS, old=key, new=None)
    if not found["cited"]:
        await run(tx, DROP_REDIRECTS_TO, key=key)
        await run(tx, DELETE_DOCUMENT, key=key)
        await recompute(tx, changed)
        return False
    await run(tx, DELETE_OUTGOING, key=key)
    scope = found["scope"] or ""
    await run(tx, cypher.UPSERT_DOCUMENTS, rows=[document_props(ResolvedDocument(stub, scope, ()))])
    await _spell(tx, key, stub_match_keys)
    await recompute(tx, [key, *changed])
    return True


async def _redirect_target(tx: Transaction, key: str) -> str | None:
    """Follow redirects from ``key`` to a stored document; None for a live key, an unknown one, or a loop."""
    seen, current = {key}, key
    while True:
        [step] = await run(tx, REDIRECT_STEP, key=current)
        if step["live"]:
            return current if current != key else None
        if step["next"] is None or step["next"] in seen:
            return None
        current = step["next"]
        seen.add(current)
