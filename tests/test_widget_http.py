"""The widget over HTTP: the script and the demo page are served, and CORS follows LEXGRAPH_CORS_ORIGINS."""

from __future__ import annotations

import gzip
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest

from app.main import create_app
from app.routes.widget import STATIC_DIR, WIDGET_PATH
from graph.timeline import TimelineEvent
from tests.conftest import app_settings

pytestmark = pytest.mark.api

DEFINES_ELEMENT = re.compile(r"""customElements\.define\(\s*["']lexgraph-lookup["']""")
PORTAL = "https://congthongtin.example.vn"
# What a portal's visitors download: the script gzipped stays under this.
MAX_GZIPPED_BYTES = 30 * 1024
STATUSES = ("in_force", "amended", "partly_repealed", "replaced", "repealed", "expired", "not_yet_in_force", "unknown")
RELATIONS = ("implements", "continues", "cites", "based_on", "guides", "amends", "replaces", "repeals")
NEWSPAPER = "https://baotinh.example.vn"


async def test_script_defines_the_custom_element(client: httpx.AsyncClient) -> None:
    response = await client.get(WIDGET_PATH)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert "max-age" in response.headers["cache-control"] and response.headers.get("etag")
    assert DEFINES_ELEMENT.search(response.text)


async def test_script_stays_small_when_gzipped(client: httpx.AsyncClient) -> None:
    script = (await client.get(WIDGET_PATH)).content
    assert len(script) > MAX_GZIPPED_BYTES / 4  # the real script, not an error page
    assert len(gzip.compress(script, compresslevel=9)) < MAX_GZIPPED_BYTES


@pytest.mark.parametrize("name", [*STATUSES, *RELATIONS])
async def test_every_status_and_relation_is_named_in_both_languages(client: httpx.AsyncClient, name: str) -> None:
    # Both dictionaries (vi, en) name it: a badge or a legend never falls back to the raw value.
    script = (await client.get(WIDGET_PATH)).text
    assert len(re.findall(rf"\b{name}: \"[^\"]+\"", script)) == 2


@pytest.mark.parametrize("name", [*TimelineEvent, "partly_repeals"])
def test_every_timeline_event_is_named_in_both_languages(name: str) -> None:
    script = (STATIC_DIR / "lexgraph-lookup.js").read_text(encoding="utf-8")  # the file: no app needed
    assert len(re.findall(rf"\"{name}\": \"[^\"]+\"", script)) == 2


async def test_demo_page_uses_the_widget(client: httpx.AsyncClient) -> None:
    response = await client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert '<html lang="vi">' in page and f'src="{WIDGET_PATH}"' in page and "<lexgraph-lookup" in page


@pytest.mark.parametrize("path", [WIDGET_PATH, "/"])
async def test_head_answers_like_get(client: httpx.AsyncClient, path: str) -> None:
    # HEAD describes the identity encoding: gzip is chosen while the body is written, which HEAD never is.
    head = await client.head(path)
    get = await client.get(path, headers={"Accept-Encoding": "identity"})
    assert head.status_code == 200 and head.content == b""
    assert "content-encoding" not in head.headers and "content-encoding" not in get.headers
    assert head.headers["content-length"] == get.headers["content-length"] == str(len(get.content))


@asynccontextmanager
async def api_with_origins(tmp_path: Path, origins: str) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(app_settings("sqlite", tmp_path, cors_origins=origins))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://lexgraph.test") as client,
    ):
        yield client


@pytest.mark.parametrize(
    ("configured", "origin", "allowed"),
    [
        pytest.param(PORTAL, PORTAL, True, id="listed-origin"),
        pytest.param(f"{NEWSPAPER}, {PORTAL}", PORTAL, True, id="one-of-several"),
        pytest.param(PORTAL, NEWSPAPER, False, id="unlisted-origin"),
        pytest.param(PORTAL, f"{PORTAL}.evil.example", False, id="lookalike-origin"),
        pytest.param("", PORTAL, False, id="cors-off"),
    ],
)
@pytest.mark.parametrize(
    "path",
    [
        "/search?q=nghi%20quyet%2025",
        "/documents/25-nq-tw-2013/implementers",
        "/documents/25-nq-tw-2013/lineage?direction=up",
        "/organizations/bch-tw",
        WIDGET_PATH,
    ],
)
async def test_cors_for_the_widget_requests(
    tmp_path: Path, configured: str, origin: str, allowed: bool, path: str
) -> None:
    async with api_with_origins(tmp_path, configured) as client:
        # What the widget sends: a plain GET with an Origin, no custom headers, so no preflight.
        response = await client.get(path, headers={"Origin": origin})
        assert response.status_code == 200
        assert response.headers.get("access-control-allow-origin") == (origin if allowed else None)
        assert "access-control-allow-credentials" not in response.headers
