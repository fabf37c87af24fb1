"""The in-memory adjacency index: its walk in id space, and answers equal to the embedded store's SQL walk."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import itertools
import json
import random
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from pydantic import BaseModel

from graph.adjacency import GraphIndex, KeyTable, Rows, issued_day, walk
from graph.audit import SummarySort
from graph.audit_index import entered_levels, pair_walk, review_mask
from graph.audit_reach import Reaches
from graph.errors import InvalidInputError, NotFoundError
from graph.identity import DocumentDraft
from graph.lineage import LineageJson
from graph.models import (
    LINEAGE_RELATIONS,
    EffectStatus,
    Level,
    LineageDirection,
    LinkDraft,
    Organization,
    Relation,
    Review,
    ReviewScope,
    View,
)
from graph.obligations import ObligationDraft
from graph.stores.sqlite import SqliteStore
from graph.stores.sqlite import adjacency as sqlite_adjacency
from graph.stores.sqlite.traversal import WALKS_IN_THREADS
from graph.usecases.audit import AuditOptions, audit_summary

KEYS = ("a", "b", "c", "d", "e", "f")


def tiny_index(links: list[tuple[str, Relation, str, Review]], issued: dict[str, dt.date] | None = None) -> GraphIndex:
    """An index over KEYS (ids in key order) with the links given."""
    ids = {key: i for i, key in enumerate(KEYS)}
    source = np.array([ids[s] for s, _, _, _ in links], dtype=np.int32)
    target = np.array([ids[t] for _, _, t, _ in links], dtype=np.int32)
    relation = np.array([list(Relation).index(r) for _, r, _, _ in links], dtype=np.uint8)
    review = np.array([list(Review).index(v) for _, _, _, v in links], dtype=np.uint8)
    days = issued or {}
    return GraphIndex(
        version=1,
        keys=KeyTable.from_sorted(KEYS),
        level=np.zeros(len(KEYS), dtype=np.uint8),
        jurisdiction=np.full(len(KEYS), -1, dtype=np.int32),
        jurisdictions=(),
        year=np.zeros(len(KEYS), dtype=np.int32),
        issued=np.array([issued_day(days.get(k), None) for k in KEYS], dtype=np.int32),
        out=Rows.grouped(len(KEYS), source, target, relation, review),
        into=Rows.grouped(len(KEYS), target, source, relation, review),
    )


IMPL, CITES = Relation.implements, Relation.cites
OK, PROPOSED, REJECTED = Review.accepted, Review.proposed, Review.rejected
DIAMOND = [("b", IMPL, "a", OK), ("c", IMPL, "a", OK), ("d", IMPL, "c", OK), ("d", IMPL, "b", OK), ("e", IMPL, "d", OK)]


@pytest.mark.unit
@pytest.mark.parametrize(
    ("links", "view", "relations", "max_depth", "expected"),
    [
        # (key, depth, parent): d is reached from b and c at depth 2 and takes the smaller key, b.
        (DIAMOND, View(), [IMPL], 5, [("a", 0, None), ("b", 1, "a"), ("c", 1, "a"), ("d", 2, "b"), ("e", 3, "d")]),
        (DIAMOND, View(), [IMPL], 1, [("a", 0, None), ("b", 1, "a"), ("c", 1, "a")]),
        (DIAMOND, View(), [CITES], 5, [("a", 0, None)]),
        (
            [("b", IMPL, "a", PROPOSED), ("c", IMPL, "a", OK)],
            View(review=ReviewScope.accepted),
            [IMPL],
            5,
            [("a", 0, None), ("c", 1, "a")],
        ),
        (
            [("b", IMPL, "a", PROPOSED), ("c", IMPL, "a", REJECTED)],
            View(),
            [IMPL],
            5,
            [("a", 0, None), ("b", 1, "a")],
        ),
        # A cycle is walked once.
        ([("b", CITES, "a", OK), ("a", CITES, "b", OK)], View(), [CITES], 5, [("a", 0, None), ("b", 1, "a")]),
    ],
)
def test_walk_down(
    links: list[tuple[str, Relation, str, Review]],
    view: View,
    relations: list[Relation],
    max_depth: int,
    expected: list[tuple[str, int, str | None]],
) -> None:
    index = tiny_index(links)
    reached = walk(index, 0, down=True, relations=relations, max_depth=max_depth, view=view)
    got = [
        (index.keys.key(i), d, index.keys.key(p) if p >= 0 else None)
        for i, d, p in zip(reached.ids.tolist(), reached.depths.tolist(), reached.parents.tolist(), strict=True)
    ]
    assert sorted(got) == expected


@pytest.mark.unit
def test_walk_as_of_hides_documents_issued_later() -> None:
    index = tiny_index(DIAMOND, {"b": dt.date(2020, 1, 1), "c": dt.date(2024, 1, 1), "d": dt.date(2021, 1, 1)})
    view = View(as_of=dt.date(2022, 6, 1))
    reached = walk(index, 0, down=True, relations=[IMPL], max_depth=5, view=view)
    assert sorted(index.keys.keys(reached.ids)) == ["a", "b", "d", "e"]


@pytest.mark.unit
@pytest.mark.parametrize("key", [*KEYS, "", "0", "bb", "z"])
def test_key_table_finds_exactly_its_keys(key: str) -> None:
    table = KeyTable.from_sorted(KEYS)
    found = table.find(key)
    assert (found is not None) == (key in KEYS)
    assert found is None or table.key(found) == key


# Parity with the SQL walk on a random graph.

PROVINCES = ("p1", "p2", "p3")


async def random_graph(store: SqliteStore, seed: int, documents: int = 160, links: int = 420) -> list[str]:
    rng = random.Random(seed)
    await store.upsert_organizations(
        [Organization(key=p, name=f"Tỉnh {p}", kind="province", level=Level.province) for p in PROVINCES]
        + [
            Organization(key=f"{p}-x{i}", name=f"Xã {p} {i}", kind="commune", level=Level.commune, parent=p)
            for p in PROVINCES
            for i in range(2)
        ]
    )
    drafts = []
    start = dt.date(2010, 1, 1)
    for i in range(documents):
        level = rng.choice([Level.central, Level.province, Level.commune, None])
        jurisdiction = (
            rng.choice(PROVINCES) if level == Level.province else rng.choice(["p1-x0", "p2-x1"]) if level else None
        )
        date = start + dt.timedelta(days=10 * i) if rng.random() < 0.8 else None
        drafts.append(
            DocumentDraft(
                symbol=f"{i + 1}-KH/TU" if level and level.is_local else f"{i + 1}-NQ/TW",
                level=level,
                jurisdiction=jurisdiction,
                date=date,
                year=date.year if date else rng.choice([None, 2015]),
            )
        )
    stored = await store.upsert_documents(drafts)
    keys = [d.key for d in stored]
    dated = {d.key: d.date for d in stored}
    pairs: set[tuple[str, Relation, str]] = set()
    while len(pairs) < links:
        a, b = rng.sample(range(documents), 2)
        later, earlier = keys[max(a, b)], keys[min(a, b)]
        relation = rng.choice([*LINEAGE_RELATIONS, Relation.cites, Relation.amends])
        if relation == Relation.cites and rng.random() < 0.3:
            later, earlier = earlier, later  # citations may point either way, and make cycles
        pairs.add((later, relation, earlier))
    await store.upsert_links(
        [
            LinkDraft(
                source=s,
                relation=r,
                target=t,
                force=bool(dated[s] and dated[t] and dated[s] < dated[t]),
                review=rng.choice([Review.accepted, Review.accepted, Review.proposed, Review.rejected]),
            )
            for s, r, t in sorted(pairs)
        ]
    )
    return keys


@pytest.fixture
async def graph_store(tmp_path: Path) -> AsyncIterator[tuple[SqliteStore, list[str]]]:
    store = SqliteStore(tmp_path / "g.db", adjacency_min_documents=0)
    await store.open()
    await store.migrate()
    keys = await random_graph(store, seed=7)
    yield store, keys
    await store.close()


async def answer(call: Callable[[], Awaitable[BaseModel]]) -> Any:
    """A call's answer as plain data, or the name of the error it raised."""
    try:
        return (await call()).model_dump(mode="json")
    except (NotFoundError, InvalidInputError) as error:
        return type(error).__name__


