"""Walks of the Neo4j store: one breadth-first query each, the answers shaped by graph.lineage."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from graph.errors import NotFoundError
from graph.lineage import (
    Facts,
    LineageJson,
    Walk,
    count_levels,
    implementer_keys,
    implementers_answer,
    lineage_of_rows,
    outline_of,
)
from graph.models import (
    IMPLEMENTATION_RELATIONS,
    MAX_DEPTH,
    Implementers,
    Level,
    Lineage,
    LineageDirection,
    LineageOutline,
    Relation,
    View,
)
from graph.paging import DEFAULT_GRAPH_PAGE, OUTLINE_MAX_DOCUMENTS, check_outline_size, check_page, page_of
from graph.records import trusted_link
from graph.stores.neo4j.cypher import DOCUMENT_FIELDS, link_map, rel_types
from graph.stores.neo4j.db import Neo4jRole, Record, Transaction, run
from graph.stores.neo4j.views import link_seen, path_seen, shown, view_params

JURISDICTION_TREE = """
MATCH (root:Organization {key: $root})
OPTIONAL MATCH (root)<-[:PART_OF*1..8]-(o:Organization)
RETURN root.key AS root, collect(o.key) AS keys
"""

DOCUMENT_FIELDS_BY_KEY = (
    f"UNWIND $keys AS k MATCH (d:Document {{key: k}}) RETURN collect(d {DOCUMENT_FIELDS}) AS documents"
)


def _reach(relations: Sequence[Relation], direction: LineageDirection, max_depth: int) -> str:
    """Clauses that bind ``root`` (the document ``$key``), ``nodes`` (the root, then every document within
    ``max_depth`` links of the given types in ``direction``, by depth, then key) and ``depths`` (theirs, after
    the root's). No row comes when the root does not exist.

    ``min(length(p))`` per end node lets the planner walk breadth-first with pruning instead of
    enumerating paths.
    """
    if not 0 <= max_depth <= MAX_DEPTH:
        raise ValueError("max_depth out of range")
    if not relations or max_depth == 0:
        return f"MATCH (root:Document {{key: $key}}) WHERE {shown('root')} WITH root, [root] AS nodes, [] AS depths"
    pattern = f"[:{rel_types(relations)}*1..{int(max_depth)}]"
    away = f"<-{pattern}-" if direction == LineageDirection.down else f"-{pattern}->"
    return f"""
MATCH (root:Document {{key: $key}}) WHERE {shown("root")}
OPTIONAL MATCH p = (root){away}(n:Document)
WHERE n <> root AND {path_seen("p")}
WITH root, n, min(length(p)) AS depth
ORDER BY depth, n.key
WITH root, collect(n) AS reached, collect(depth) AS depths
WITH root, [root] + reached AS nodes, depths"""


def _linked(start: str, relations: Sequence[Relation], end: str, where: str, value: str) -> str:
    """A list of ``value`` over the links of the given types from ``start`` to ``end`` that meet ``where``
    (``l`` is the link); empty when no type is given."""
    if not relations:
        return "[]"
    return f"[({start})-[l:{rel_types(relations)}]->({end}) WHERE {where} AND {link_seen('l')} | {value}]"


def walk_query(relations: Sequence[Relation], direction: LineageDirection, max_depth: int) -> str:
    """Breadth-first from ``$key``, one query: the root's facts, and per reached document ``n`` its key,
    facts and the keys of the reached documents it links with one step nearer the root (``m``), from which
    its parent is chosen. ``IN nodes`` is checked against a hash set the runtime builds once per query."""
    ends = ("n", "m") if direction == LineageDirection.down else ("m", "n")
    nearer = _linked(ends[0], relations, ends[1], "m IN nodes", "m.key")
    return f"""{_reach(relations, direction, max_depth)}
RETURN root.level AS level, root.jurisdiction AS jurisdiction, root.year AS year, depths,
       [n IN nodes[1..] | [n.key, n.level, n.jurisdiction, n.year, {nearer}]] AS found
"""


def lineage_query(relations: Sequence[Relation], direction: LineageDirection, max_depth: int) -> str:
    """Breadth-first from ``$key``, one query: how many documents it reached, by depth and by level (the root
    counted, at depth 0), and one page of them (``$offset``, ``$limit`` or null for all): the page's documents
    with their depths (``rows``) and, per page document ``d``, its links with a document up to the page's end
    (``edges``), so that each link comes once, with the page of its later end. The counts are made here: a
    national lineage reaches thousands of documents, and sending their keys to count them cost the client
    more than building the page. A lineage needs no chains, so no parents are sought."""
    link = link_map("l")
    outgoing = _linked("d", relations, "t", "t IN delivered", link)
    incoming = _linked("s", relations, "d", "s IN delivered AND NOT s IN page", link)
    return f"""{_reach(relations, direction, max_depth)}
WITH nodes, [0] + depths AS depths
WITH nodes, depths, CASE WHEN $limit IS NULL OR $offset + $limit > size(nodes) THEN size(nodes)
  ELSE $offset + $limit END AS end
CALL (depths) {{
  UNWIND depths AS depth
  WITH depth, count(*) AS n
  RETURN collect([depth, n]) AS depth_counts
}}
CALL (nodes) {{
  UNWIND nodes AS node
  WITH node.level AS level, count(*) AS n
  RETURN collect([level, n]) AS level_counts
}}
CALL (nodes, depths, end) {{
  UNWIND range($offset, end - 1) AS i
  WITH depths[i] AS depth, nodes[i] AS d
  RETURN collect([depth, d {DOCUMENT_FIELDS}]) AS rows
}}
WITH nodes, depth_counts, level_counts, rows, nodes[$offset..end] AS page, nodes[..end] AS delivered
RETURN size(nodes) AS total, depth_counts, level_counts, rows, [d IN page | {outgoing} + {incoming}] AS edges
"""


def outline_query(relations: Sequence[Relation], direction: LineageDirection, max_depth: int) -> str:
    """Breadth-first from ``$key``, one query: how many documents it reached (the root counted) and, unless
    more than ``$max_documents``, every reached document's depth and facts (``[key, level, jurisdiction,
    year]``), the root first, and per reached document its links of the given types to another reached one
    (``[relation, target key]``)."""
    to_reached = _linked("d", relations, "t", "t IN nodes", "[toLower(type(l)), t.key]")
    return f"""{_reach(relations, direction, max_depth)}
