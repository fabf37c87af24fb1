"""The ``status=`` and ``in_force=`` filters of a lineage over HTTP, on both stores.

A central resolution is implemented by a provincial plan, which a district plan implements in turn; a newer
plan replaces the first in 2016 and implements the resolution too. Filters leave documents out, never the walk
through them: the district plan stays, two links below the resolution, when its plan is replaced.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.main import create_app
from graph.ports import GraphStore
from graph.seeds import DEFAULT_SEEDS_DIR, read_seeds
from graph.stores.sqlite import SqliteStore
from tests.conftest import STORE_KINDS, WRITE_HEADERS, app_settings, open_store

pytestmark = pytest.mark.api

DOCUMENTS = {
    "root": {"symbol": "901-NQ/TW", "date": "2010-01-05", "issuer": "bch-tw", "title": "Nghị quyết gốc"},
    "old": {
        "symbol": "901-KH/TU",
        "date": "2011-03-01",
        "issuer": "thanh-hoa.tinh-uy",
        "level": "province",
        "title": "Kế hoạch thực hiện, bị thay thế",
    },
    "district": {
        "symbol": "901-KH/HU",
        "date": "2012-06-01",
        "issuer": "thanh-hoa.tinh-uy",
        "level": "district",
        "title": "Kế hoạch của huyện thực hiện kế hoạch của tỉnh",
    },
    "new": {
        "symbol": "902-KH/TU",
        "date": "2016-05-01",
        "issuer": "thanh-hoa.tinh-uy",
        "level": "province",
        "title": "Kế hoạch thay thế",
    },
}
LINKS = [("old", "implements", "root"), ("district", "implements", "old"), ("new", "implements", "root")]
REPLACEMENT = ("new", "replaces", "old")
BEFORE = "2015-01-01"

Graph = tuple[httpx.AsyncClient, dict[str, str]]


async def _issuers_only(kind: str, sqlite_path: Path, tmp_path: Path) -> None:
    """The seed's organizations (the issuers) without its documents, which the app would take a while to load."""
    store: GraphStore
    if kind == "sqlite":
        store = SqliteStore(sqlite_path)
        await store.open()
        await store.migrate()
    else:
        store = await open_store("neo4j", tmp_path)
    try:
        await store.upsert_organizations(read_seeds(DEFAULT_SEEDS_DIR, units=False).organizations)
    finally:
        await store.close()


@pytest.fixture(params=STORE_KINDS, scope="module")
async def graph(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Graph]:
    """The API on a fresh store of each kind holding the four documents, and their keys by name."""
    tmp_path = tmp_path_factory.mktemp("lineage-status")
    settings = app_settings(request.param, tmp_path, load_seeds=False)
    await _issuers_only(request.param, settings.sqlite_path, tmp_path)
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://lexgraph.test") as client:
            keys = {}
            for name, body in DOCUMENTS.items():
                response = await client.post("/documents", json=body, headers=WRITE_HEADERS)
                assert response.status_code == 201, response.text
                keys[name] = response.json()["key"]
            for source, relation, target in [*LINKS, REPLACEMENT]:
                link = {"source": keys[source], "relation": relation, "target": keys[target]}
                response = await client.post("/links", json=link, headers=WRITE_HEADERS)
                assert response.status_code == 201, response.text
            yield client, keys


async def _lineage(client: httpx.AsyncClient, key: str, path: str = "", **params: str) -> dict[str, Any]:
    response = await client.get(f"{path}/documents/{key}/lineage", params=params)
    assert response.status_code == 200, response.text
    return dict(response.json())


def _named(keys: dict[str, str], answer: dict[str, Any]) -> tuple[dict[str, tuple[int, str]], set[tuple[str, ...]]]:
    """The answer's nodes as {name: (depth, status)} and its edges as (source, relation, target) names."""
    names = {key: name for name, key in keys.items()}
    nodes: dict[str, tuple[int, str]] = {names[n["key"]]: (n["depth"], n["status"]) for n in answer["nodes"]}
    edges: set[tuple[str, ...]] = {(names[e["source"]], e["relation"], names[e["target"]]) for e in answer["edges"]}
    return nodes, edges


ALL_TODAY = {"root": (0, "in_force"), "old": (1, "replaced"), "new": (1, "in_force"), "district": (2, "in_force")}
BEFORE_REPLACEMENT = {"root": (0, "in_force"), "old": (1, "in_force"), "district": (2, "in_force")}


@pytest.mark.parametrize(
    ("start", "params", "nodes", "edges"),
    [
        ("root", {}, ALL_TODAY, set(LINKS)),
        ("root", {"status": "replaced"}, {"old": (1, "replaced")}, set()),
        ("root", {"in_force": "false"}, {"old": (1, "replaced")}, set()),
        (
            "root",
            {"in_force": "true"},
            {"root": (0, "in_force"), "new": (1, "in_force"), "district": (2, "in_force")},
            {("new", "implements", "root")},
        ),
        ("root", {"in_force": "true", "as_of": BEFORE}, BEFORE_REPLACEMENT, set(LINKS[:2])),
        ("root", {"as_of": BEFORE}, BEFORE_REPLACEMENT, set(LINKS[:2])),
        ("root", {"status": "replaced", "as_of": BEFORE}, {}, set()),
        (
            "district",
            {"direction": "up", "in_force": "true"},
            {"district": (0, "in_force"), "root": (2, "in_force")},
            set(),
        ),
    ],
)
async def test_a_filter_leaves_out_documents_not_the_walk(
    graph: Graph,
    start: str,
    params: dict[str, str],
    nodes: dict[str, tuple[int, str]],
    edges: set[tuple[str, ...]],
) -> None:
    client, keys = graph
    answer = await _lineage(client, keys[start], **params)
    assert _named(keys, answer) == (nodes, edges)
    assert [(n["depth"], n["key"]) for n in answer["nodes"]] == sorted((n["depth"], n["key"]) for n in answer["nodes"])
    assert answer["total"] == len(nodes) and answer["root"] == keys[start]
    assert sum(answer["depth_counts"].values()) == sum(answer["level_counts"].values()) == len(nodes)


@pytest.mark.parametrize("path", ["", "/v1"])
async def test_filtered_pages_add_up_to_the_filtered_lineage(graph: Graph, path: str) -> None:
    client, keys = graph
    whole = await _lineage(client, keys["root"], path, in_force="true")
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    params = {"in_force": "true", "limit": "1"}
    while True:
        page = await _lineage(client, keys["root"], path, **params)
        assert page["total"] == whole["total"] == 3 and page["depth_counts"] == whole["depth_counts"]
        assert len(page["nodes"]) == 1 and page["truncated"] == (page["next"] is not None)
        nodes += page["nodes"]
        edges += page["edges"]
        if page["next"] is None:
            break
        params["next"] = page["next"]
    assert nodes == whole["nodes"]
    assert sorted(e["id"] for e in edges) == sorted(e["id"] for e in whole["edges"])