async def both_ways(store: SqliteStore, cases: list[Any], calls: list[Callable[[], Awaitable[BaseModel]]]) -> list[Any]:
    """Each call's answer from SQL (index off), checked equal to its answer from the index (built once)."""
    store.adjacency.min_documents = None
    by_sql = [await answer(call) for call in calls]
    store.adjacency.min_documents = 0
    assert store.adjacency.refresh() is not None
    for case, expected, call in zip(cases, by_sql, calls, strict=True):
        assert await answer(call) == expected, case
    return by_sql


VIEWS = [View(), View(review=ReviewScope.accepted), View(as_of=dt.date(2012, 6, 1))]


LINEAGE_CASES = [
    (relations, max_depth, offset, limit)
    for relations in (LINEAGE_RELATIONS, tuple(Relation), (Relation.implements,))
    for max_depth, offset, limit in ((25, 0, None), (3, 0, 7), (25, 7, 7), (2, 0, 100))
]
VIEWED_LINEAGE_CASES = [(*case, view) for case in LINEAGE_CASES[:4] for view in VIEWS]
IMPLEMENTER_CASES = [
    (level, jurisdiction, offset, limit)
    for level in (None, Level.province, Level.commune)
    for jurisdiction in (None, "p1", "p2-x1")
    for offset, limit in ((0, None), (2, 3))
]


