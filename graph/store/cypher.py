"""Cypher for the Neo4j store. Values always travel as ``$parameters``; the only text spliced in is
relationship types from :class:`graph.models.Relation` and validated integer path bounds."""

from __future__ import annotations

from collections.abc import Sequence

from graph.models import Relation


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
  AND ($as_of IS NULL OR ((o.valid_from IS NULL OR o.valid_from <= $as_of) AND (o.valid_to IS NULL OR $as_of <= o.valid_to)))
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
DOCUMENTS_BY_KEY = "UNWIND $keys AS k MATCH (d:Document {key: k}) RETURN d {.*} AS doc"
# Only a document's own fields (not its search text): for pages of lineage and implementers.
DOCUMENT_FIELDS_BY_KEY = """
UNWIND $keys AS k MATCH (d:Document {key: k})
RETURN d {.key, .symbol, .aliases, .type, .number, .date, .year, .issuer, .level, .jurisdiction, .term, .title,
          .status, .effective_from, .effective_to, .stub} AS doc
"""
DOCUMENT_FACTS = "MATCH (d:Document {key: $key}) RETURN d.level AS level, d.jurisdiction AS jurisdiction, d.year AS year"
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

_LINK_RETURN = """
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
{_LINK_RETURN}
"""


def links_out(relations: Sequence[Relation]) -> str:
    return f"MATCH (s:Document {{key: $key}})-[l:{rel_types(relations)}]->(t:Document) {_LINK_RETURN}"


def links_in(relations: Sequence[Relation]) -> str:
    return f"MATCH (s:Document)-[l:{rel_types(relations)}]->(t:Document {{key: $key}}) {_LINK_RETURN}"


def edges_touching(relations: Sequence[Relation]) -> str:
    """Links of the given types with one end in ``$page`` and the other a key of the map ``$delivered``."""
    return f"""
UNWIND $page AS k
MATCH (s:Document {{key: k}})-[l:{rel_types(relations)}]->(t:Document)
WHERE $delivered[t.key] IS NOT NULL
{_LINK_RETURN}
UNION
UNWIND $page AS k
MATCH (s:Document)-[l:{rel_types(relations)}]->(t:Document {{key: k}})
WHERE $delivered[s.key] IS NOT NULL
{_LINK_RETURN}
"""


def step_down(relations: Sequence[Relation]) -> str:
    """One breadth-first step: documents linking into the frontier, each with the smallest frontier key it
    links to and its facts (level, jurisdiction, year)."""
    return f"""
UNWIND $frontier AS k
MATCH (:Document {{key: k}})<-[:{rel_types(relations)}]-(n:Document)
WITH n, min(k) AS parent
RETURN collect([n.key, parent, n.level, n.jurisdiction, n.year]) AS found
"""


def step_up(relations: Sequence[Relation]) -> str:
    """One breadth-first step: documents the frontier links to, each with the smallest frontier key linking
    to it and its facts (level, jurisdiction, year)."""
    return f"""
UNWIND $frontier AS k
MATCH (:Document {{key: k}})-[:{rel_types(relations)}]->(n:Document)
WITH n, min(k) AS parent
RETURN collect([n.key, parent, n.level, n.jurisdiction, n.year]) AS found
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
RETURN keys, [r IN relationships(p) | {{
    source: startNode(r).key, relation: toLower(type(r)), target: endNode(r).key, origin: r.origin,
    evidence: r.evidence, source_text_id: r.source_text_id, span_start: r.span_start, span_end: r.span_end,
    confidence: r.confidence, created_at: r.created_at,
    source_symbol: startNode(r).symbol, target_symbol: endNode(r).symbol
}}] AS hops
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
