"""The audit's walk on the Neo4j store: breadth first from many documents at once, one query per step."""

from __future__ import annotations

from collections.abc import Sequence

from graph.audit_reach import ImplementationGraph, Reaches, reach_levels, reaches_in
from graph.models import IMPLEMENTATION_RELATIONS, MAX_DEPTH, Document, Level, Link, ReviewScope
from graph.records import trusted_document, trusted_link
from graph.stores.neo4j.cypher import DOCUMENT_FIELDS, link_map, rel_types
from graph.stores.neo4j.db import Neo4jRole

# The implementation links into the frontier from documents of the levels entered (or of none), with those
# documents; one record, as the driver reads each record apart.
STEP = f"""
UNWIND $frontier AS k
MATCH (s:Document)-[l:{rel_types(IMPLEMENTATION_RELATIONS)}]->(:Document {{key: k}})
WHERE s.level IS NULL OR s.level IN $levels
RETURN collect({link_map("l")}) AS links, collect(DISTINCT s {DOCUMENT_FIELDS}) AS documents
"""
ROOTS = f"UNWIND $keys AS k MATCH (d:Document {{key: k}}) RETURN collect(d {DOCUMENT_FIELDS}) AS documents"


class Neo4jReach(Neo4jRole):
    """The audit's walk of the Neo4j store."""

    async def implementation_graph(self, roots: Sequence[str], levels: Sequence[Level]) -> ImplementationGraph:
        [record] = await self.db.read(ROOTS, keys=sorted(set(roots)))
        documents = {d["key"]: trusted_document(d, Document) for d in record["documents"]}
        frontier = sorted(documents)
        links: list[Link] = []
        wanted = [level.value for level in levels]
        for _ in range(MAX_DEPTH):
            if not frontier:
                break
            [step] = await self.db.read(STEP, frontier=frontier, levels=wanted)
            links.extend(trusted_link(link) for link in step["links"])
            found = {d["key"]: d for d in step["documents"] if d["key"] not in documents}
            documents.update((key, trusted_document(d, Document)) for key, d in found.items())
            frontier = sorted(found)
        return ImplementationGraph(links, documents)

    async def implementation_reach(self, roots: Sequence[str], level: Level, review: ReviewScope) -> Reaches:
        return reaches_in(await self.implementation_graph(roots, reach_levels(level)), roots, level, review)