WITH nodes, depths, size(nodes) <= $max_documents AS answered
RETURN size(nodes) AS total, CASE WHEN answered THEN [0] + depths END AS depths,
       CASE WHEN answered THEN [d IN nodes | [d.key, d.level, d.jurisdiction, d.year]] END AS facts,
       CASE WHEN answered THEN [d IN nodes | {to_reached}] END AS links
"""


class Neo4jTraversal(Neo4jRole):
    """Lineage and implementers of the Neo4j store."""

    async def lineage(
        self,
        key: str,
        direction: LineageDirection,
        relations: Sequence[Relation],
        max_depth: int,
        *,
        offset: int = 0,
        limit: int | None = DEFAULT_GRAPH_PAGE,
        view: View = View(),  # noqa: B008 - frozen
    ) -> Lineage:
        check_page(offset, limit)
        query = lineage_query(relations, direction, max_depth)
        records = await self.db.read(query, key=key, offset=offset, limit=limit, **view_params(view))
        if not records:
            raise NotFoundError("document", key)
        record = records[0]
        edges = [trusted_link(link) for links in record["edges"] for link in links]
        return lineage_of_rows(
            key,
            record["rows"],
            edges,
            total=record["total"],
            depth_counts=dict(sorted((depth, n) for depth, n in record["depth_counts"])),
            level_counts=count_levels((level, n) for level, n in record["level_counts"]),
        )

    async def lineage_json(
        self,
        key: str,
        direction: LineageDirection,
        relations: Sequence[Relation],
        max_depth: int,
        *,
        offset: int = 0,
        limit: int | None = DEFAULT_GRAPH_PAGE,
        view: View = View(),  # noqa: B008 - frozen
    ) -> LineageJson:
        page = await self.lineage(key, direction, relations, max_depth, offset=offset, limit=limit, view=view)
        return LineageJson.of(page)

    async def lineage_outline(
        self,
        key: str,
        direction: LineageDirection,
        relations: Sequence[Relation],
        max_depth: int,
        *,
        view: View = View(),  # noqa: B008 - frozen
        max_documents: int = OUTLINE_MAX_DOCUMENTS,
    ) -> LineageOutline:
        query = outline_query(relations, direction, max_depth)
        records = await self.db.read(query, key=key, max_documents=max_documents, **view_params(view))
        if not records:
            raise NotFoundError("document", key)
        record = records[0]
        check_outline_size(record["total"], max_documents)
        keys = [row[0] for row in record["facts"]]
        links = [
            (source, relation, target)
            for source, out in zip(keys, record["links"], strict=True)
            for relation, target in out
        ]
        return outline_of(
            key,
            dict(zip(keys, record["depths"], strict=True)),
            {k: Facts(level, jurisdiction, year) for k, level, jurisdiction, year in record["facts"]},
            links,
            down=direction == LineageDirection.down,
        )

    async def implementers(
        self,
        key: str,
        *,
        level: Level | None,
        jurisdiction: str | None,
        max_depth: int,
        offset: int = 0,
        limit: int | None = DEFAULT_GRAPH_PAGE,
        view: View = View(),  # noqa: B008 - frozen
    ) -> Implementers:
        check_page(offset, limit)
        scope = None
        if jurisdiction is not None:
            records = await self.db.read(JURISDICTION_TREE, root=jurisdiction)
            scope = {jurisdiction, *(records[0]["keys"] if records else [])}

        async def work(tx: Transaction) -> Implementers:
            query = walk_query(IMPLEMENTATION_RELATIONS, LineageDirection.down, max_depth)
            walk, facts = _walk(key, await run(tx, query, key=key, **view_params(view)))
            matching = implementer_keys(walk, facts, level=level, jurisdiction_keys=scope)
            page = page_of(matching, offset, limit)
            return implementers_answer(walk, facts, matching, page, await _document_rows(tx, page))

        return await self.db.transaction(work, write=False)


async def _document_rows(tx: Transaction, keys: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Stored documents' own properties, for trusted_document."""
    [record] = await run(tx, DOCUMENT_FIELDS_BY_KEY, keys=list(keys))
    return {doc["key"]: doc for doc in record["documents"]}


def _walk(root: str, records: list[Record]) -> tuple[Walk, dict[str, Facts]]:
    """The walk and the facts of every document reached, from the record of :func:`walk_query`."""
    if not records:
        raise NotFoundError("document", root)
    record = records[0]
    facts = {root: Facts(record["level"], record["jurisdiction"], record["year"])}
    facts.update((key, Facts(level, jurisdiction, year)) for key, level, jurisdiction, year, _ in record["found"])
    nearer = [(row[0], depth, row[4]) for row, depth in zip(record["found"], record["depths"], strict=True)]
    return Walk.from_depths(root, nearer), facts
