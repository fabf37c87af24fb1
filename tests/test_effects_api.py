"""Effects and time over HTTP on both stores: statuses derived from links and dates, as_of, the timeline."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import WRITE_HEADERS

pytestmark = pytest.mark.api

DECREE = {"symbol": "15/2020/NĐ-CP", "date": "2020-02-03", "issuer": "chinh-phu", "title": "Nghị định gốc"}
AMENDING = {"symbol": "14/2022/NĐ-CP", "date": "2022-01-27", "issuer": "chinh-phu", "title": "Nghị định sửa đổi"}
OLD_DECISION = {"symbol": "12/2016/QĐ-UBND", "date": "2016-03-01", "issuer": "thanh-hoa.ubnd", "title": "Quyết định cũ"}
NEW_DECISION = {
    "symbol": "20/2018/QĐ-UBND",
    "date": "2018-05-01",
    "effective_from": "2018-05-15",
    "issuer": "thanh-hoa.ubnd",
    "title": "Quyết định thay thế",
}
REPEALED = {"symbol": "5/2017/QĐ-UBND", "date": "2017-01-10", "issuer": "thanh-hoa.ubnd", "title": "Quyết định bãi bỏ"}
REPEALING = {"symbol": "30/2019/QĐ-UBND", "date": "2019-07-01", "issuer": "thanh-hoa.ubnd", "title": "Quyết định bãi"}


async def _document(client: httpx.AsyncClient, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post("/documents", json=body, headers=WRITE_HEADERS)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def _link(client: httpx.AsyncClient, source: str, relation: str, target: str, **extra: object) -> None:
    body = {"source": source, "relation": relation, "target": target, **extra}
    response = await client.post("/links", json=body, headers=WRITE_HEADERS)
    assert response.status_code == 201, response.text


async def _status(client: httpx.AsyncClient, key: str, **params: str) -> str:
    response = await client.get(f"/documents/{key}", params=params)
    assert response.status_code == 200, response.text
    return str(response.json()["status"])


async def test_amended_decree_and_its_timeline(client: httpx.AsyncClient) -> None:
    decree = await _document(client, DECREE)
    amending = await _document(client, AMENDING)
    assert decree["status"] == "in_force"
    await _link(client, amending["key"], "amends", decree["key"])
    assert await _status(client, decree["key"]) == "amended"
    assert await _status(client, decree["key"], as_of="2021-01-01") == "in_force"
    timeline = (await client.get(f"/documents/{decree['key']}/timeline")).json()
    events = [(e["day"], e["event"], e["document"]) for e in timeline["entries"]]
    assert events == [
        ("2020-02-03", "issued", None),
        ("2020-02-03", "in_force", None),
        ("2022-01-27", "amended", amending["key"]),
    ]
    theirs = (await client.get(f"/documents/{amending['key']}/timeline")).json()["entries"]
    assert ("amends", decree["key"]) in [(e["event"], e["document"]) for e in theirs]


async def test_replaced_decision_today_and_before(client: httpx.AsyncClient) -> None:
    old = await _document(client, OLD_DECISION)
    new = await _document(client, NEW_DECISION)
    await _link(client, new["key"], "replaces", old["key"])
    today = (await client.get(f"/documents/{old['key']}")).json()
    assert today["status"] == "replaced" and today["effective_to"] == "2018-05-15" and today["status_links"]
    assert await _status(client, old["key"], as_of="2018-05-14") == "in_force"
    assert await _status(client, old["key"], as_of="2018-05-15") == "replaced"
    listed = (await client.get("/documents", params={"symbol": "12/2016/QĐ-UBND", "in_force": "true"})).json()
    assert listed["items"] == []
    before = {"symbol": "12/2016/QĐ-UBND", "in_force": "true", "as_of": "2017-01-01"}
    assert [d["key"] for d in (await client.get("/documents", params=before)).json()["items"]] == [old["key"]]


async def test_repealed_and_partly_repealed(client: httpx.AsyncClient) -> None:
    repealed = await _document(client, REPEALED)
    repealing = await _document(client, REPEALING)
    await _link(client, repealing["key"], "repeals", repealed["key"])
    assert await _status(client, repealed["key"]) == "repealed"
    by_status = (await client.get("/documents", params={"symbol": "5/2017/QĐ-UBND", "status": "repealed"})).json()
    assert [d["key"] for d in by_status["items"]] == [repealed["key"]]
    decree = await _document(client, DECREE)
    amending = await _document(client, AMENDING)
    await _link(client, amending["key"], "repeals", decree["key"], partial=True)
    assert await _status(client, decree["key"]) == "partly_repealed"


async def test_as_of_before_the_date_hides_the_document(client: httpx.AsyncClient) -> None:
    decree = await _document(client, DECREE)
    assert (await client.get(f"/documents/{decree['key']}", params={"as_of": "2020-02-02"})).status_code == 404
    assert (await client.get(f"/documents/{decree['key']}", params={"as_of": "2020-02-03"})).status_code == 200
    listed = await client.get("/documents", params={"symbol": DECREE["symbol"], "as_of": "2019-12-31"})
    assert listed.json()["items"] == []


async def test_a_date_change_recomputes_what_the_document_changed(client: httpx.AsyncClient) -> None:
    old = await _document(client, OLD_DECISION)
    new = await _document(client, {**NEW_DECISION, "effective_from": None, "date": None, "symbol": "21/QĐ-UBND"})
    await _link(client, new["key"], "replaces", old["key"])
    assert (await client.get(f"/documents/{old['key']}")).json()["effective_to"] is None
    await _document(client, {**NEW_DECISION, "symbol": "21/QĐ-UBND", "date": "2018-05-01", "effective_from": None})
    assert (await client.get(f"/documents/{old['key']}")).json()["effective_to"] == "2018-05-01"


async def test_curated_status_wins(client: httpx.AsyncClient) -> None:
    old = await _document(client, {**OLD_DECISION, "status": "expired"})
    new = await _document(client, NEW_DECISION)
    await _link(client, new["key"], "replaces", old["key"])
    body = (await client.get(f"/documents/{old['key']}")).json()
    assert (body["status"], body["status_source"]) == ("expired", "curated")


@pytest.mark.parametrize(
    ("key", "day", "name"),
    [
        ("hue", "2019-06-01", "Tỉnh Thừa Thiên Huế"),
        ("hue", "2024-12-31", "Tỉnh Thừa Thiên Huế"),
        ("hue", "2025-01-01", "Thành phố Huế"),
        ("hue", None, "Thành phố Huế"),
        ("hue.ubnd", "2019-06-01", "Ủy ban nhân dân tỉnh Thừa Thiên Huế"),
    ],
)
async def test_organization_named_as_of(client: httpx.AsyncClient, key: str, day: str | None, name: str) -> None:
    params = {"as_of": day} if day else {}
    assert (await client.get(f"/organizations/{key}", params=params)).json()["name"] == name
    listed = (await client.get("/organizations", params={"q": "Huế", "level": "province", **params})).json()["items"]
    assert [o["name"] for o in listed if o["key"] == key] in ([name], [])
    everyone = (await client.get("/organizations", params={"parent": "vn", "limit": 1000})).json()["items"]
    [hue] = [o for o in everyone if o["key"] == "hue"]
    assert hue["names"][0]["valid_to"] == "2024-12-31" and "175-2024-QH15" in hue["names"][0]["source"]


@pytest.mark.parametrize(("as_of", "name"), [("2019-12-31", "Tỉnh Thừa Thiên Huế"), ("2026-06-01", "Thành phố Huế")])
async def test_an_audit_names_each_unit_as_it_was_named_that_day(
    client: httpx.AsyncClient, as_of: str, name: str
) -> None:
    params = {"document": "43-kl-tw-2019", "as_of": as_of, "level": "province"}
    response = await client.get("/audit/implementation", params=params)
    assert response.status_code == 200, response.text
    rows = response.json()["rows"]
    assert [r["organization"]["name"] for r in rows if "hue" in r["organization"]["key"]] == [name]
