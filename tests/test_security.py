"""Injection attempts in every string parameter, security headers, CORS, and error answers that reveal nothing."""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.main import create_app
from app.settings import Settings
from graph.errors import StoreUnavailableError
from tests.conftest import STORE_KINDS, WRITE_HEADERS
from tests.test_keys import Api, serve_api

pytestmark = pytest.mark.api

PAYLOADS = [
    "' OR '1'='1",
    "x'; DROP TABLE documents; --",
    "1 UNION SELECT key, symbol FROM documents --",
    'x"}) MATCH (n) DETACH DELETE n //',
    "x' }) WITH 1 AS x MATCH (n) DETACH DELETE n RETURN 1 //",
    "25-NQ/TW' OR 1=1 //",
    "$key",
    "*",
    "%",
]
PAYLOAD_IDS = [
    "sql-or",
    "sql-drop",
    "sql-union",
    "cypher-delete",
    "cypher-with",
    "symbol-or",
    "param",
    "star",
    "percent",
]
KEY = "25-nq-tw-2013"
# A valid value for every required parameter and body, so that each case varies one string only.
PATH_VALUES = {"key": KEY, "obligation_id": "none", "hook_id": "none", "link": "none", "snapshot_id": "none"}
REQUIRED_QUERY = {"from": "138-kh-tu-2019.thanh-hoa", "to": KEY, "document": KEY}
BODIES: dict[str, dict[str, Any]] = {
    "DocumentDraft": {
        "symbol": "12-KH/TU",
        "type": "Kế hoạch",
        "date": "2019-05-02",
        "issuer": "nghe-an.btv",
        "title": "Kế hoạch",
    },
    "LinkDraft": {"source": "138-kh-tu-2019.thanh-hoa", "relation": "cites", "target": KEY},
    "TextIn": {"text": "Căn cứ Nghị quyết số 25-NQ/TW."},
    "ObligationRule": {"level": "province"},
    "DocumentPatch": {},
    "MergeRequest": {"from": "43-kl-tw-2019"},
    "LinkDecision": {"review": "accepted"},
    "WebhookDraft": {"url": "http://192.0.2.10/hook", "secret": "a-secret-of-twenty-chars"},
}


@dataclass(frozen=True)
class Case:
    method: str
    path: str
    field: str
    where: str  # path, query or body

    def request(self, payload: str, schema_name: str | None) -> dict[str, Any]:
        values = PATH_VALUES | ({self.field: payload} if self.where == "path" else {})
        url = self.path.format(**values)
        params = {k: v for k, v in REQUIRED_QUERY.items() if "{" + k + "}" not in self.path}
        request: dict[str, Any] = {"method": self.method, "url": url, "headers": WRITE_HEADERS}
        if self.where == "query":
            request["params"] = {k: v for k, v in params.items() if k in _query_names(self)} | {self.field: payload}
        elif _query_names(self):
            request["params"] = {k: v for k, v in params.items() if k in _query_names(self)}
        if schema_name:
            request["json"] = BODIES[schema_name] | ({self.field: payload} if self.where == "body" else {})
            if schema_name == "DocumentDraft" and self.field != "symbol":
                # One document per varied field: a second create of one symbol with another value is a 409.
                request["json"]["symbol"] = f"{1000 + zlib.crc32(self.field.encode()) % 9000}-KH/TU"
        return request


_QUERY_NAMES: dict[tuple[str, str], set[str]] = {}


def _query_names(case: Case) -> set[str]:
    return _QUERY_NAMES[(case.method, case.path)]


