"""Request limits on both stores: body size, query string length, traversal depth, request rate."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from app.main import create_app
from tests.conftest import STORE_KINDS, WRITE_HEADERS, app_settings, open_store

MB = 1024 * 1024
PLAN = "138-kh-tu-thanh-hoa-2019"


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
async def limited(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """The API allowing 3 requests at once, then one a second."""
    if request.param == "neo4j":
        await (await open_store("neo4j", tmp_path)).close()
    app = create_app(app_settings(request.param, tmp_path, rate_limit=1, rate_burst=3))
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://lexgraph.test") as client:
            yield client


async def test_rate_limit_per_client(limited: httpx.AsyncClient) -> None:
    statuses = [(await limited.get("/stats")).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = await limited.get("/stats")
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    assert (await limited.get("/health")).status_code == 200  # load balancers' checks are not counted
    # A key is counted apart from the address it calls from.
    assert (await limited.get("/stats", headers=WRITE_HEADERS)).status_code == 200
