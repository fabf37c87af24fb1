"""Yen's k shortest simple chains over an in-memory neighbour function: the algorithm, without a store."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

import networkx as nx  # type: ignore[import-untyped]
import pytest

from graph.models import Link, LinkDirection, Relation, Review
from graph.paths import Adjacency, PathQuery, TooWide, k_shortest, search_chains

pytestmark = pytest.mark.unit

IMP, C, B = Relation.implements, Relation.cites, Relation.based_on

# source → target links, by name.
DIAMOND = [("b", IMP, "a"), ("c", IMP, "a"), ("d", IMP, "b"), ("d", C, "c")]
# a ← b ← c ← d with a shortcut d → a and a cycle c → e → c.
CYCLE = [("b", IMP, "a"), ("c", IMP, "b"), ("d", IMP, "c"), ("d", C, "a"), ("e", C, "c"), ("c", C, "e")]
LADDER = [(f"{i + 1}", IMP, f"{i}") for i in range(6)] + [(f"{i + 2}", C, f"{i}") for i in range(5)]


@dataclass
class Memory:
    """A neighbour function over a list of links, counting the batches it is asked."""

    links: list[Link]
    relations: tuple[Relation, ...] = tuple(Relation)
    calls: list[list[str]] = field(default_factory=list)

    async def __call__(self, keys: list[str], direction: LinkDirection) -> list[Link]:
        self.calls.append(keys)
        wanted = set(keys)
        return [
            link
            for link in self.links
            if link.relation in self.relations
            and (
                (direction != LinkDirection.in_ and link.source in wanted)
                or (direction != LinkDirection.out and link.target in wanted)
            )
        ]


def links(spec: Sequence[tuple[str, Relation, str]]) -> list[Link]:
    return [Link(source=s, relation=r, target=t) for s, r, t in spec]


async def chains(spec: Sequence[tuple[str, Relation, str]], source: str, target: str, **query: object) -> list[str]:
    memory = Memory(links(spec), tuple(query.pop("relations", tuple(Relation))))  # type: ignore[arg-type]
    found, _, partial = await search_chains(memory, source, target, PathQuery(**query))  # type: ignore[arg-type]
    assert not partial
    return ["".join(keys) for keys in found]


@pytest.mark.parametrize(
    ("spec", "source", "target", "query", "expected"),
    [
        pytest.param(DIAMOND, "d", "a", {}, ["dba", "dca"], id="diamond-both-ways"),
        pytest.param(DIAMOND, "d", "a", {"k": 1}, ["dba"], id="diamond-k1-smaller-keys"),
        pytest.param(DIAMOND, "d", "a", {"k": 50}, ["dba", "dca"], id="k-larger-than-paths"),
        pytest.param(DIAMOND, "b", "c", {}, ["bac", "bdc"], id="undirected-through-either-end"),
        pytest.param(DIAMOND, "b", "c", {"directed": True}, [], id="directed-no-way-between-siblings"),
        pytest.param(DIAMOND, "d", "a", {"directed": True}, ["dba", "dca"], id="directed-along-links"),
        pytest.param(DIAMOND, "a", "d", {"directed": True}, [], id="directed-never-against-links"),
        pytest.param(DIAMOND, "d", "a", {"relations": (IMP,)}, ["dba"], id="relation-filter"),
        pytest.param(DIAMOND, "d", "a", {"relations": (B,)}, [], id="relation-absent"),
        pytest.param(DIAMOND, "d", "a", {"max_length": 1}, [], id="too-short"),
        pytest.param(CYCLE, "d", "a", {"k": 3}, ["da", "dcba"], id="cycle-only-simple-shortest-first"),
        pytest.param(CYCLE, "e", "a", {"directed": True}, ["ecba"], id="cycle-directed"),
        pytest.param(CYCLE, "d", "a", {"directed": True, "max_length": 2}, ["da"], id="cycle-directed-bounded"),
        pytest.param(CYCLE, "d", "e", {"k": 5}, ["dce", "dabce"], id="cycle-longer-detour"),
    ],
)
async def test_k_shortest_chains(
    spec: list[tuple[str, Relation, str]], source: str, target: str, query: dict[str, object], expected: list[str]
) -> None:
    assert await chains(spec, source, target, **query) == expected


@pytest.mark.parametrize(("k", "directed"), list(itertools.product([1, 3, 10, 40], [False, True])))
async def test_same_chains_as_networkx(k: int, directed: bool) -> None:
    memory = Memory(links(LADDER))
    found, _, _ = await search_chains(memory, "6", "0", PathQuery(k=k, directed=directed, max_length=6))
    graph = (nx.DiGraph if directed else nx.Graph)([(s, t) for s, _, t in LADDER])
    expected = list(itertools.islice(nx.shortest_simple_paths(graph, "6", "0"), 100))
    expected = [p for p in expected if len(p) <= 7]
    assert [len(p) for p in found] == [len(p) for p in expected[:k]]
    assert all(p in expected for p in found) and len(set(map(tuple, found))) == len(found)


async def test_one_read_per_level_and_document() -> None:
    memory = Memory(links(LADDER))
    await search_chains(memory, "6", "0", PathQuery(k=10))
    asked = [key for batch in memory.calls for key in batch]
    assert len(asked) == len(set(asked)) == 7  # each document's links read once, whatever the number of searches
    assert len(memory.calls) < len(asked)  # a frontier at a time


async def test_the_cap_stops_the_search_and_keeps_what_is_certain() -> None:
    memory = Memory(links(LADDER))
    found, graph, partial = await search_chains(memory, "6", "0", PathQuery(k=10, max_expanded=4))
    assert partial and graph.expanded <= 4
    assert found == [] or all(len(p) <= 7 for p in found)
    with pytest.raises(TooWide):
        async for _ in k_shortest(Adjacency(memory, False, cap=1), "6", "0", 6, 3):
            pass


async def test_parallel_links_are_one_hop_shown_by_relation_order() -> None:
    spec = [("b", C, "a"), ("b", IMP, "a"), ("a", C, "b")]
    memory = Memory(links(spec))
    found, graph, _ = await search_chains(memory, "b", "a", PathQuery())
    assert found == [["b", "a"]] and graph.link(("b", "a")).relation == IMP


async def test_accepted_links_are_preferred() -> None:
    proposed = Link(source="b", relation=IMP, target="a", review=Review.proposed)
    accepted = Link(source="a", relation=IMP, target="b")
    graph = Adjacency(Memory([proposed, accepted]), directed=False)
    await graph.steps(["a"], True)
    assert graph.link(("a", "b")) == accepted


@pytest.mark.parametrize("bad", [{"max_length": 0}, {"max_length": 26}, {"k": 0}, {"k": 101}])
def test_query_bounds(bad: dict[str, int]) -> None:
    with pytest.raises(ValueError, match="must be within"):
        PathQuery(**bad)  # type: ignore[arg-type]
