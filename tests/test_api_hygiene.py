"""API hygiene: /v1 and its aliases, 201 with Location, ETag and 304, Cache-Control, compression, error codes,
and an example for every route's request and response in the OpenAPI document."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.caching import etag_matches, weak_etag
from app.examples import examples
from app.main import create_app
from app.versioning import API_PREFIX
from tests.conftest import WRITE_HEADERS, app_settings

pytestmark = pytest.mark.api

CONCLUSION = "/documents/43-kl-tw-2019"


@pytest.fixture(scope="module")
async def client(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[httpx.AsyncClient]:
    """One seeded API on the embedded store for the module (these tests read, or write what no other reads)."""
    app = create_app(app_settings("sqlite", tmp_path_factory.mktemp("hygiene"), rate_limit=0))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://lexgraph.test") as test_client:
            yield test_client


def operations(schema: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield method.upper(), path, operation


@pytest.mark.parametrize("path", [CONCLUSION, "/documents?symbol=43-KL/TW", "/health", "/feed?limit=2"])
async def test_v1_and_the_unversioned_alias_answer_alike(client: httpx.AsyncClient, path: str) -> None:
    versioned, alias = await client.get(API_PREFIX + path), await client.get(path)
    assert versioned.status_code == alias.status_code == 200
    if path != "/health":  # health carries its own timings
        assert versioned.content.replace(b"/v1/", b"/") == alias.content.replace(b"/v1/", b"/")


async def test_openapi_lists_each_route_once_under_v1(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/openapi.json")).json()
    paths = list(schema["paths"])
    assert paths and all(p.startswith(API_PREFIX + "/") for p in paths), paths
    assert len(paths) == len(set(paths))
    ids = [op["operationId"] for _, _, op in operations(schema)]
    assert len(ids) == len(set(ids))


async def test_every_route_has_request_and_response_examples(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/openapi.json")).json()
    missing = []
    for method, path, operation in operations(schema):
        for media_type, media in operation.get("requestBody", {}).get("content", {}).items():
            if "example" not in media and "examples" not in media:
                missing.append(f"{method} {path} request {media_type}")
        for status in ("200", "201"):
            for media_type, media in operation["responses"].get(status, {}).get("content", {}).items():
                if "example" not in media and "examples" not in media:
                    missing.append(f"{method} {path} {status} {media_type}")
    assert not missing, missing
    routes = {f"{m} {p.removeprefix(API_PREFIX)}" for m, p, _ in operations(schema)}
    assert set(examples()) <= routes, set(examples()) - routes  # no example of a route that is gone


def _ref_properties(schema: dict[str, Any], media: dict[str, Any]) -> set[str] | None:
    ref = media.get("schema", {}).get("$ref", "")
    component = schema["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {})
    return set(component["properties"]) if "properties" in component else None


async def test_examples_have_the_fields_of_their_schema(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/openapi.json")).json()
    for method, path, operation in operations(schema):
        for status in ("200", "201"):
            media = operation["responses"].get(status, {}).get("content", {}).get("application/json")
            fields = _ref_properties(schema, media) if media else None
            if fields is not None:
                assert set(media["example"]) <= fields, (method, path, set(media["example"]) - fields)


async def test_creates_answer_201_with_location(client: httpx.AsyncClient) -> None:
    body = {"symbol": "77-KH/TU", "type": "Kế hoạch", "date": "2020-05-06", "issuer": "thanh-hoa.btv"}
    created = await client.post("/v1/documents", json=body, headers=WRITE_HEADERS)
    assert created.status_code == 201
    assert (await client.get(created.headers["location"])).json() == created.json()
    link = {"source": created.json()["key"], "relation": "implements", "target": "43-kl-tw-2019"}
    linked = await client.post("/links", json=link, headers=WRITE_HEADERS)
    assert linked.status_code == 201 and linked.headers["location"].startswith("/documents/77-kh-tu-2020.thanh-hoa/")
    listed = (await client.get(linked.headers["location"])).json()["items"]
    assert [(lk["relation"], lk["target"]) for lk in listed] == [("implements", "43-kl-tw-2019")]


async def test_reads_carry_an_etag_and_answer_304(client: httpx.AsyncClient) -> None:
    first = await client.get("/v1" + CONCLUSION)
    etag = first.headers["etag"]
    assert etag.startswith('W/"') and first.headers["cache-control"].startswith("public, max-age=")
    again = await client.get("/v1" + CONCLUSION, headers={"If-None-Match": etag})
    assert (again.status_code, again.content, again.headers["etag"]) == (304, b"", etag)
    other = await client.get("/v1/documents/25-nq-tw-2013", headers={"If-None-Match": etag})
    assert other.status_code == 200 and other.headers["etag"] != etag
    keyed = await client.get("/v1/changes", headers=WRITE_HEADERS)
    assert keyed.headers["cache-control"] == "no-store"


@pytest.mark.parametrize(
    ("header", "matches"),
    [('W/"abc"', True), ('"abc"', True), ('W/"x", W/"abc"', True), ("*", True), ('W/"abd"', False), ("", False)],
)
def test_etag_matching(header: str, matches: bool) -> None:
    assert etag_matches(header, 'W/"abc"') is matches and weak_etag(b"a") != weak_etag(b"b")


async def test_large_answers_are_compressed(client: httpx.AsyncClient) -> None:
    big = await client.get("/v1/documents", params={"limit": 50}, headers={"Accept-Encoding": "gzip"})
    assert big.headers["content-encoding"] == "gzip" and len(big.content) > 1024
    raw = await client.get("/v1/documents", params={"limit": 50}, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in raw.headers and raw.content == big.content
    small = await client.get("/v1/documents/ghost", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in small.headers


async def test_answers_are_compressed_at_the_default_level(client: httpx.AsyncClient) -> None:
    """Level 9 costs twice the CPU of the default for 2 % less; a gzip header's XFL byte says 2 for level 9,
    4 for level 1, 0 for the levels between."""
    headers = {"Accept-Encoding": "gzip"}
    async with client.stream("GET", "/v1/documents", params={"limit": 50}, headers=headers) as answer:
        raw = b"".join([chunk async for chunk in answer.aiter_raw()])
    assert raw[:2] == b"\x1f\x8b" and raw[8] == 0


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("GET", "/v1/documents/ghost", 404, "not_found"),
        ("GET", "/v1/documents?year=1", 422, "validation_error"),
        ("POST", "/v1/webhooks", 401, "unauthorized"),
        ("DELETE", "/v1/documents", 405, "method_not_allowed"),
    ],
)
async def test_errors_carry_a_stable_code(
    client: httpx.AsyncClient, method: str, path: str, status: int, code: str
) -> None:
    response = await client.request(method, path)
    assert (response.status_code, response.json()["code"]) == (status, code)


async def test_compression_and_etag_together(tmp_path: Path) -> None:
    app = create_app(app_settings("sqlite", tmp_path, load_seeds=False, rate_limit=0))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as plain,
    ):
        first = await plain.get("/openapi.json", headers={"Accept-Encoding": "gzip"})
        again = await plain.get("/openapi.json", headers={"If-None-Match": first.headers["etag"]})
    assert first.headers["content-encoding"] == "gzip" and again.status_code == 304