@pytest.mark.contract
@pytest.mark.parametrize("direction", list(LineageDirection))
async def test_indexed_lineage_equals_sql(
    graph_store: tuple[SqliteStore, list[str]], direction: LineageDirection
) -> None:
    store, keys = graph_store
    cases = list(itertools.product([(*c, View()) for c in LINEAGE_CASES] + VIEWED_LINEAGE_CASES, keys[::32]))
    calls = [
        partial(store.lineage, root, direction, relations, max_depth, offset=offset, limit=limit, view=view)
        for (relations, max_depth, offset, limit, view), root in cases
    ]
    answers = await both_ways(store, cases, calls)
    assert sum(isinstance(a, dict) and a["total"] > 1 for a in answers) > len(answers) // 3


def lineage_data(page: LineageJson) -> dict[str, Any]:
    """A lineage page of documents in JSON as plain data, its documents parsed."""
    return dataclasses.asdict(page) | {"nodes": [json.loads(node) for node in page.nodes]}


@pytest.mark.contract
@pytest.mark.parametrize("direction", list(LineageDirection))
async def test_lineage_json_is_the_lineage_serialized(
    graph_store: tuple[SqliteStore, list[str]], direction: LineageDirection
) -> None:
    """From the index (documents written as JSON by SQL) and from the SQL walk, lineage_json answers the page
    lineage answers with each document serialized."""
    store, keys = graph_store
    store.lineage_pages.budget = 0  # each page walked, by the index and then by SQL, not kept from the first
    cases = list(itertools.product([(*c, View()) for c in LINEAGE_CASES] + VIEWED_LINEAGE_CASES, keys[::16]))
    statuses = set()
    for min_documents in (0, None):
        store.adjacency.min_documents = min_documents
        for (relations, max_depth, offset, limit, view), root in cases:
            ask = partial(store.lineage, root, direction, relations, max_depth, offset=offset, limit=limit, view=view)
            as_json = partial(
                store.lineage_json, root, direction, relations, max_depth, offset=offset, limit=limit, view=view
            )
            try:
                expected = await ask()
            except NotFoundError:
                with pytest.raises(NotFoundError):
                    await as_json()
                continue
            assert lineage_data(await as_json()) == lineage_data(LineageJson.of(expected)), (root, offset, limit)
            statuses |= {node.status for node in expected.nodes}
    assert {EffectStatus.amended, EffectStatus.in_force, EffectStatus.unknown} <= statuses


@pytest.mark.contract
@pytest.mark.parametrize("direction", list(LineageDirection))
async def test_indexed_outline_equals_sql(
    graph_store: tuple[SqliteStore, list[str]], direction: LineageDirection
) -> None:
    store, keys = graph_store
    shapes = [(relations, max_depth) for relations, max_depth, _, _ in LINEAGE_CASES[::4]] + [(LINEAGE_RELATIONS, 2)]
    cases = list(itertools.product(shapes, VIEWS, keys[::16]))
    calls = [
        partial(store.lineage_outline, root, direction, relations, max_depth, view=view, max_documents=cap)
        for (relations, max_depth), view, root in cases
        for cap in (5, 1_000)
    ]
    answers = await both_ways(store, [(case, cap) for case in cases for cap in (5, 1_000)], calls)
    assert sum(isinstance(a, dict) and len(a["links"]) > 1 for a in answers) > len(answers) // 8
    assert "InvalidInputError" in answers


