"""The neighbour function of both stores, and the chain search over it (graph.paths), on SQLite and Neo4j."""

from __future__ import annotations

import datetime as dt

import pytest

from graph.errors import NotFoundError
from graph.identity import DocumentDraft
from graph.models import IMPLEMENTATION_RELATIONS, Link, LinkDirection, LinkDraft, Relation, Review, ReviewScope, View
from graph.paths import PathQuery, find_paths
from graph.ports import GraphStore

pytestmark = pytest.mark.contract

PLAN = "138-kh-tu-2019.thanh-hoa"
EARLIER_PLAN = "73-kh-tu-2018.thanh-hoa"
CONCLUSION = "43-kl-tw-2019"
RESOLUTION = "25-nq-tw-2013"
ALL = tuple(Relation)
IMP, CITES = Relation.implements, Relation.cites


def triples(links: list[Link]) -> list[tuple[str, str, str]]:
    return sorted((link.source, link.relation.value, link.target) for link in links)


async def documents(store: GraphStore, *days: str) -> list[str]:
    drafts = [DocumentDraft(symbol=f"{70 + i}-KL/TW", date=dt.date.fromisoformat(day)) for i, day in enumerate(days)]
    return [d.key for d in await store.upsert_documents(drafts)]


async def linked(store: GraphStore, keys: list[str], hops: list[tuple[int, Relation, int]]) -> None:
    await store.upsert_links([LinkDraft(source=keys[s], relation=r, target=keys[t]) for s, r, t in hops])


@pytest.fixture
async def line(store: GraphStore) -> list[str]:
    """k0 ← k1 ← k2 (implements), k2 → k0 (cites): issued a year apart."""
    keys = await documents(store, "2020-01-01", "2021-01-01", "2022-01-01")
    await linked(store, keys, [(1, IMP, 0), (2, IMP, 1), (2, CITES, 0)])
    return keys


@pytest.mark.parametrize(
    ("at", "direction", "relations", "expected"),
    [
        pytest.param([1], LinkDirection.out, ALL, [(1, "implements", 0)], id="out"),
        pytest.param([1], LinkDirection.in_, ALL, [(2, "implements", 1)], id="in"),
        pytest.param([1], LinkDirection.both, ALL, [(1, "implements", 0), (2, "implements", 1)], id="both"),
        pytest.param(
            [0, 1, 2],
            LinkDirection.both,
            ALL,
            [(1, "implements", 0), (2, "cites", 0), (2, "implements", 1)],
            id="batch-each-link-once",
        ),
        pytest.param([2], LinkDirection.out, (CITES,), [(2, "cites", 0)], id="relation-filter"),
        pytest.param([2], LinkDirection.out, (), [], id="no-relation"),
        pytest.param([], LinkDirection.both, ALL, [], id="no-key"),
    ],
)
async def test_neighbours_by_direction_and_relation(
    store: GraphStore,
    line: list[str],
    at: list[int],
    direction: LinkDirection,
    relations: tuple[Relation, ...],
    expected: list[tuple[int, str, int]],
) -> None:
    found = await store.neighbours([line[i] for i in at], direction=direction, relations=relations, view=View())
    assert triples(found) == sorted((line[s], r, line[t]) for s, r, t in expected)


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        pytest.param(None, [(1, "implements", 0), (2, "cites", 0)], id="today"),
        pytest.param("2021-06-30", [(1, "implements", 0)], id="before-the-citing-document"),
        pytest.param("2020-12-31", [], id="before-both-sources"),
    ],
)
async def test_neighbours_as_of_a_day(
    store: GraphStore, line: list[str], as_of: str | None, expected: list[tuple[int, str, int]]
) -> None:
    view = View(as_of=dt.date.fromisoformat(as_of) if as_of else None)
    found = await store.neighbours([line[0]], direction=LinkDirection.in_, relations=ALL, view=view)
    assert triples(found) == sorted((line[s], r, line[t]) for s, r, t in expected)


