"""Cypher that several roles of the Neo4j store share; each role keeps its own queries beside its code.

Values always travel as ``$parameters``; the only text spliced into any query of the store is
relationship types from :class:`graph.models.Relation` and validated integer path bounds."""

from __future__ import annotations

from collections.abc import Sequence

from graph.models import Relation


def rel_types(relations: Sequence[Relation]) -> str:
    """``IMPLEMENTS|CONTINUES``: a relationship-type alternation built only from the closed enum."""
    return "|".join(Relation(r).rel_type for r in relations)


ALL_RELATIONS = rel_types(list(Relation))


ORGANIZATIONS_BY_KEY = "UNWIND $keys AS k MATCH (o:Organization {key: k}) RETURN o {.*} AS org"

# The separator of the parts of an order string: it sorts below every character of a match key, jurisdiction,
# level or type, so the orders of one value are never among those of a longer value.
ORDER_SEPARATOR = "\u0001"
# A document's place in page order (newest year first, then by key) as one string; a spelling's order and the
# list orders below prefix it.
YEAR_KEY_ORDER = "right('000' + toString(9999 - coalesce(d.year, 0)), 4) + '\\u0001' + d.key"
# Its place in the lists by filter (GET /documents without a symbol): in all documents, and among the
# documents of its jurisdiction, level and type, each a string a range index keeps in order (migration V0029,
# which writes the same expressions), so a page is read from an index in order and stops after its rows. A
# write that sets a document's fields sets these after them.
LIST_ORDERS = f"""d.page_order = {YEAR_KEY_ORDER},
    d.jurisdiction_order = d.jurisdiction + '\\u0001' + {YEAR_KEY_ORDER},
    d.level_order = d.level + '\\u0001' + {YEAR_KEY_ORDER},
    d.type_order = d.type_folded + '\\u0001' + {YEAR_KEY_ORDER}"""
UPSERT_DOCUMENTS = f"""
UNWIND $rows AS row
MERGE (d:Document {{key: row.key}})
SET d = row
SET {LIST_ORDERS}
"""
CLEAR_SPELLINGS = """
UNWIND $keys AS k
MATCH (:SymbolKey)-[r:SPELLS]->(:Document {key: k})
DELETE r
"""
# A spelling's place in the list of its symbol's documents, newest year first, then by key, as one string a
# range index keeps in order (migration V0027, which writes the same expression): a page of a symbol thousands
# of documents share is read from the index in order and stops after its rows, with no sort.
SPELLING_ORDER = f"mk + '\\u0001' + {YEAR_KEY_ORDER}"
ADD_SPELLINGS = f"""
UNWIND $rows AS row
MATCH (d:Document {{key: row.key}})
UNWIND row.match_keys AS mk
MERGE (s:SymbolKey {{key: mk}})
MERGE (s)-[spelling:SPELLS]->(d)
SET spelling.order = {SPELLING_ORDER}
"""
# Lists of records come in one record: the driver reads each record apart, which costs more than the record.
DOCUMENTS_BY_KEY = "UNWIND $keys AS k MATCH (d:Document {key: k}) RETURN collect(d {.*}) AS documents"
# Only a document's own fields (not its search text): for pages of lineage and implementers.
DOCUMENT_FIELDS = """{.key, .symbol, .aliases, .type, .number, .date, .year, .issuer, .level, .jurisdiction, .term,
    .title, .status, .effective_from, .effective_to, .stub, .status_source, .effects}"""
EXISTING_DOCUMENT_KEYS = "UNWIND $keys AS k MATCH (d:Document {key: k}) RETURN d.key AS key"

LINK_RETURN = """
RETURN s.key AS source, toLower(type(l)) AS relation, t.key AS target, l.origin AS origin, l.evidence AS evidence,
       l.source_text_id AS source_text_id, l.span_start AS span_start, l.span_end AS span_end,
       l.confidence AS confidence, l.created_at AS created_at, s.symbol AS source_symbol, t.symbol AS target_symbol,
       l.id AS id, l.review AS review, l.provenance AS provenance, l.corrected_to AS corrected_to,
       l.partial AS partial, l.flagged AS flagged
"""


def link_map(link: str) -> str:
    """A map literal of the link ``link`` with the fields of :func:`graph.records.trusted_link`."""
    return f"""{{
    source: startNode({link}).key, relation: toLower(type({link})), target: endNode({link}).key, origin: {link}.origin,
    evidence: {link}.evidence, source_text_id: {link}.source_text_id, span_start: {link}.span_start,
    span_end: {link}.span_end, confidence: {link}.confidence, created_at: {link}.created_at,
    source_symbol: startNode({link}).symbol, target_symbol: endNode({link}).symbol, id: {link}.id,
    review: {link}.review, provenance: {link}.provenance, corrected_to: {link}.corrected_to,
    partial: {link}.partial, flagged: {link}.flagged
}}"""