@pytest.mark.contract
async def test_indexed_implementers_equal_sql(graph_store: tuple[SqliteStore, list[str]]) -> None:
    store, keys = graph_store
    cases = list(itertools.product(IMPLEMENTER_CASES, VIEWS, keys[::32]))
    calls = [
        partial(
            store.implementers,
            root,
            level=level,
            jurisdiction=jurisdiction,
            max_depth=25,
            offset=offset,
            limit=limit,
            view=view,
        )
        for (level, jurisdiction, offset, limit), view, root in cases
    ]
    await both_ways(store, cases, calls)


@pytest.mark.contract
async def test_a_write_makes_the_index_stale_until_rebuilt(graph_store: tuple[SqliteStore, list[str]]) -> None:
    store, keys = graph_store
    store.adjacency.min_interval = 3600  # no background rebuild during the test
    assert store.adjacency.refresh() is not None
    conn = store.db.connection()
    assert store.adjacency.current(conn) is not None
    await store.upsert_links([LinkDraft(source=keys[-1], relation=Relation.implements, target=keys[0])])
    assert store.adjacency.current(conn) is None
    for limit in (None, 100):  # a whole lineage and a page: answered by SQL meanwhile, with the new link
        answer = await store.lineage(keys[0], LineageDirection.down, [Relation.implements], 1, limit=limit)
        assert keys[-1] in [n.key for n in answer.nodes]
    assert store.adjacency.refresh() is not None
    assert store.adjacency.current(conn) is not None


@pytest.mark.contract
async def test_warm_builds_the_index_before_the_first_walk(graph_store: tuple[SqliteStore, list[str]]) -> None:
    store, _ = graph_store
    await store.warm()
    assert store.adjacency.current(store.db.connection()) is not None


