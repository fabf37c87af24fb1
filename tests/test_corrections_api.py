"""PATCH, DELETE and merge of documents, redirects from retired keys, and GET /texts/{id}, on both stores."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from graph.keys import KeyScope
from graph.models import SourceText
from tests.conftest import STORE_KINDS, WRITE_HEADERS
from tests.test_keys import Api, serve_api

pytestmark = pytest.mark.api

CONCLUSION = "43-kl-tw-2019"
RESOLUTION = "25-nq-tw-2013"
DIRECTIVE = "16-ct-ttg-2020"
DOCUMENTS = [
    {"symbol": "43-KL/TW", "date": "2019-01-07", "title": "Về tiếp tục đổi mới"},
    {"symbol": "25-NQ/TW", "date": "2013-10-09"},
    {"symbol": "16/CT-TTg", "date": "2020-03-31"},
]
LINKS: list[dict[str, Any]] = [
    {"source": CONCLUSION, "relation": "implements", "target": RESOLUTION, "source_text_id": "t-43", "span_start": 4},
    {"source": DIRECTIVE, "relation": "cites", "target": CONCLUSION},
]


@pytest.fixture(params=STORE_KINDS)
async def api(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Api]:
    """The API on an empty store holding three documents: the directive cites the conclusion, which implements
    the resolution."""
    async for served in serve_api(request.param, tmp_path, load_seeds=False):
        for body in DOCUMENTS:
            assert (await served.client.post("/documents", json=body, headers=WRITE_HEADERS)).status_code == 201
        for body in LINKS:
            assert (await served.client.post("/links", json=body, headers=WRITE_HEADERS)).status_code == 201
        yield served


async def patch(api: Api, key: str, body: dict[str, Any]) -> Any:
    return await api.client.patch(f"/documents/{key}", json=body, headers=WRITE_HEADERS)


@pytest.mark.parametrize(
    ("symbols", "new_key"),
    [(["44-KL/TW"], "44-kl-tw-2019"), (["44-KL/TW", "45-KL/TW"], "45-kl-tw-2019")],
)
async def test_a_new_symbol_gives_a_new_key_and_the_old_ones_redirect(
    api: Api, symbols: list[str], new_key: str
) -> None:
    key = CONCLUSION
    for symbol in symbols:
        response = await patch(api, key, {"symbol": symbol})
        assert response.status_code == 200, response.text
        key = response.json()["key"]
    assert key == new_key
    for old in (CONCLUSION, "44-kl-tw-2019"):
        if old == new_key:
            continue
        moved = await api.client.get(f"/documents/{old}/links", params={"direction": "out"})
        assert moved.status_code == 308 and moved.json()["code"] == "moved_permanently"
        assert moved.headers["location"] == f"/documents/{new_key}/links?direction=out"
        followed = await api.client.get(moved.headers["location"])
        assert [(x["source"], x["target"]) for x in followed.json()["items"]] == [(new_key, RESOLUTION)]
    cited = (await api.client.get(f"/documents/{DIRECTIVE}/links", params={"direction": "out"})).json()["items"]
    assert [x["target"] for x in cited] == [new_key]
    assert (await api.client.get("/documents/never-was")).status_code == 404


async def test_a_curated_status_and_cleared_field(api: Api) -> None:
    response = await patch(api, CONCLUSION, {"status": "in_force", "title": None})
    assert response.status_code == 200
    body = response.json()
    assert (body["key"], body["status"], body["status_source"], body["title"]) == (
        CONCLUSION,
        "in_force",
        "curated",
        None,
    )


@pytest.mark.parametrize(
    ("body", "code", "where"),
    [
        ({"symbol": "no symbol"}, "validation_error", ["body"]),
        ({"scope": "thanh-hoa"}, "validation_error", ["body", "scope"]),
        ({"date": "7/1/2019"}, "validation_error", ["body", "date"]),
        ({"year": 2017}, "invalid_input", None),
        ({"issuer": "no-such-body"}, "invalid_input", None),
    ],
)
async def test_invalid_patches_are_422_saying_what(
    api: Api, body: dict[str, Any], code: str, where: list[str] | None
) -> None:
    response = await patch(api, CONCLUSION, body)
    assert response.status_code == 422 and response.json()["code"] == code
    if where is not None:
        assert response.json()["errors"][0]["loc"] == where


async def test_taking_a_held_key_is_a_409_naming_its_holder(api: Api) -> None:
    response = await patch(api, CONCLUSION, {"symbol": "25-NQ/TW", "date": "2013-10-09"})
    assert (
        response.status_code == 409 and RESOLUTION in response.json()["detail"] and "merge" in response.json()["detail"]
    )


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("PATCH", f"/documents/{CONCLUSION}", {"title": "x"}),
        ("DELETE", f"/documents/{CONCLUSION}", None),
        ("POST", f"/documents/{CONCLUSION}/merge", {"from": DIRECTIVE}),
    ],
)
@pytest.mark.parametrize(("scope", "status"), [(None, 401), (KeyScope.read, 403)])
async def test_corrections_need_a_write_key(
    api: Api, method: str, path: str, body: dict[str, Any] | None, scope: KeyScope | None, status: int
) -> None:
    headers = {"Authorization": f"Bearer {await api.new_key(scope)}"} if scope else {}
    response = await api.client.request(method, path, json=body, headers=headers)
    assert response.status_code == status
    assert (await api.client.get(f"/documents/{CONCLUSION}")).json()["title"] == "Về tiếp tục đổi mới"


@pytest.mark.parametrize(
    ("key", "after"),
    [(CONCLUSION, 200), (DIRECTIVE, 404), ("no-such-key", None)],  # the directive cites the conclusion
)
async def test_delete_leaves_a_stub_where_others_link(api: Api, key: str, after: int | None) -> None:
    response = await api.client.delete(f"/documents/{key}", headers=WRITE_HEADERS)
    assert response.status_code == (404 if after is None else 204)
    if after is None:
        return
    stored = await api.client.get(f"/documents/{key}")
    assert stored.status_code == after
    if after == 200:
        assert stored.json()["stub"] is True and stored.json()["title"] is None
        links = (await api.client.get(f"/documents/{key}/links")).json()["items"]
        assert [(x["source"], x["target"]) for x in links] == [(DIRECTIVE, CONCLUSION)]


async def test_merge_moves_aliases_and_links_and_redirects(api: Api) -> None:
    response = await api.client.post(f"/documents/{RESOLUTION}/merge", json={"from": DIRECTIVE}, headers=WRITE_HEADERS)
    assert response.status_code == 200
    assert "16/CT-TTg" in response.json()["aliases"]
    links = (await api.client.get(f"/documents/{RESOLUTION}/links")).json()["items"]
    assert {(x["source"], x["relation"], x["target"]) for x in links} == {
        (CONCLUSION, "implements", RESOLUTION),
        (RESOLUTION, "cites", CONCLUSION),
    }
    moved = await api.client.get(f"/documents/{DIRECTIVE}")
    assert moved.status_code == 308 and moved.headers["location"] == f"/documents/{RESOLUTION}"
    found = (await api.client.get("/documents", params={"symbol": "16/CT-TTg"})).json()["items"]
    assert [d["key"] for d in found] == [RESOLUTION]


@pytest.mark.parametrize(
    ("key", "duplicate", "status"),
    [(CONCLUSION, CONCLUSION, 422), (CONCLUSION, "nope", 422), ("nope", CONCLUSION, 404)],
)
async def test_merge_refusals(api: Api, key: str, duplicate: str, status: int) -> None:
    response = await api.client.post(f"/documents/{key}/merge", json={"from": duplicate}, headers=WRITE_HEADERS)
    assert response.status_code == status


async def test_the_change_log_shows_before_and_after(api: Api) -> None:
    await patch(api, CONCLUSION, {"symbol": "44-KL/TW"})
    await api.client.delete(f"/documents/{DIRECTIVE}", headers=WRITE_HEADERS)
    changes = (await api.client.get("/changes", headers=WRITE_HEADERS)).json()["items"]
    rekey, delete = changes[-2:]
    assert (rekey["method"], rekey["status"], rekey["keys"]) == (
        "PATCH",
        "committed",
        ["43-kl-tw-2019", "44-kl-tw-2019"],
    )
    assert [d["symbol"] for d in rekey["before"]] == ["43-KL/TW"] and [d["key"] for d in rekey["after"]] == [
        "44-kl-tw-2019"
    ]
    assert (delete["method"], [d["key"] for d in delete["before"]], delete["after"]) == ("DELETE", [DIRECTIVE], [])


async def test_a_text_with_its_document_and_links_needs_a_read_key(api: Api) -> None:
    await api.store.put_text(SourceText(id="t-43", text="Kết luận số 43-KL/TW", document_key=CONCLUSION))
    assert (await api.client.get("/texts/t-43")).status_code == 401
    headers = {"Authorization": f"Bearer {await api.new_key(KeyScope.read)}"}
    body = (await api.client.get("/texts/t-43", headers=headers)).json()
    assert (body["text"]["text"], body["document"]["key"]) == ("Kết luận số 43-KL/TW", CONCLUSION)
    assert [(x["source"], x["target"], x["span_start"]) for x in body["links"]] == [(CONCLUSION, RESOLUTION, 4)]
    assert (await api.client.get("/texts/no-such-text", headers=headers)).status_code == 404


@pytest.mark.parametrize(
    ("method", "suffix"),
    [
        ("GET", ""),
        ("GET", "/lineage?direction=up&max_depth=2"),
        ("GET", "/implementers"),
        ("GET", "/obligations"),
        ("GET", "/links?relation=implements&relation=cites"),
    ],
)
async def test_every_read_under_a_retired_key_redirects(api: Api, method: str, suffix: str) -> None:
    new_key = (await patch(api, CONCLUSION, {"symbol": "44-KL/TW"})).json()["key"]
    moved = await api.client.request(method, f"/documents/{CONCLUSION}{suffix}")
    assert moved.status_code == 308 and moved.headers["location"] == f"/documents/{new_key}{suffix}"
    assert (await api.client.request(method, moved.headers["location"])).status_code == 200
    refused = await api.client.patch(f"/documents/{CONCLUSION}", json={"title": "x"}, headers=WRITE_HEADERS)
    assert refused.status_code == 404  # writes name the current key