def _is_string(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "string" or any(_is_string(s) for s in schema.get("anyOf", []))


def string_parameters(spec: dict[str, Any]) -> Iterator[tuple[Case, str | None]]:
    """Every string parameter of every operation in the OpenAPI schema, with the operation's body schema."""
    components = spec["components"]["schemas"]
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            ref = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
            body = ref.get("$ref", "").rsplit("/", 1)[-1] or None
            params = operation.get("parameters", [])
            _QUERY_NAMES[(method.upper(), path)] = {p["name"] for p in params if p["in"] == "query"}
            for param in params:
                if _is_string(param["schema"]):
                    yield Case(method.upper(), path, param["name"], param["in"]), body
            if body:
                for name, prop in components[body]["properties"].items():
                    if _is_string(prop):
                        yield Case(method.upper(), path, name, "body"), body


async def _snapshot(client: httpx.AsyncClient) -> tuple[dict[str, Any], list[str]]:
    stats = (await client.get("/stats")).json()
    keys = [d["key"] for d in (await client.get("/documents", params={"limit": 1000})).json()["items"]]
    return stats, keys


@pytest.fixture(params=STORE_KINDS)
async def api(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Api]:
    async for opened in serve_api(request.param, tmp_path):
        yield opened


@pytest.mark.parametrize("payload", PAYLOADS, ids=PAYLOAD_IDS)
async def test_injection_changes_nothing(api: Api, payload: str) -> None:
    cases = list(string_parameters(api.app.openapi()))
    assert len(cases) >= 25  # every operation's strings, not a few
    stats, keys = await _snapshot(api.client)
    writes = 0
    for case, body in cases:
        response = await api.client.request(**case.request(payload, body))
        assert response.status_code < 500, (case, response.text)
        route = case.path.removeprefix("/v1")
        writes += case.method == "POST" and response.status_code in (200, 201) and route != "/extract"
        if route == "/documents" and case.method == "POST" and case.field == "title":
            assert response.json()["title"] == payload  # stored as data, verbatim
    after_stats, after_keys = await _snapshot(api.client)
    assert after_stats["organizations"] == stats["organizations"]
    assert stats["documents"] <= after_stats["documents"] <= stats["documents"] + writes
    assert stats["links"] <= after_stats["links"] <= stats["links"] + writes
    assert set(keys) <= set(after_keys)


async def test_reads_with_injection_change_nothing(api: Api) -> None:
    before = await _snapshot(api.client)
    for payload in PAYLOADS:
        for params in ({"symbol": payload}, {"type": payload}, {"jurisdiction": payload}):
            assert (await api.client.get("/documents", params=params)).status_code < 500
        assert (await api.client.get("/search", params={"q": payload})).status_code == 200
        assert (await api.client.get(f"/documents/{payload}/lineage")).status_code in {404, 422}
    assert await _snapshot(api.client) == before


# Headers and CORS


@pytest.mark.parametrize(
    ("path", "csp"),
    [("/health", "default-src 'none'; frame-ancestors 'none'"), ("/docs", "frame-ancestors 'none'")],
    ids=["data", "page"],
)
async def test_security_headers(api: Api, path: str, csp: str) -> None:
    headers = (await api.client.get(path)).headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["content-security-policy"] == csp


@pytest.mark.parametrize(
    ("configured", "origin", "allowed"),
    [
        ("", "https://news.example.vn", False),
        ("https://news.example.vn", "https://news.example.vn", True),
        ("https://news.example.vn", "https://evil.example.com", False),
    ],
    ids=["none-configured", "configured", "other-origin"],
)
async def test_cors_only_for_configured_origins(tmp_path: Path, configured: str, origin: str, allowed: bool) -> None:
    app = create_app(Settings(sqlite_path=tmp_path / "cors.db", cors_origins=configured, load_seeds=False))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://lexgraph.test") as client,
    ):
        simple = await client.get("/health", headers={"Origin": origin})
        preflight = await client.options("/search", headers={"Origin": origin, "Access-Control-Request-Method": "GET"})
    assert (simple.headers.get("access-control-allow-origin") == origin) is allowed
    assert (preflight.headers.get("access-control-allow-origin") == origin) is allowed


# Nothing internal in error answers


class _Leaky(RuntimeError):
    pass


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (_Leaky("Traceback: secret detail at /srv/lexgraph/graph/store.py line 12"), 500),
        # A driver's fault reaches the edge as the store's StoreUnavailableError (graph.stores.neo4j.db maps it).
        (StoreUnavailableError("Couldn't connect to secret-host:7687"), 503),
        (ConnectionResetError("secret socket detail"), 503),
    ],
    ids=["bug", "store-unavailable", "socket"],
)
async def test_unexpected_errors_reveal_nothing(
    api: Api, monkeypatch: pytest.MonkeyPatch, error: Exception, status: int
) -> None:
    async def failing(*_: object, **__: object) -> None:
        raise error

    monkeypatch.setattr(api.store, "counts", failing)
    response = await api.client.get("/stats")
    assert response.status_code == status
    assert "secret" not in response.text and "Traceback" not in response.text
    assert set(response.json()) == {"code", "detail"}
    assert ("retry-after" in response.headers) is (status == 503)
    assert response.headers["x-content-type-options"] == "nosniff"