async def test_rejected_links_never_count(store: GraphStore, line: list[str]) -> None:
    await store.upsert_links([LinkDraft(source=line[0], relation=CITES, target=line[2], review=Review.rejected)])
    stored = await store.links(line[0], LinkDirection.out, [CITES])
    if stored and stored[0].review != Review.rejected:
        pytest.skip("this store does not keep review states yet")
    for scope in ReviewScope:
        found = await store.neighbours([line[0]], direction=LinkDirection.out, relations=ALL, view=View(review=scope))
        assert found == []


async def test_chains_in_the_seed(seeded: GraphStore) -> None:
    direct = await find_paths(seeded, PLAN, RESOLUTION, PathQuery(k=1))
    assert [[n.key for n in p.nodes] for p in direct.paths] == [[PLAN, RESOLUTION]] and not direct.partial
    longer = await find_paths(seeded, EARLIER_PLAN, RESOLUTION, PathQuery(k=3, max_length=4))
    first = longer.paths[0]
    assert [n.key for n in first.nodes] == [EARLIER_PLAN, PLAN, RESOLUTION] and first.length == 2
    dates = {n.key: n.date for n in first.nodes}
    assert [(e.relation, e.review) for e in first.edges] == [(CITES, Review.accepted)] * 2
    assert [e.date for e in first.edges] == [dates[e.source] for e in first.edges] == [dates[PLAN]] * 2
    lengths = [p.length for p in longer.paths]
    assert len(lengths) == 3 and lengths == sorted(lengths)
    assert all(len({n.key for n in p.nodes}) == len(p.nodes) for p in longer.paths)  # simple chains


async def test_direction_and_relations_narrow_the_chains(seeded: GraphStore) -> None:
    along = await find_paths(seeded, PLAN, RESOLUTION, PathQuery(directed=True, k=20, max_length=3))
    against = await find_paths(seeded, RESOLUTION, PLAN, PathQuery(directed=True, k=20, max_length=3))
    assert along.paths and against.paths == []
    assert all(e.source == n.key for p in along.paths for e, n in zip(p.edges, p.nodes, strict=False))
    carried = PathQuery(relations=IMPLEMENTATION_RELATIONS, k=20, max_length=3)
    implements = await find_paths(seeded, PLAN, RESOLUTION, carried)
    assert implements.paths and all(e.relation in IMPLEMENTATION_RELATIONS for p in implements.paths for e in p.edges)
    assert [n.key for n in implements.paths[0].nodes] == [PLAN, CONCLUSION, RESOLUTION]


async def test_the_k_shortest_meet_in_the_middle(store: GraphStore) -> None:
    k = await documents(store, *["2022-03-01"] * 9)
    hops = [(1, 0), (5, 0), (6, 0), (7, 0), (2, 1), (3, 2), (8, 5), (3, 8)]
    await linked(store, k, [(s, IMP, t) for s, t in hops])
    found = await find_paths(store, k[3], k[0], PathQuery(max_length=4, k=5))
    assert [[n.key for n in p.nodes] for p in found.paths] == sorted(
        [[k[3], k[2], k[1], k[0]], [k[3], k[8], k[5], k[0]]]
    )
    one = await find_paths(store, k[3], k[0], PathQuery(max_length=4, k=1))
    assert [n.key for n in one.paths[0].nodes] == [n.key for n in found.paths[0].nodes]
    assert (await find_paths(store, k[3], k[0], PathQuery(max_length=2))).paths == []


async def test_the_cap_gives_a_partial_answer(store: GraphStore, line: list[str]) -> None:
    capped = await find_paths(store, line[2], line[0], PathQuery(k=5, max_expanded=1))
    assert capped.partial and capped.expanded <= 1
    whole = await find_paths(store, line[2], line[0], PathQuery(k=5))
    assert not whole.partial and [p.length for p in whole.paths] == [1, 2]


async def test_unknown_ends_are_not_found(seeded: GraphStore) -> None:
    for source, target in ((PLAN, "nope"), ("nope", PLAN)):
        with pytest.raises(NotFoundError, match="nope"):
            await find_paths(seeded, source, target, PathQuery())
    assert (await find_paths(seeded, PLAN, PLAN, PathQuery())).paths == []
