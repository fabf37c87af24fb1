"""Cypher for the Neo4j store. Values always travel as ``$parameters``; the only text spliced in is
relationship types from :class:`graph.models.Relation` and validated integer path bounds."""

from __future__ import annotations

from collections.abc import Sequence

from graph.models import MAX_DEPTH, LineageDirection, Relation


def rel_types(relations: Sequence[Relation]) -> str:
    """``IMPLEMENTS|CONTINUES``: a relationship-type alternation built only from the closed enum."""
    return "|".join(Relation(r).rel_type for r in relations)


ALL_RELATIONS = rel_types(list(Relation))

APPLIED_MIGRATIONS = "MATCH (m:Migration) RETURN m.version AS version, m.checksum AS checksum"
RECORD_MIGRATION = """
MERGE (m:Migration {version: $version})
SET m.name = $name, m.checksum = $checksum, m.applied_at = $applied_at
"""

UPSERT_ORGANIZATIONS = """
UNWIND $rows AS row
MERGE (o:Organization {key: row.key})
SET o = row
"""
ORGANIZATIONS_BY_KEY = "UNWIND $keys AS k MATCH (o:Organization {key: k}) RETURN o {.*} AS org"
LIST_ORGANIZATIONS = """
MATCH (o:Organization)
WHERE ($level IS NULL OR o.level = $level) AND ($parent IS NULL OR o.parent = $parent)
  AND ($as_of IS NULL OR ((o.valid_from IS NULL OR o.valid_from <= $as_of)
                          AND (o.valid_to IS NULL OR $as_of <= o.valid_to)))
RETURN o {.*} AS org ORDER BY o.key
"""
JURISDICTION_TREE = """
MATCH (root:Organization {key: $root})
OPTIONAL MATCH (root)<-[:PART_OF*1..8]-(o:Organization)
RETURN root.key AS root, collect(o.key) AS keys
"""
LINK_ORGANIZATION_PARENTS = """
UNWIND $rows AS row
MATCH (o:Organization {key: row.key}), (p:Organization {key: row.parent})
MERGE (o)-[:PART_OF]->(p)
"""

DOCUMENT_CANDIDATES = """
UNWIND $match_keys AS mk
MATCH (:SymbolKey {key: mk})-[:SPELLS]->(d:Document)
WITH DISTINCT d
MATCH (s:SymbolKey)-[:SPELLS]->(d)
RETURN d {.*} AS doc, collect(s.key) AS match_keys
"""
UPSERT_DOCUMENTS = """
UNWIND $rows AS row
MERGE (d:Document {key: row.key})
SET d = row
"""
CLEAR_SPELLINGS = """
UNWIND $keys AS k
MATCH (:SymbolKey)-[r:SPELLS]->(:Document {key: k})
DELETE r
"""
ADD_SPELLINGS = """
UNWIND $rows AS row
MATCH (d:Document {key: row.key})
UNWIND row.match_keys AS mk
MERGE (s:SymbolKey {key: mk})
MERGE (s)-[:SPELLS]->(d)
"""
# Lists of records come in one record: the driver reads each record apart, which costs more than the record.
DOCUMENTS_BY_KEY = "UNWIND $keys AS k MATCH (d:Document {key: k}) RETURN collect(d {.*}) AS documents"
# Only a document's own fields (not its search text): for pages of lineage and implementers.
DOCUMENT_FIELDS = """{.key, .symbol, .aliases, .type, .number, .date, .year, .issuer, .level, .jurisdiction, .term,
    .title, .status, .effective_from, .effective_to, .stub}"""
DOCUMENT_FIELDS_BY_KEY = (
    f"UNWIND $keys AS k MATCH (d:Document {{key: k}}) RETURN collect(d {DOCUMENT_FIELDS}) AS documents"
)
FIND_DOCUMENTS = """
MATCH (d:Document)
WHERE ($year IS NULL OR d.year = $year) AND ($jurisdiction IS NULL OR d.jurisdiction = $jurisdiction)
  AND ($level IS NULL OR d.level = $level) AND ($type IS NULL OR d.type_folded = $type)
RETURN d {.*} AS doc
ORDER BY coalesce(d.year, 0) DESC, d.key
LIMIT $limit
"""
FIND_DOCUMENTS_BY_SYMBOL = """
MATCH (:SymbolKey {key: $match_key})-[:SPELLS]->(d:Document)
WHERE ($year IS NULL OR d.year = $year) AND ($jurisdiction IS NULL OR d.jurisdiction = $jurisdiction)
  AND ($level IS NULL OR d.level = $level) AND ($type IS NULL OR d.type_folded = $type)
RETURN d {.*} AS doc
ORDER BY coalesce(d.year, 0) DESC, d.key
LIMIT $limit
"""
EXISTING_DOCUMENT_KEYS = "UNWIND $keys AS k MATCH (d:Document {key: k}) RETURN d.key AS key"

LINK_RETURN = """
RETURN s.key AS source, toLower(type(l)) AS relation, t.key AS target, l.origin AS origin, l.evidence AS evidence,
       l.source_text_id AS source_text_id, l.span_start AS span_start, l.span_end AS span_end,
       l.confidence AS confidence, l.created_at AS created_at, s.symbol AS source_symbol, t.symbol AS target_symbol
"""


def upsert_links(relation: Relation) -> str:
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