@pytest.mark.contract
async def test_a_build_gives_the_heap_it_freed_back(
    graph_store: tuple[SqliteStore, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, _ = graph_store
    trims: list[int] = []
    monkeypatch.setattr(sqlite_adjacency, "_MALLOC_TRIM", trims.append)
    assert store.adjacency.refresh() is not None
    assert trims == [0]


@pytest.mark.contract
async def test_walks_in_worker_threads_are_bounded(
    graph_store: tuple[SqliteStore, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whole lineages asked at once (they go to worker threads) run WALKS_IN_THREADS at a time, and all answer."""
    store, keys = graph_store
    running, most = 0, 0
    lock = threading.Lock()
    # Each walk waits for WALKS_IN_THREADS of them to run together (20 asked: five such groups), so the bound
    # is reached whatever the machine's load; without one, more would run at once.
    together = threading.Barrier(WALKS_IN_THREADS, timeout=10)
    walked = store._lineage

    def counted(*args: Any) -> Any:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        together.wait()
        try:
            return walked(*args)
        finally:
            with lock:
                running -= 1

    monkeypatch.setattr(store, "_lineage", counted)
    asked = [store.lineage(key, LineageDirection.down, LINEAGE_RELATIONS, 3, limit=None) for key in keys[:20]]
    answers = await asyncio.gather(*asked)
    assert [a.root for a in answers] == keys[:20]
    assert most == WALKS_IN_THREADS


# The audit's walk: every root at once in the index, equal to the store's SQL walk.


def reach_data(reaches: Reaches) -> Any:
    """A walk's answer as plain data: the roots' documents, then per root its implementers and proposed keys."""
    return {
        "documents": {key: doc.model_dump(mode="json") for key, doc in reaches.documents.items()},
        "reached": {
            key: (
                [(i.key, i.symbol, i.date, i.year, i.issuer, i.jurisdiction, i.level, i.via) for i in r.implementers],
                sorted(r.proposed),
            )
            for key, r in reaches.reached.items()
        },
    }


async def sql_then_index(store: SqliteStore, calls: list[Callable[[], Awaitable[Any]]]) -> list[tuple[Any, Any]]:
    """Each call's answer from SQL (index off), then from the index (built once)."""
    store.adjacency.min_documents = None
    by_sql = [await call() for call in calls]
    store.adjacency.min_documents = 0
    assert store.adjacency.refresh() is not None
    return list(zip(by_sql, [await call() for call in calls], strict=True))


@pytest.mark.contract
async def test_indexed_audit_reach_equals_sql(graph_store: tuple[SqliteStore, list[str]]) -> None:
    store, keys = graph_store
    cases = [
        (roots, level, scope) for roots in (keys[:40], [keys[3], "nowhere"]) for level in Level for scope in ReviewScope
    ]

    async def reach(roots: list[str], level: Level, scope: ReviewScope) -> Any:
        return reach_data(await store.implementation_reach(roots, level, scope))

    answers = await sql_then_index(store, [partial(reach, *case) for case in cases])
    for case, (by_sql, by_index) in zip(cases, answers, strict=True):
        assert by_index == by_sql, case
    reached = [walk for by_sql, _ in answers for walk in by_sql["reached"].values()]
    assert sum(len(found) for found, _ in reached) > 50  # the walks go somewhere, some through proposed links
    assert any(proposed for _, proposed in reached)


@pytest.mark.contract
async def test_indexed_audit_summary_equals_sql(graph_store: tuple[SqliteStore, list[str]]) -> None:
    store, keys = graph_store
    await store.upsert_organizations(  # the units: administrative units, each its own jurisdiction
        [
            Organization(key=p, name=f"Tỉnh {p}", kind="province", level=Level.province, jurisdiction=p)
            for p in PROVINCES
        ]
        + [
            Organization(key=c, name=f"Xã {c}", kind="commune", level=Level.commune, parent=c[:2], jurisdiction=c)
            for c in ("p1-x0", "p2-x1")
        ]
    )
    documents = [await store.get_document(key) for key in keys]
    central = [(d.key, d.date) for d in documents if d.level == Level.central and d.date][::3]
    await store.upsert_obligations(
        [
            ObligationDraft(document=key, level=level, deadline=day + dt.timedelta(days=400))
            for key, day in central
            for level in (Level.province, Level.commune)
        ]
    )
    cases = [
        (level, as_of, AuditOptions(review=scope, compare_to=dt.date(2012, 1, 1)))
        for level in (Level.province, Level.commune)
        for as_of in (dt.date(2013, 6, 1), dt.date(2016, 1, 1))
        for scope in ReviewScope
    ]

    async def summary(level: Level, as_of: dt.date, options: AuditOptions) -> Any:
        report = await audit_summary(store, level=level, as_of=as_of, sort=SummarySort.deficit, options=options)
        return report.model_dump(mode="json")

    answers = await sql_then_index(store, [partial(summary, *case) for case in cases])
    for case, (by_sql, by_index) in zip(cases, answers, strict=True):
        assert by_index == by_sql, case
    assert any(a["summary"]["implemented_on_time"] + a["summary"]["implemented_late"] for a, _ in answers)


@pytest.mark.unit
@pytest.mark.parametrize("scope", list(ReviewScope))
@pytest.mark.parametrize("links", [DIAMOND, [*DIAMOND, ("e", IMPL, "b", PROPOSED), ("f", IMPL, "e", REJECTED)]])
def test_pair_walk_walks_each_root_apart(links: list[tuple[str, Relation, str, Review]], scope: ReviewScope) -> None:
    index = tiny_index(links)
    roots = np.arange(4, dtype=np.int32)  # a, b, c, d: each root's walk also runs into the others
    reviews = review_mask([r for r in Review if scope.counts(r)])
    everywhere = np.ones(index.documents, dtype=bool)
    pairs = pair_walk(index, roots, entered_levels([]), reviews, everywhere)
    got = sorted(zip(*(a.tolist() for a in (pairs.roots, pairs.ids, pairs.depths, pairs.parents)), strict=True))
    expected = []
    for at, root in enumerate(roots.tolist()):
        one = walk(index, root, down=True, relations=[IMPL], max_depth=25, view=View(review=scope))
        expected += [
            (at, *row) for row in zip(one.ids.tolist(), one.depths.tolist(), one.parents.tolist(), strict=True)
        ]
    assert got == sorted(expected)
