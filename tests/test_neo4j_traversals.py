"""Neo4j traversals: every walk is planned as a breadth-first expand with pruning, which visits each
document once, never as an enumeration of paths, whose count grows with the depth asked for."""

from __future__ import annotations

import pytest

from graph.models import IMPLEMENTATION_RELATIONS, LINEAGE_RELATIONS, MAX_DEPTH, LineageDirection, Relation
from graph.stores.neo4j import Neo4jStore
from graph.stores.neo4j.traversal import lineage_query, walk_query
from tests.conftest import plan_operators

pytestmark = [pytest.mark.contract, pytest.mark.neo4j]

WALKS = [
    pytest.param(lineage_query(LINEAGE_RELATIONS, LineageDirection.down, 4), id="lineage-down"),
    pytest.param(lineage_query(list(Relation), LineageDirection.up, MAX_DEPTH), id="lineage-up-every-type-deepest"),
    pytest.param(walk_query(IMPLEMENTATION_RELATIONS, LineageDirection.down, 4), id="implementers"),
]


@pytest.mark.parametrize("query", WALKS)
async def test_walks_go_breadth_first_with_pruning(neo4j: Neo4jStore, query: str) -> None:
    operators = await plan_operators(neo4j, query, key="k", offset=0, limit=100)
    assert [op for op in operators if "VarLengthExpand" in op] == ["VarLengthExpand(Pruning,BFS,All)"]