def links_out(relations: Sequence[Relation]) -> str:
    return f"MATCH (s:Document {{key: $key}})-[l:{rel_types(relations)}]->(t:Document) {LINK_RETURN}"


def links_in(relations: Sequence[Relation]) -> str:
    return f"MATCH (s:Document)-[l:{rel_types(relations)}]->(t:Document {{key: $key}}) {LINK_RETURN}"


def _link_map(link: str) -> str:
    """A map literal of the link ``link`` with the fields of :func:`graph.records.trusted_link`."""
    return f"""{{
    source: startNode({link}).key, relation: toLower(type({link})), target: endNode({link}).key, origin: {link}.origin,
    evidence: {link}.evidence, source_text_id: {link}.source_text_id, span_start: {link}.span_start,
    span_end: {link}.span_end, confidence: {link}.confidence, created_at: {link}.created_at,
    source_symbol: startNode({link}).symbol, target_symbol: endNode({link}).symbol
}}"""


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
        return "MATCH (root:Document {key: $key}) WITH root, [root] AS nodes, [] AS depths"
    pattern = f"[:{rel_types(relations)}*1..{int(max_depth)}]"
    away = f"<-{pattern}-" if direction == LineageDirection.down else f"-{pattern}->"
    return f"""
MATCH (root:Document {{key: $key}})
OPTIONAL MATCH p = (root){away}(n:Document)
WHERE n <> root
WITH root, n, min(length(p)) AS depth
ORDER BY depth, n.key
WITH root, collect(n) AS reached, collect(depth) AS depths
WITH root, [root] + reached AS nodes, depths"""


def _linked(start: str, relations: Sequence[Relation], end: str, where: str, value: str) -> str:
    """A list of ``value`` over the links of the given types from ``start`` to ``end`` that meet ``where``
    (``l`` is the link); empty when no type is given."""
    if not relations:
        return "[]"
    return f"[({start})-[l:{rel_types(relations)}]->({end}) WHERE {where} | {value}]"


def walk(relations: Sequence[Relation], direction: LineageDirection, max_depth: int) -> str:
    """Breadth-first from ``$key``, one query: the root's facts, and per reached document ``n`` its key,
    facts and the keys of the reached documents it links with one step nearer the root (``m``), from which
    its parent is chosen. ``IN nodes`` is checked against a hash set the runtime builds once per query."""
    ends = ("n", "m") if direction == LineageDirection.down else ("m", "n")
    nearer = _linked(ends[0], relations, ends[1], "m IN nodes", "m.key")
    return f"""{_reach(relations, direction, max_depth)}
RETURN root.level AS level, root.jurisdiction AS jurisdiction, root.year AS year, depths,
       [n IN nodes[1..] | [n.key, n.level, n.jurisdiction, n.year, {nearer}]] AS found
"""


def lineage(relations: Sequence[Relation], direction: LineageDirection, max_depth: int) -> str:
    """Breadth-first from ``$key``, one query: every reached document's key, depth and level (the root
    first), and one page of them (``$offset``, ``$limit`` or null for all): the page's documents (``rows``)
    and, per page document ``d``, its links with a document up to the page's end (``edges``), so that each
    link comes once, with the page of its later end. A lineage needs no chains, so no parents are sought."""
    link = _link_map("l")
    outgoing = _linked("d", relations, "t", "t IN delivered", link)
    incoming = _linked("s", relations, "d", "s IN delivered AND NOT s IN page", link)
    return f"""{_reach(relations, direction, max_depth)}
WITH nodes, depths, coalesce($offset + $limit, size(nodes)) AS end
WITH nodes, depths, nodes[$offset..end] AS page, nodes[..end] AS delivered
RETURN [n IN nodes | n.key] AS keys, [0] + depths AS depths, [n IN nodes | n.level] AS levels,
       [d IN page | d {DOCUMENT_FIELDS}] AS rows,
       [d IN page | {outgoing} + {incoming}] AS edges
"""


def shortest_paths(max_length: int) -> str:
    """All shortest undirected chains between two documents, at most ``max_length`` links long."""
    if not 1 <= max_length <= 25:
        raise ValueError("max_length out of range")
    return f"""
MATCH (a:Document {{key: $source}}), (b:Document {{key: $target}})
MATCH p = allShortestPaths((a)-[:{ALL_RELATIONS}*..{int(max_length)}]-(b))
WITH p, [n IN nodes(p) | n.key] AS keys
ORDER BY keys
LIMIT $cap
RETURN collect({{keys: keys, hops: [r IN relationships(p) | {_link_map("r")}]}}) AS paths
"""


def count_links(relation: Relation) -> str:
    return f"MATCH ()-[l:{relation.rel_type}]->() RETURN count(l) AS n"


PUT_TEXT = """
MERGE (t:SourceText {id: $id})
ON CREATE SET t.text = $text, t.jurisdiction = $jurisdiction, t.document_key = $document_key,
              t.created_at = $now, t.new = true
WITH t, coalesce(t.new, false) AS created
REMOVE t.new
RETURN created
"""
GET_TEXT = "MATCH (t:SourceText {id: $id}) RETURN t {.*} AS text"

COUNT_DOCUMENTS = "MATCH (d:Document) RETURN count(d) AS n"
COUNT_ORGANIZATIONS = "MATCH (o:Organization) RETURN count(o) AS n"
PING = "RETURN 1 AS ok"
