"""The review page's files over HTTP: served with their media types, naming no other host."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from app.main import create_app
from tests.conftest import app_settings

pytestmark = pytest.mark.api

STATIC = Path(__file__).resolve().parent.parent / "app" / "static"
# A scheme-relative or absolute URL with a dotted host; the page and its files may name none.
HOST_URL = re.compile(r"(?:https?:)?//[\w.-]+\.\w+")
FILES = [
    ("/review", "text/html", "review.html"),
    ("/review/lexgraph-review.js", "text/javascript", "lexgraph-review.js"),
    ("/review/lexgraph-review.css", "text/css", "lexgraph-review.css"),
]


@pytest.fixture
async def page_client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """The API on an empty SQLite store: the page's files need no data."""
    app = create_app(app_settings("sqlite", tmp_path, load_seeds=False))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://lexgraph.test") as client:
            yield client


@pytest.mark.parametrize(("path", "media_type", "name"), FILES)
async def test_served_with_its_media_type(
    page_client: httpx.AsyncClient, path: str, media_type: str, name: str
) -> None:
    response = await page_client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"] == f"{media_type}; charset=utf-8"
    assert response.headers["cache-control"] == "no-cache"
    assert response.text == (STATIC / name).read_text(encoding="utf-8")
    assert HOST_URL.findall(response.text) == []


async def test_the_page_loads_only_its_own_files(page_client: httpx.AsyncClient) -> None:
    html = (await page_client.get("/review")).text
    loaded = re.findall(r'(?:src|href)="([^"#]+)"', html)
    assert sorted(loaded) == ["/review/lexgraph-review.css", "/review/lexgraph-review.js", "data:,"]


@pytest.mark.parametrize("path", ["/review/review.html", "/review/index.html", "/review/../main.py"])
async def test_nothing_else_is_served_under_review(page_client: httpx.AsyncClient, path: str) -> None:
    assert (await page_client.get(path)).status_code == 404
