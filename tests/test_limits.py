"""Request limits on both stores: body size, query string length, traversal depth, request rate."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from graph.errors import StoreUnavailableError
from graph.keys import KeyScope, issue_key
from graph.stores.neo4j import Neo4jStore
from tests.conftest import STORE_KINDS, WRITE_HEADERS, neo4j_settings
from tests.test_keys import Api, serve_api

pytestmark = pytest.mark.api

MB = 1024 * 1024
PLAN = "138-kh-tu-2019.thanh-hoa"


async def chunks(size: int, chunk: int = 64 * 1024) -> AsyncIterator[bytes]:
    """A body sent chunked, with no Content-Length."""
    for start in range(0, size, chunk):
        yield b"x" * min(chunk, size - start)


@pytest.mark.parametrize(
    ("path", "size", "status"),
    [
        ("/documents", 10 * MB, 413),
        ("/links", MB + 1, 413),
        ("/extract", 2 * MB, 413),
        ("/documents", MB - 1, 422),  # under the limit: read, then refused as JSON
        ("/ingest/text", int(1.5 * MB), 422),
        ("/ingest/text", 2 * MB + 1, 413),
    ],
    ids=["10MB", "1MB+1", "extract-2MB", "under-1MB", "ingest-1.5MB", "ingest-2MB+1"],
)
@pytest.mark.parametrize("chunked", [False, True], ids=["declared", "chunked"])
async def test_body_size(client: httpx.AsyncClient, path: str, size: int, status: int, chunked: bool) -> None:
    body = chunks(size) if chunked else b"x" * size
    headers = WRITE_HEADERS | {"Content-Type": "application/json"}
    response = await client.post(path, content=body, headers=headers)
    assert response.status_code == status, response.text[:200]
    if status == 413:
        assert "limit" in response.json()["detail"]


async def test_query_string_length(client: httpx.AsyncClient) -> None:
    response = await client.get("/search", params={"q": "nghị quyết " * 500})
    assert response.status_code == 414
    assert (await client.get("/search", params={"q": "nghị quyết"})).status_code == 200


@pytest.mark.parametrize("path", [f"/documents/{PLAN}/lineage", f"/documents/{PLAN}/implementers"])
@pytest.mark.parametrize(("depth", "status"), [(1000, 422), (0, 422), (26, 422), (25, 200)])
async def test_traversal_depth(client: httpx.AsyncClient, path: str, depth: int, status: int) -> None:
    assert (await client.get(path, params={"max_depth": depth})).status_code == status


@pytest.fixture(params=STORE_KINDS)
async def limited(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Api]:
    """The API allowing 3 requests at once, then one every 20 s (no refill within a test, however slow the
    machine)."""
    async for api in serve_api(request.param, tmp_path, rate_limit=0.05, rate_burst=3, key_cache_seconds=60):
        yield api


async def test_rate_limit_per_client(limited: Api) -> None:
    client = limited.client
    statuses = [(await client.get("/stats")).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = await client.get("/stats")
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    assert (await client.get("/health")).status_code == 200  # load balancers' checks are not counted
    # A key is counted apart from the address it calls from.
    assert [(await client.get("/stats", headers=WRITE_HEADERS)).status_code for _ in range(4)] == [200, 200, 200, 429]


async def test_stored_keys_get_their_own_bucket_once_verified(limited: Api) -> None:
    key = {"Authorization": f"Bearer {await limited.new_key(KeyScope.read)}"}
    made_up = {"Authorization": f"Bearer {issue_key(KeyScope.read)[0]}"}
    client = limited.client
    assert (await client.get("/stats", headers=key)).status_code == 200  # counted against the address, and verified
    assert [(await client.get("/stats", headers=made_up)).status_code for _ in range(3)] == [200, 200, 429]
    assert (await client.get("/stats")).status_code == 429
    assert (await client.get("/stats", headers=key)).status_code == 200


RESOLUTION = "25-nq-tw-2013"
PLANS = 7


async def _add_plans(client: httpx.AsyncClient) -> None:
    """Seven district plans implementing the resolution, so that its lineage spans several pages."""
    for number in range(1, PLANS + 1):
        plan = {
            "symbol": f"{number}-KH/HU",
            "type": "Kế hoạch",
            "date": f"2014-03-0{number}",
            "issuer": "thanh-hoa.btv",
            "title": f"Kế hoạch thực hiện Nghị quyết 25 của huyện số {number}",
        }
        created = await client.post("/documents", json=plan, headers=WRITE_HEADERS)
        assert created.status_code == 201, created.text
        key = created.json()["key"]
        link = {"source": key, "relation": "implements", "target": RESOLUTION}
        assert (await client.post("/links", json=link, headers=WRITE_HEADERS)).status_code == 201


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/documents", {}, "items"),
        ("/documents", {"jurisdiction": "thanh-hoa"}, "items"),
        (f"/documents/{PLAN}/links", {}, "items"),
        (f"/documents/{RESOLUTION}/links", {"direction": "in"}, "items"),
        (f"/documents/{RESOLUTION}/lineage", {}, "nodes"),
        (f"/documents/{RESOLUTION}/implementers", {}, "items"),
    ],
    ids=["documents", "documents-filtered", "links-out", "links-in", "lineage", "implementers"],
)
async def test_large_lists_are_paged(client: httpx.AsyncClient, path: str, params: dict[str, str], field: str) -> None:
    await _add_plans(client)
    whole = (await client.get(path, params=params | {"limit": 1000})).json()
    assert whole["truncated"] is False and whole["next_offset"] is None and len(whole[field]) > PLANS
    size = max(3, len(whole[field]) // 12)  # the registry makes /documents long: a dozen pages or so
    pages: list[list[dict[str, object]]] = []
    offset: int | None = 0
    while offset is not None:
        page = (await client.get(path, params=params | {"limit": size, "offset": offset})).json()
        pages.append(page[field])
        assert page["truncated"] is (page["next_offset"] is not None)
        offset = page["next_offset"]
    assert [item for page in pages for item in page] == whole[field]
    assert all(len(page) == size for page in pages[:-1]) and 1 <= len(pages[-1]) <= size
    if field == "nodes":
        first = (await client.get(path, params=params | {"limit": 3})).json()
        keys = {n["key"] for n in first["nodes"]}
        assert first["edges"] and all(e["source"] in keys or e["target"] in keys for e in first["edges"])


@pytest.mark.parametrize(("params", "status"), [({"limit": 5001}, 422), ({"offset": 10_001}, 422), ({"limit": 0}, 422)])
async def test_page_bounds(client: httpx.AsyncClient, params: dict[str, int], status: int) -> None:
    assert (await client.get("/documents", params=params)).status_code == status


@pytest.mark.neo4j
async def test_neo4j_query_time_limit() -> None:
    cfg = neo4j_settings()
    store = Neo4jStore(cfg["uri"], cfg["user"], cfg["password"], cfg["database"], query_timeout=0.5)
    await store.open()
    try:
        started = time.monotonic()
        with pytest.raises(StoreUnavailableError, match="timed out"):
            await store.db.read("UNWIND range(1, 1000000000) AS n RETURN sum(n * n) AS total")
        assert time.monotonic() - started < 5
        assert await store.ping()
    finally:
        await store.close()


# Pages big enough that both walks stay within the rate limit's burst.
@pytest.mark.parametrize(("path", "size"), [("/documents", 60), (f"/documents/{RESOLUTION}/links", 3)])
async def test_next_walks_the_same_pages_as_offset(client: httpx.AsyncClient, path: str, size: int) -> None:
    await _add_plans(client)
    by_offset, by_next = [], []
    offset: int | None = 0
    cursor: str | None = None
    while offset is not None:
        page = (await client.get(path, params={"limit": size, "offset": offset})).json()
        by_offset += page["items"]
        assert page["next"] == (None if page["next_offset"] is None else str(page["next_offset"]))
        offset = page["next_offset"]
    while True:
        page = (await client.get(path, params={"limit": size} | ({"next": cursor} if cursor else {}))).json()
        by_next += page["items"]
        cursor = page["next"]
        if cursor is None:
            break
    assert by_next == by_offset and len(by_next) > size
    assert (await client.get(path, params={"next": "x"})).status_code == 422
