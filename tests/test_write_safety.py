"""The data-loss reproductions over HTTP on both stores: no write changes another document, every spelling
is one document, every bad input is a 422 in the one error shape."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import WRITE_HEADERS

pytestmark = pytest.mark.api

CONCLUSION = "43-kl-tw-2019"
CONCLUSION_FIELDS = ("symbol", "type", "title", "issuer", "level", "jurisdiction", "term", "date")


async def _fields(client: httpx.AsyncClient, key: str) -> dict[str, Any]:
    response = await client.get(f"/documents/{key}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return {name: body[name] for name in CONCLUSION_FIELDS}


async def _post(client: httpx.AsyncClient, path: str, body: object) -> httpx.Response:
    return await client.post(path, json=body, headers=WRITE_HEADERS)


def _assert_error(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["code"] == code and body["detail"]
    return body


@pytest.mark.parametrize(
    "symbol",
    ["43-KL/TW!", "   ", "/", "../..", "-", "KL/TW", "43-KL/TW 2019 extra!", "12 NQ"],
    ids=["trailing-bang", "spaces", "slash", "dots", "dash", "no-number", "junk-after", "one-code"],
)
async def test_a_symbol_that_does_not_parse_is_refused(client: httpx.AsyncClient, symbol: str) -> None:
    before = await _fields(client, CONCLUSION)
    body = _assert_error(
        await _post(client, "/documents", {"symbol": symbol, "date": "2019-01-07"}), 422, "validation_error"
    )
    assert body["errors"][0]["loc"][:1] == ["body"]
    assert await _fields(client, CONCLUSION) == before
    found = (await client.get("/search", params={"q": "43-KL/TW"})).json()["items"]
    assert found[0]["key"] == CONCLUSION


@pytest.mark.parametrize(
    ("spelling", "key"),
    [("18.NQ.TW", "18-nq-tw-2017"), ("18 nq/tw", "18-nq-tw-2017"), ("Nghị quyết số 18-NQ/TW", "18-nq-tw-2017")],
    ids=["dots", "space-lowercase", "type-word"],
)
async def test_a_variant_spelling_merges_into_the_document_without_rewriting_it(
    client: httpx.AsyncClient, spelling: str, key: str
) -> None:
    before = await _fields(client, key)
    response = await _post(client, "/documents", {"symbol": spelling, "date": "2017-10-25"})
    assert response.status_code == 201, response.text
    assert response.json()["key"] == key
    assert await _fields(client, key) == before


async def test_every_spelling_is_one_document_and_keeps_the_first_symbol(client: httpx.AsyncClient) -> None:
    keys = set()
    for spelling in ("3001 nq/tw", "3001-NQ/TW", "3001-nq-tw", "số 3001-NQ/TƯ", "3001.NQ.TW"):
        response = await _post(client, "/documents", {"symbol": spelling, "date": "2024-02-01", "issuer": "bch-tw"})
        assert response.status_code == 201, (spelling, response.text)
        keys.add(response.json()["key"])
    assert keys == {"3001-nq-tw-2024"}
    listed = (await client.get("/documents", params={"symbol": "3001-NQ/TW"})).json()["items"]
    assert [(d["key"], d["symbol"]) for d in listed] == [("3001-nq-tw-2024", "3001-NQ/TW")]


async def test_a_create_with_other_values_is_a_conflict_naming_the_document(client: httpx.AsyncClient) -> None:
    before = await _fields(client, CONCLUSION)
    body = {"symbol": "43-KL/TW", "date": "2019-01-07", "title": "Một tiêu đề khác", "type": "Chỉ thị"}
    conflict = _assert_error(await _post(client, "/documents", body), 409, "conflict")
    assert CONCLUSION in conflict["detail"] and "title" in conflict["detail"]
    assert await _fields(client, CONCLUSION) == before


async def test_a_create_that_leaves_fields_out_never_empties_them(client: httpx.AsyncClient) -> None:
    before = await _fields(client, CONCLUSION)
    response = await _post(client, "/documents", {"symbol": "43-kl/tw", "date": "2019-01-07"})
    assert response.status_code == 201 and response.json()["key"] == CONCLUSION
    assert await _fields(client, CONCLUSION) == before


async def test_a_stub_is_completed_by_a_create(client: httpx.AsyncClient) -> None:
    stub = "92-kh-tu.thanh-hoa"
    assert (await client.get(f"/documents/{stub}")).json()["stub"] is True
    body = {"symbol": "92-KH/TU", "issuer": "thanh-hoa.btv", "title": "Kế hoạch thực hiện Quy định 124"}
    response = await _post(client, "/documents", body)
    assert response.status_code == 201, response.text
    assert response.json()["key"] == stub and response.json()["title"] == body["title"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "Kế hoạch\x00 số 1"),
        ("title", "Kế hoạch\u200b số 1"),
        ("title", "Kế hoạch \u202esố 1"),
        ("symbol", "12-KH/TU\u2066"),
        ("title", "hai\ndòng"),
    ],
    ids=["nul", "zero-width", "rtl-override", "bidi-isolate", "line-break"],
)
async def test_invisible_characters_are_refused_with_a_reason(
    client: httpx.AsyncClient, field: str, value: str
) -> None:
    body = {"symbol": "12-KH/TU", "issuer": "nghe-an.btv", "date": "2019-05-02"} | {field: value}
    error = _assert_error(await _post(client, "/documents", body), 422, "validation_error")
    assert error["errors"][0]["loc"] == ["body", field]
    assert "U+" in error["errors"][0]["msg"]
    assert (await client.get("/documents", params={"symbol": "12-KH/TU"})).json()["items"] == []


@pytest.mark.parametrize(
    ("path", "raw"),
    [
        ("/documents", b'{"symbol": "12-KH/TU", "issuer": "nghe-an.btv", "date": NaN}'),
        ("/links", b'{"source": "a", "relation": "cites", "target": "b", "confidence": Infinity}'),
        ("/documents", b'{"symbol": "12-KH/TU", "title": "\\ud800", "issuer": "nghe-an.btv"}'),
        (
            "/links",
            b'{"source": "138-kh-tu-2019.thanh-hoa", "relation": "cites", "target": "43-kl-tw-2019", '
            b'"span_start": 1e30}',
        ),
        (
            "/links",
            b'{"source": "138-kh-tu-2019.thanh-hoa", "relation": "cites", "target": "43-kl-tw-2019", '
            b'"confidence": false}',
        ),
        ("/documents", b'{"symbol": "12-KH/TU", "issuer": "nghe-an.btv", "date": 0}'),
        ("/documents", b'{"symbol": "12-KH/TU", "issuer": "nghe-an.btv", "date": "0"}'),
        ("/documents", b'{"symbol": "12-KH/TU", "issuer": "nghe-an.btv", "date": "2019-05-02T00:00:00"}'),
        ("/documents", b'{"symbol": "12-KH/TU", '),
    ],
    ids=[
        "nan",
        "infinity",
        "lone-surrogate",
        "huge-number",
        "bool-as-number",
        "day-as-0",
        "day-as-'0'",
        "timestamp-for-day",
        "truncated",
    ],
)
async def test_unrepresentable_json_is_422(client: httpx.AsyncClient, path: str, raw: bytes) -> None:
    response = await client.post(path, content=raw, headers=WRITE_HEADERS | {"Content-Type": "application/json"})
    body = _assert_error(response, 422, "validation_error")
    assert body["errors"]


@pytest.mark.parametrize("as_of", ["0", "2019", "1e3", "2019-13-01", "yesterday"])
async def test_days_in_queries_are_iso_only(client: httpx.AsyncClient, as_of: str) -> None:
    response = await client.get("/organizations", params={"level": "province", "as_of": as_of})
    _assert_error(response, 422, "validation_error")


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("GET", "/documents/no-such-doc", 404, "not_found"),
        ("POST", "/documents", 401, "unauthorized"),
        ("GET", "/documents?limit=0", 422, "validation_error"),
    ],
)
async def test_one_error_shape_for_every_status(
    client: httpx.AsyncClient, method: str, path: str, status: int, code: str
) -> None:
    response = await client.request(method, path, json={"symbol": "1-KH/TU"} if method == "POST" else None)
    body = _assert_error(response, status, code)
    assert set(body) <= {"code", "detail", "errors"}
    documented = (await client.get("/openapi.json")).json()["paths"]
    route = "/v1/documents/{key}" if path.startswith("/documents/") else "/v1/documents"
    assert str(status) in documented[route][method.lower()]["responses"]
