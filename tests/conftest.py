"""Fixtures: every contract test runs against both stores, ids ``sqlite`` and ``neo4j``.

The neo4j store needs NEO4J_URI (``scripts/neo4j start`` prints it). Without it the neo4j tests
skip with that reason, except under CI (CI=true), where a missing Neo4j is a failure.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.main import create_app
from app.settings import Settings, StoreKind
from graph.ports import GraphStore
from graph.seeds import load_seeds
from graph.stores.neo4j import Neo4jStore
from graph.stores.sqlite import SqliteStore

# Every test app would freeze the test process's whole heap (app.heap): a collection and a growing
# permanent generation per app. The test of the freeze asks for it.
os.environ.setdefault("LEXGRAPH_FREEZE_STARTUP_HEAP", "false")

STORE_KINDS = [pytest.param("sqlite", id="sqlite"), pytest.param("neo4j", id="neo4j", marks=pytest.mark.neo4j)]
WRITE_KEY = "test-write-key"
# A loaded CI machine runs Neo4j beside another test worker; the time limits' own tests set theirs.
SLOW_QUERY_SECONDS = 30.0


# Under pytest-xdist every test whose id names Neo4j runs on one worker, in turn: the tests share its one
# database and wipe it. (xdist's own loadgroup cannot be used: it renames items, which pytest 9.2 ignores.)
NEO4J_GROUP = "neo4j"


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Neo4j's tests as one unit of work for one worker, each other test a unit of its own."""
    from xdist.scheduler import LoadScopeScheduling

    class Neo4jApart(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return NEO4J_GROUP if NEO4J_GROUP in nodeid else nodeid

    return Neo4jApart(config, log)


def _check_neo4j_group() -> None:
    current = os.environ.get("PYTEST_CURRENT_TEST", "")
    if os.environ.get("PYTEST_XDIST_WORKER") and NEO4J_GROUP not in current:
        pytest.fail(f"{current}: touches Neo4j but its id does not say neo4j, so another worker may run beside it")


def neo4j_settings() -> dict[str, str]:
    _check_neo4j_group()
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        if os.environ.get("CI"):
            pytest.fail("CI must run the neo4j tests: NEO4J_URI is not set (start it with scripts/neo4j start)")
        pytest.skip("NEO4J_URI is not set; start Neo4j with scripts/neo4j start and export the URI it prints")
    return {
        "uri": uri,
        "user": os.environ.get("NEO4J_USER", "neo4j"),
        "password": os.environ.get("NEO4J_PASSWORD", "password"),
        "database": os.environ.get("NEO4J_DATABASE", "neo4j"),
    }


def neo4j_store() -> Neo4jStore:
    """A Neo4j store on the tests' database, not yet opened: each is a process's own driver."""
    cfg = neo4j_settings()
    return Neo4jStore(cfg["uri"], cfg["user"], cfg["password"], cfg["database"], query_timeout=SLOW_QUERY_SECONDS)


async def _wipe_neo4j(store: Neo4jStore) -> None:
    # Tests own the whole database and keep it small: start each from nothing (migrations re-run idempotently).
    await store.db.write("MATCH (n) DETACH DELETE n")


async def plan_operators(store: Neo4jStore, query: str, **params: Any) -> list[str]:
    """The operators of the plan Neo4j makes for ``query``, depth first, without their runtime suffix."""
    result = await store.db.driver.execute_query("EXPLAIN " + query, params, database_=store.database)

    def operators(plan: dict[str, Any]) -> list[str]:
        return [
            plan["operatorType"].split("@")[0],
            *(op for child in plan.get("children", []) for op in operators(child)),
        ]

    return operators(result.summary.plan)


async def open_store(kind: str, tmp_path: Path) -> GraphStore:
    store: GraphStore
    if kind == "sqlite":
        store = SqliteStore(tmp_path / "lexgraph.db")
        await store.open()
    else:
        neo = neo4j_store()
        try:
            await neo.open()
            await _wipe_neo4j(neo)
        except BaseException:
            await neo.close()
            raise
        store = neo
    await store.migrate()
    return store


@pytest.fixture
async def neo4j(tmp_path: Path) -> AsyncIterator[Neo4jStore]:
    """The Neo4j store alone, for what only Neo4j does (query plans, its bulk path)."""
    store = await open_store("neo4j", tmp_path)
    assert isinstance(store, Neo4jStore)
    yield store
    await store.close()


@pytest.fixture(params=STORE_KINDS)
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[GraphStore]:
    """An empty, migrated store."""
    opened = await open_store(request.param, tmp_path)
    yield opened
    await opened.close()


@pytest.fixture
async def seeded(store: GraphStore) -> GraphStore:
    """A store holding the seed organizations, documents and links."""
    await load_seeds(store, units=False)
    return store


def app_settings(kind: str, tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "store": StoreKind(kind),
        "sqlite_path": tmp_path / "api.db",
        "api_keys": WRITE_KEY,
        "load_units": False,  # 12,000 districts and communes: loaded by the tests that need them
        "webhook_dispatch": False,  # a dispatcher polls the store: only the webhook tests, which wait for it, run one
        "request_timeout": SLOW_QUERY_SECONDS,  # the deadline's own tests (test_faults) set theirs
    }
    if kind == "neo4j":
        cfg = neo4j_settings()
        values |= {
            "neo4j_uri": cfg["uri"],
            "neo4j_user": cfg["user"],
            "neo4j_password": cfg["password"],
            "neo4j_database": cfg["database"],
            "neo4j_query_timeout": SLOW_QUERY_SECONDS,
        }
    return Settings(**(values | overrides))


@pytest.fixture(params=STORE_KINDS)
async def client(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """The API on a fresh store of each kind, seeded at startup as `lexgraph serve` does."""
    if request.param == "neo4j":
        await (await open_store("neo4j", tmp_path)).close()
    app = create_app(app_settings(request.param, tmp_path))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://lexgraph.test") as test_client:
            yield test_client


WRITE_HEADERS = {"Authorization": f"Bearer {WRITE_KEY}"}


@pytest.fixture(params=[None, 0], ids=["sql", "index"])
async def two_workers(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[tuple[SqliteStore, SqliteStore]]:
    """Two embedded stores on one seeded file, as two API workers hold it; walks by SQL or in the in-memory index."""
    first, second = (SqliteStore(tmp_path / "shared.db", adjacency_min_documents=request.param) for _ in range(2))
    try:
        for store in (first, second):
            await store.open()
            await store.migrate()
        await load_seeds(first, units=False)
        yield first, second
    finally:
        for store in (first, second):
            await store.close()
