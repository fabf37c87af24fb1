"""The links touching a batch of documents, for the chain search of :mod:`graph.paths`: one query a batch."""

from __future__ import annotations

from collections.abc import Sequence

from graph.models import Link, LinkDirection, Relation, Review, ReviewScope, View
from graph.records import trusted_link
from graph.stores.neo4j.cypher import link_map, rel_types
from graph.stores.neo4j.db import Neo4jRole

# The review states each scope counts; a link written before review states existed is accepted.
REVIEWS = {scope: [review.value for review in Review if scope.counts(review)] for scope in ReviewScope}
# A document is seen on $as_of when issued by then (its date, else its year; undated ones always).
ISSUED_BY = "coalesce({end}.date <= $as_of, {end}.year <= $year, true)"
ARROWS = {LinkDirection.out: ("-", "->"), LinkDirection.in_: ("<-", "-"), LinkDirection.both: ("-", "-")}


def neighbours_query(direction: LinkDirection, relations: Sequence[Relation]) -> str:
    """Every link of ``relations`` from (out), to (in) or at either end of (both) the documents ``$keys``,
    that ``$reviews`` counts and, with ``$as_of``, whose ends were both issued by then; in one record."""
    left, right = ARROWS[direction]
    seen_on_day = f"({ISSUED_BY.format(end='startNode(l)')} AND {ISSUED_BY.format(end='endNode(l)')})"
    return f"""
UNWIND $keys AS k
MATCH (d:Document {{key: k}}){left}[l:{rel_types(relations)}]{right}(:Document)
WHERE coalesce(l.review, 'accepted') IN $reviews AND ($as_of IS NULL OR {seen_on_day})
WITH DISTINCT l
RETURN collect({{link: {link_map("l")}, review: coalesce(l.review, 'accepted')}}) AS links
"""


class Neo4jNeighbours(Neo4jRole):
    """The neighbour function of the Neo4j store."""

    async def neighbours(
        self, keys: Sequence[str], *, direction: LinkDirection, relations: Sequence[Relation], view: View
    ) -> list[Link]:
        if not keys or not relations:
            return []
        [record] = await self.db.read(
            neighbours_query(direction, relations),
            keys=list(keys),
            reviews=REVIEWS[view.review],
            as_of=view.as_of.isoformat() if view.as_of else None,
            year=view.as_of.year if view.as_of else None,
        )
        return [
            trusted_link(row["link"]).model_copy(update={"review": Review(row["review"])}) for row in record["links"]
        ]
