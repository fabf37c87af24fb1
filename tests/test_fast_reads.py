"""A plain document by key or symbol list answered before FastAPI's routing (app.fast_reads) is, header for header
and byte for byte, what the route gives, and every request it does not take reaches the route: on both stores."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from app.fast_reads import FastReads
from app.main import create_app
from tests.conftest import STORE_KINDS, WRITE_HEADERS, app_settings, open_store

pytestmark = pytest.mark.api

RESOLUTION = "25-nq-tw-2013"  # in the seeds, cited by plans
ASKED = [
    ("GET", f"/documents/{RESOLUTION}", {}),
    ("GET", f"/v1/documents/{RESOLUTION}", {}),
    ("GET", f"/documents/{RESOLUTION}", {"accept-encoding": "gzip"}),
    ("GET", f"/documents/{RESOLUTION}?as_of=2014-01-01", {}),
    ("GET", f"/documents/{RESOLUTION}?", {}),
    ("HEAD", f"/documents/{RESOLUTION}", {}),
    ("GET", "/documents/no-such-document", {}),
    ("GET", "/documents/43-kl-tw-2019", {}),  # retired by the rename below: a redirect
    ("GET", "/v1/documents/43-kl-tw-2019", {}),
    ("GET", f"/documents/{'k' * 201}", {}),  # longer than a key may be: the route's 422
    ("GET", f"/documents/{RESOLUTION}/links", {}),
    ("GET", "/documents?symbol=25-NQ/TW", {}),
    ("GET", "/v1/documents?symbol=nq%2025%2Ftw", {"accept-encoding": "gzip"}),
    ("GET", "/documents?symbol=KH", {}),  # no document: an empty list
    ("GET", "/documents?symbol=25-NQ/TW&limit=1", {}),
    ("GET", "/documents?symbol=", {}),  # every document, as with no symbol
    ("GET", "/documents?symbol=25-NQ/TW&symbol=43-KL/TW", {}),  # given twice: the route's 422
    ("GET", f"/documents?symbol={'9' * 121}", {}),  # longer than a symbol may be: the route's 422
    ("GET", "/search?q=nghi%20quyet%2025", {}),
    ("GET", "/v1/search?q=KL943", {"accept-encoding": "gzip"}),  # the renamed conclusion, by its new number
    ("GET", "/search?q=x", {}),  # too short: no items
    ("GET", "/search?q=", {}),
    ("GET", "/search?q=nq%2025&limit=1", {}),
    ("GET", "/search?q=nq%2025&q=kl%2043", {}),  # given twice: the route's 422
    ("GET", f"/search?q={'n' * 201}", {}),  # longer than a query may be: the route's 422
    ("GET", f"/documents/{RESOLUTION}/lineage", {}),
    ("GET", f"/v1/documents/{RESOLUTION}/lineage?max_depth=2&direction=down", {"accept-encoding": "gzip"}),
    ("GET", "/documents/138-kh-tu-2019.thanh-hoa/lineage?direction=up", {}),
    ("GET", f"/documents/{RESOLUTION}/lineage?max_depth=02", {}),  # another spelling: the route's
    ("GET", f"/documents/{RESOLUTION}/lineage?limit=3", {}),
    ("GET", "/documents/no-such-document/lineage?max_depth=3", {}),
    ("GET", "/documents/43-kl-tw-2019/lineage", {}),  # retired: a redirect
    ("GET", f"/documents/{RESOLUTION}/lineage?max_depth=26", {}),  # deeper than a walk may go: the route's 422
    ("GET", f"/documents/{RESOLUTION}/lineage?direction=sideways", {}),
    ("GET", f"/documents/{RESOLUTION}/lineage?max_depth=2&max_depth=3", {}),
]


def without_fast_reads(app: FastAPI) -> FastAPI:
    app.user_middleware = [m for m in app.user_middleware if m.cls is not FastReads]
    return app


@pytest.fixture(params=STORE_KINDS)
async def clients(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[list[httpx.AsyncClient]]:
    """Two apps on one seeded store, the second without the fast path."""
    if request.param == "neo4j":
        await (await open_store("neo4j", tmp_path)).close()
    settings = app_settings(request.param, tmp_path)
    apps = [create_app(settings), without_fast_reads(create_app(settings))]
    async with AsyncExitStack() as stack:
        opened = []
        for app in apps:
            await stack.enter_async_context(app.router.lifespan_context(app))
            transport = httpx.ASGITransport(app=app)
            client = httpx.AsyncClient(transport=transport, base_url="http://lexgraph.test")
            opened.append(await stack.enter_async_context(client))
        yield opened


async def test_the_fast_path_answers_as_the_route(clients: list[httpx.AsyncClient]) -> None:
    fast, routed = clients
    renamed = await fast.patch("/documents/43-kl-tw-2019", json={"symbol": "943-KL/TW"}, headers=WRITE_HEADERS)
    assert renamed.status_code == 200
    statuses = []
    for method, path, headers in ASKED:
        answers = [await client.request(method, path, headers=headers) for client in (fast, routed)]
        assert answers[0].status_code == answers[1].status_code, path
        assert answers[0].headers.multi_items() == answers[1].headers.multi_items(), path
        assert answers[0].content == answers[1].content, path
        statuses.append(answers[0].status_code)
    assert statuses == [
        *(200, 200, 200, 200, 200, 405, 404, 308, 308, 422, 200),  # by key (no HEAD route)
        *(200, 200, 200, 200, 200, 422, 422),  # symbol lists
        *(200, 200, 200, 200, 200, 422, 422),  # searches
        *(200, 200, 200, 200, 200, 404, 308, 422, 422, 422),  # lineage pages
    ]
    moved = await fast.get("/v1/documents/43-kl-tw-2019/lineage?max_depth=2")
    assert (moved.status_code, moved.headers["location"]) == (308, "/v1/documents/943-kl-tw-2019/lineage?max_depth=2")
