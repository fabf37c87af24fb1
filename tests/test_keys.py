"""API keys and the change log, on both stores: scopes, revocation without restart, every write logged."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from typer.testing import CliRunner

from app.cli import cli
from app.main import create_app
from app.settings import get_settings
from graph.keys import KeyScope, KeyVerifier, env_key_id, issue_key, key_digest, link_id
from graph.ports import GraphStore
from tests.conftest import STORE_KINDS, WRITE_HEADERS, WRITE_KEY, app_settings, open_store

pytestmark = pytest.mark.api

NEW_DOCUMENT = {
    "symbol": "12-KH/TU",
    "type": "Kế hoạch",
    "date": "2019-05-02",
    "issuer": "nghe-an.btv",
    "title": "Kế hoạch số 12",
}
NEW_LINK = {"source": "12-kh-tu-2019.nghe-an", "relation": "implements", "target": "43-kl-tw-2019"}


@dataclass
class Api:
    client: httpx.AsyncClient
    app: FastAPI

    @property
    def store(self) -> GraphStore:
        store: GraphStore = self.app.state.store
        return store

    async def new_key(self, scope: KeyScope) -> str:
        """A key created in the store, as `lexgraph keys create` does it."""
        key, record = issue_key(scope, f"{scope} test key")
        await self.store.put_api_key(record)
        return key


async def serve_api(kind: str, tmp_path: Path, **overrides: object) -> AsyncIterator[Api]:
    """The seeded API on a fresh store, with no rate limit and no remembered key checks unless overridden."""
    if kind == "neo4j":
        await (await open_store("neo4j", tmp_path)).close()
    app = create_app(app_settings(kind, tmp_path, **({"key_cache_seconds": 0, "rate_limit": 0} | overrides)))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://lexgraph.test") as client:
            yield Api(client, app)


@pytest.fixture(params=STORE_KINDS)
async def api(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Api]:
    """The seeded API with LEXGRAPH_API_KEYS set and key checks not remembered (so revocation shows at once)."""
    async for opened in serve_api(request.param, tmp_path):
        yield opened


@pytest.fixture(params=STORE_KINDS)
async def keyless_api(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Api]:
    """The API with no LEXGRAPH_API_KEYS."""
    async for opened in serve_api(request.param, tmp_path, api_keys=""):
        yield opened


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.mark.parametrize(
    ("scope", "status"),
    [(None, 401), ("bogus", 401), (KeyScope.read, 403), (KeyScope.write, 201), (KeyScope.admin, 201)],
    ids=["no-key", "unknown-key", "read", "write", "admin"],
)
async def test_write_needs_write_scope(api: Api, scope: KeyScope | str | None, status: int) -> None:
    if scope is None:
        headers = {}
    elif scope == "bogus":
        headers = bearer(issue_key(KeyScope.admin)[0])  # well-formed, never stored
    else:
        headers = bearer(await api.new_key(KeyScope(scope)))
    response = await api.client.post("/documents", json=NEW_DOCUMENT, headers=headers)
    assert response.status_code == status, response.text
    if status == 401:
        assert response.headers["www-authenticate"] == "Bearer"


async def test_environment_keys_keep_write_scope(api: Api) -> None:
    response = await api.client.post("/documents", json=NEW_DOCUMENT, headers=WRITE_HEADERS)
    assert response.status_code == 201
    changes = (await api.client.get("/changes", headers=WRITE_HEADERS)).json()["items"]
    assert [c["key_id"] for c in changes] == [env_key_id(WRITE_KEY)]


async def test_writes_disabled_without_any_key_source(keyless_api: Api) -> None:
    response = await keyless_api.client.post("/documents", json=NEW_DOCUMENT, headers=bearer("anything"))
    assert response.status_code == 403 and "writes are disabled" in response.json()["detail"]
    key = await keyless_api.new_key(KeyScope.write)
    assert (await keyless_api.client.post("/documents", json=NEW_DOCUMENT)).status_code == 401
    assert (await keyless_api.client.post("/documents", json=NEW_DOCUMENT, headers=bearer(key))).status_code == 201


async def test_revoked_key_is_refused_without_restart(api: Api) -> None:
    key = await api.new_key(KeyScope.write)
    assert (await api.client.post("/documents", json=NEW_DOCUMENT, headers=bearer(key))).status_code == 201
    key_id = key.split("_")[1]
    revoked = await api.store.revoke_api_key(key_id, "2030-01-01T00:00:00.000000Z")
    assert revoked.revoked_at == "2030-01-01T00:00:00.000000Z"
    assert (await api.client.post("/documents", json=NEW_DOCUMENT, headers=bearer(key))).status_code == 401


async def test_keys_are_stored_as_digests(api: Api) -> None:
    key = await api.new_key(KeyScope.admin)
    [record] = await api.store.list_api_keys()
    assert record.digest == key_digest(key) and key not in record.model_dump_json()
    assert record.matches(key) and not record.matches(key[:-1] + ("A" if key[-1] != "A" else "B"))


async def test_key_checks_are_remembered_only_briefly(store: GraphStore) -> None:
    key, record = issue_key(KeyScope.write)
    await store.put_api_key(record)
    verifier = KeyVerifier(store, [], ttl=0.2)
    assert (await verifier.verify(key)) is not None
    await store.revoke_api_key(record.id, "2030-01-01T00:00:00.000000Z")
    assert (await verifier.verify(key)) is not None  # remembered
    await asyncio.sleep(0.25)
    assert (await verifier.verify(key)) is None


# The change log


async def test_changes_list_every_write(api: Api) -> None:
    key = await api.new_key(KeyScope.write)
    obligation_rule = {"level": "province", "deadline": "2020-01-01"}
    writes = [
        ("/documents", NEW_DOCUMENT, ["12-kh-tu-2019.nghe-an"]),
        ("/links", NEW_LINK, ["12-kh-tu-2019.nghe-an implements 43-kl-tw-2019"]),
        ("/documents/43-kl-tw-2019/obligations", obligation_rule, None),
    ]
    for path, body, _ in writes:
        response = await api.client.post(path, json=body, headers=bearer(key))
        assert response.status_code in (200, 201), response.text  # the obligation route answers 200
    obligation_id = response.json()["id"]
    confirm = f"/documents/43-kl-tw-2019/obligations/{obligation_id}/confirm"
    assert (await api.client.post(confirm, headers=WRITE_HEADERS)).status_code == 200
    changes = (await api.client.get("/changes", headers=bearer(key))).json()["items"]
    assert [(c["method"], c["path"], c["status"]) for c in changes] == [
        *[("POST", path, "committed") for path, _, _ in writes],
        ("POST", confirm, "committed"),
    ]
    assert [c["key_id"] for c in changes] == [key.split("_")[1]] * 3 + [env_key_id(WRITE_KEY)]
    assert [c["keys"] for c in changes[:2]] == [w[2] for w in writes[:2]]
    assert changes[2]["keys"] == changes[3]["keys"] == [obligation_id]


async def test_ingest_is_logged_with_what_it_wrote(api: Api) -> None:
    text = "Kế hoạch số 12-KH/TU ngày 2/5/2019 của Ban Thường vụ Tỉnh ủy thực hiện Kết luận số 43-KL/TW."
    report = (
        await api.client.post("/ingest/text", json={"text": text, "jurisdiction": "nghe-an"}, headers=WRITE_HEADERS)
    ).json()
    [change] = (await api.client.get("/changes", headers=WRITE_HEADERS)).json()["items"]
    assert change["path"] == "/ingest/text" and change["status"] == "committed"
    assert change["keys"][0] == report["text_id"] and set(report["documents_created"]) <= set(change["keys"])


async def test_failed_write_is_logged_as_failed(api: Api) -> None:
    response = await api.client.post("/links", json=NEW_LINK, headers=WRITE_HEADERS)  # the source does not exist
    assert response.status_code == 422
    [change] = (await api.client.get("/changes", headers=WRITE_HEADERS)).json()["items"]
    attempted = link_id(NEW_LINK["source"], NEW_LINK["relation"], NEW_LINK["target"])
    assert change["status"] == "failed" and change["keys"] == [attempted]  # what was attempted


async def test_changes_page_and_filter_by_time(api: Api) -> None:
    for number in range(5):
        body = NEW_DOCUMENT | {"symbol": f"{number + 1}-KH/TU"}
        assert (await api.client.post("/documents", json=body, headers=WRITE_HEADERS)).status_code == 201
    every = (await api.client.get("/changes", headers=WRITE_HEADERS)).json()
    assert len(every["items"]) == 5 and every["next"] is None
    pages, after = [], None
    while True:
        params = {"limit": 2} | ({"after": after} if after else {})
        page = (await api.client.get("/changes", params=params, headers=WRITE_HEADERS)).json()
        pages.append([c["id"] for c in page["items"]])
        if (after := page["next"]) is None:
            break
    assert [i for p in pages for i in p] == [c["id"] for c in every["items"]] and len(pages) == 3
    since = every["items"][3]["at"]
    later = (await api.client.get("/changes", params={"since": since}, headers=WRITE_HEADERS)).json()["items"]
    assert [c["id"] for c in later] == [c["id"] for c in every["items"][3:]]


@pytest.mark.parametrize(
    ("scope", "status"), [(None, 401), (KeyScope.read, 403), (KeyScope.write, 200), (KeyScope.admin, 200)]
)
async def test_changes_need_write_or_admin_scope(api: Api, scope: KeyScope | None, status: int) -> None:
    headers = bearer(await api.new_key(scope)) if scope else {}
    assert (await api.client.get("/changes", headers=headers)).status_code == status


# The command line, against the same store the API runs on


@pytest.fixture
def cli_env(api: Api, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The CLI's settings pointing at the store the API runs on."""
    settings = api.app.state.settings
    env = {
        "LEXGRAPH_STORE": settings.store.value,
        "LEXGRAPH_SQLITE_PATH": str(settings.sqlite_path),
        "NEO4J_URI": settings.neo4j_uri,
        "NEO4J_USER": settings.neo4j_user,
        "NEO4J_PASSWORD": settings.neo4j_password.get_secret_value(),
        "NEO4J_DATABASE": settings.neo4j_database,
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


async def _lexgraph(*args: str) -> tuple[int, str]:
    result = await asyncio.to_thread(CliRunner().invoke, cli, list(args))
    return result.exit_code, result.stdout


async def test_cli_create_list_revoke(api: Api, cli_env: None) -> None:
    code, out = await _lexgraph("keys", "create", "--scope", "write", "--name", "ingest team")
    assert code == 0
    key = out.strip()
    key_id = key.split("_")[1]
    assert (await api.client.post("/documents", json=NEW_DOCUMENT, headers=bearer(key))).status_code == 201
    code, listing = await _lexgraph("keys", "list")
    assert code == 0 and key not in listing
    assert listing.split("\t")[:3] == [key_id, "write", "ingest team"] and listing.rstrip().endswith("active")
    code, _ = await _lexgraph("keys", "revoke", key_id)
    assert code == 0
    assert (await api.client.post("/documents", json=NEW_DOCUMENT, headers=bearer(key))).status_code == 401
    assert (await _lexgraph("keys", "revoke", "000000000000"))[0] == 1
