"""The HTTP API on both stores, seeded at startup as `lexgraph serve` seeds an empty store."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from app.main import create_app
from tests.conftest import WRITE_HEADERS, app_settings

pytestmark = pytest.mark.api

PLAN = "138-kh-tu-2019.thanh-hoa"


async def test_health(client: httpx.AsyncClient) -> None:
    body = (await client.get("/health")).json()
    assert body["status"] == "ok" and body["reachable"] is True and body["store"] in {"sqlite", "neo4j"}


@pytest.mark.parametrize(
    ("symbol", "key"),
    [
        ("25-NQ/TW", "25-nq-tw-2013"),
        ("43-KL/TW", "43-kl-tw-2019"),
        ("43-kl/tw", "43-kl-tw-2019"),
        (" 43 - KL / TW ", "43-kl-tw-2019"),
        ("138-KH/TU", PLAN),
        ("290-QĐ/TW", "290-qd-tw-2010"),
        ("11-QĐi/TW", "11-qdi-tw-2019"),
        ("114-KL/TW", "114-kl-tw-2015"),
        ("124-QĐ/TW", "124-qd-tw-2018"),
        ("124-QĐi/TW", "124-qd-tw-2018"),
    ],
)
async def test_documents_by_symbol(client: httpx.AsyncClient, symbol: str, key: str) -> None:
    response = await client.get("/documents", params={"symbol": symbol})
    assert response.status_code == 200
    # The registry knows other documents under some of these symbols (25-NQ/TW of 2003, 124-QĐ/TW of 2023).
    assert key in [d["key"] for d in response.json()["items"]]
    year = int(key.split(".")[0].rsplit("-", 1)[1])
    narrowed = (await client.get("/documents", params={"symbol": symbol, "year": year})).json()["items"]
    assert [d["key"] for d in narrowed] == [key]


@pytest.mark.parametrize(
    ("symbol", "year", "key", "documents"),
    [("16/CT-TTg", 2016, "16-ct-ttg-2016", 3), ("18-NQ/TW", 2017, "18-nq-tw-2017", 2)],
)
async def test_reused_symbols_narrow_by_year(
    client: httpx.AsyncClient, symbol: str, year: int, key: str, documents: int
) -> None:
    every = (await client.get("/documents", params={"symbol": symbol})).json()["items"]
    assert len(every) == documents and key in {d["key"] for d in every}
    narrowed = (await client.get("/documents", params={"symbol": symbol, "year": year})).json()["items"]
    assert [d["key"] for d in narrowed] == [key]


async def test_jurisdiction_by_name_or_key(client: httpx.AsyncClient) -> None:
    by_name = (await client.get("/documents", params={"jurisdiction": "Thanh Hóa", "type": "kế hoạch"})).json()["items"]
    by_key = (await client.get("/documents", params={"jurisdiction": "thanh-hoa", "type": "Kế hoạch"})).json()["items"]
    assert by_name == by_key and PLAN in {d["key"] for d in by_key}


async def test_plan_card_and_links(client: httpx.AsyncClient) -> None:
    plan = (await client.get(f"/documents/{PLAN}")).json()
    assert plan["date"] == "2019-03-27" and plan["symbol"] == "138-KH/TU" and plan["issuer"] == "thanh-hoa.btv"
    out = (await client.get(f"/documents/{PLAN}/links", params={"direction": "out"})).json()["items"]
    assert len(out) >= 15
    assert all(
        link["source"] == PLAN and link["source_symbol"] == "138-KH/TU" and link["target_symbol"] for link in out
    )
    implements = (
        await client.get(f"/documents/{PLAN}/links", params={"direction": "out", "relation": "implements"})
    ).json()
    assert {link["relation"] for link in implements["items"]} == {"implements"}


async def test_lineage_questions(client: httpx.AsyncClient) -> None:
    up = (await client.get(f"/documents/{PLAN}/lineage", params={"direction": "up"})).json()
    assert up["root"] == PLAN
    assert {"43-kl-tw-2019", "25-nq-tw-2013"} <= {n["key"] for n in up["nodes"]}
    down = (await client.get("/documents/25-nq-tw-2013/lineage", params={"direction": "down"})).json()
    assert PLAN in {n["key"] for n in down["nodes"]}
    assert all({"source", "relation", "target"} <= e.keys() for e in down["edges"])
    implementers = (await client.get("/documents/25-nq-tw-2013/implementers", params={"level": "province"})).json()
    assert [(d["key"], d["via"]) for d in implementers["items"]] == [(PLAN, ["43-kl-tw-2019"])]
    assert (implementers["total"], implementers["depth_counts"], implementers["level_counts"]) == (
        1,
        {"2": 1},
        {"province": 1},
    )
    paths = (await client.get("/paths", params={"from": PLAN, "to": "25-nq-tw-2013"})).json()["paths"]
    assert paths and paths[0]["nodes"][0]["key"] == PLAN and paths[0]["nodes"][-1]["key"] == "25-nq-tw-2013"


@pytest.mark.parametrize("question", ["lineage", "implementers"])
async def test_lineage_pages_follow_next_offset(client: httpx.AsyncClient, question: str) -> None:
    url = f"/documents/25-nq-tw-2013/{question}"
    items = "nodes" if question == "lineage" else "items"
    whole = (await client.get(url)).json()
    assert whole["truncated"] is False and whole["next_offset"] is None and whole["total"] == len(whole[items]) >= 2
    pages, offset = [], 0
    while offset is not None:
        page = (await client.get(url, params={"limit": 1, "offset": offset})).json()
        assert len(page[items]) == 1 and page["total"] == whole["total"]
        assert (page["depth_counts"], page["level_counts"]) == (whole["depth_counts"], whole["level_counts"])
        assert page["truncated"] == (page["next_offset"] is not None)
        pages.append(page)
        offset = page["next_offset"]
    assert [item for page in pages for item in page[items]] == whole[items]
    if question == "lineage":
        assert sorted(str(e) for page in pages for e in page["edges"]) == sorted(str(e) for e in whole["edges"])


@pytest.mark.parametrize("direction", ["down", "up"])
async def test_lineage_outline_is_the_whole_lineage_by_position(client: httpx.AsyncClient, direction: str) -> None:
    root = "25-nq-tw-2013" if direction == "down" else PLAN
    params = {"direction": direction, "max_depth": 4}
    whole = (await client.get(f"/v1/documents/{root}/lineage", params=params)).json()
    outline = (await client.get(f"/v1/documents/{root}/lineage/outline", params=params)).json()
    assert outline["keys"] == [n["key"] for n in whole["nodes"]] and outline["total"] == whole["total"] >= 3
    assert outline["years"] == [n["year"] for n in whole["nodes"]]
    named = [[outline["keys"][s], relation, outline["keys"][t]] for s, relation, t in outline["links"]]
    assert named == [[e["source"], e["relation"], e["target"]] for e in whole["edges"]]
    assert outline["parents"][0] == -1 and all(
        outline["depths"][p] == depth - 1
        for p, depth in zip(outline["parents"][1:], outline["depths"][1:], strict=True)
    )


@pytest.mark.parametrize(
    ("url", "params"),
    [
        (f"/documents/{PLAN}/lineage", {"max_depth": -1}),
        (f"/documents/{PLAN}/lineage", {"max_depth": 26}),
        (f"/documents/{PLAN}/lineage", {"direction": "sideways"}),
        (f"/documents/{PLAN}/lineage", {"limit": 0}),
        (f"/documents/{PLAN}/lineage", {"limit": 5001}),
        (f"/documents/{PLAN}/lineage", {"offset": -1}),
        (f"/documents/{PLAN}/lineage/outline", {"max_depth": 26}),
        (f"/documents/{PLAN}/lineage/outline", {"relation": "loves"}),
        ("/documents/25-nq-tw-2013/implementers", {"limit": 0}),
        ("/documents/25-nq-tw-2013/implementers", {"offset": -1}),
        ("/documents/25-nq-tw-2013/implementers", {"offset": "ten"}),
        (f"/documents/{PLAN}/links", {"direction": "sideways"}),
        (f"/documents/{PLAN}/links", {"relation": "loves"}),
        ("/documents", {"level": "galaxy"}),
        ("/documents", {"year": "abc"}),
        ("/paths", {"from": PLAN}),
        ("/paths", {"from": PLAN, "to": "25-nq-tw-2013", "max_length": 0}),
    ],
)
async def test_bad_parameters_are_422(client: httpx.AsyncClient, url: str, params: dict[str, object]) -> None:
    response = await client.get(url, params=params)
    assert response.status_code == 422
    assert response.json()["detail"]


@pytest.mark.parametrize(
    "url",
    [
        "/documents/no-such-doc",
        "/documents/no-such-doc/lineage",
        "/documents/no-such-doc/lineage/outline",
        "/documents/no-such-doc/links",
        "/documents/no-such-doc/implementers",
        f"/paths?from={PLAN}&to=no-such-doc",
    ],
)
async def test_unknown_keys_are_404_naming_them(client: httpx.AsyncClient, url: str) -> None:
    response = await client.get(url)
    assert response.status_code == 404
    assert "no-such-doc" in response.json()["detail"]


async def test_writes_need_a_key(client: httpx.AsyncClient) -> None:
    body = {"symbol": "99-KL/TW", "date": "2020-02-02", "issuer": "ban-bi-thu"}
    assert (await client.post("/documents", json=body)).status_code == 401
    wrong = await client.post("/documents", json=body, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401


async def test_create_document_and_link_idempotently(client: httpx.AsyncClient) -> None:
    before = (await client.get("/stats")).json()
    body = {
        "symbol": "5-KH/TU",
        "type": "Kế hoạch",
        "date": "2019-06-01",
        "issuer": "nghe-an.btv",
        "title": "Kế hoạch thực hiện Kết luận 43",
    }
    first = await client.post("/documents", json=body, headers=WRITE_HEADERS)
    assert first.status_code == 201
    doc = first.json()
    assert first.headers["location"] == f"/documents/{doc['key']}"
    assert doc["key"] == "5-kh-tu-2019.nghe-an" and doc["level"] == "province" and doc["jurisdiction"] == "nghe-an"
    assert (await client.post("/documents", json=body, headers=WRITE_HEADERS)).json() == doc
    link = {"source": doc["key"], "relation": "implements", "target": "43-kl-tw-2019"}
    created = await client.post("/links", json=link, headers=WRITE_HEADERS)
    assert created.status_code == 201 and created.json()["target_symbol"] == "43-KL/TW"
    await client.post("/links", json=link, headers=WRITE_HEADERS)
    after = (await client.get("/stats")).json()
    assert (after["documents"], after["links"]) == (before["documents"] + 1, before["links"] + 1)
    implementers = (await client.get("/documents/25-nq-tw-2013/implementers", params={"level": "province"})).json()
    assert {d["key"] for d in implementers["items"]} == {PLAN, doc["key"]}


@pytest.mark.parametrize(
    "body",
    [
        {"symbol": "", "issuer": "bch-tw"},
        {"symbol": "7-KL/TW", "issuer": "no-such-org"},
        {"symbol": "7-KH/TU", "date": "2020-01-01"},
        {"symbol": "7-KL/TW", "date": "not-a-date"},
        {"symbol": "7-KL/TW", "effective_from": "2020-02-02", "effective_to": "2020-01-01"},
    ],
    ids=["empty-symbol", "unknown-issuer", "local-without-jurisdiction", "bad-date", "effect-dates-reversed"],
)
async def test_bad_documents_are_422(client: httpx.AsyncClient, body: dict[str, object]) -> None:
    before = (await client.get("/stats")).json()
    response = await client.post("/documents", json=body, headers=WRITE_HEADERS)
    assert response.status_code == 422 and response.json()["detail"]
    assert (await client.get("/stats")).json() == before


async def test_bad_links(client: httpx.AsyncClient) -> None:
    unknown = await client.post(
        "/links", json={"source": PLAN, "relation": "cites", "target": "ghost"}, headers=WRITE_HEADERS
    )
    assert unknown.status_code == 422 and "ghost" in unknown.json()["detail"]
    bad_relation = await client.post(
        "/links", json={"source": PLAN, "relation": "loves", "target": PLAN}, headers=WRITE_HEADERS
    )
    assert bad_relation.status_code == 422


async def test_openapi_is_served(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/openapi.json")).json()
    documented = {"/v1/health", "/v1/documents", "/v1/documents/{key}/lineage", "/v1/paths", "/v1/links"}
    assert documented <= schema["paths"].keys()
    assert (await client.get("/docs")).status_code == 200


async def test_writes_are_disabled_without_configured_keys(tmp_path: Path) -> None:
    app = create_app(app_settings("sqlite", tmp_path, api_keys="", load_seeds=False))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as plain,
    ):
        response = await plain.post(
            "/links", json={"source": "a", "relation": "cites", "target": "b"}, headers=WRITE_HEADERS
        )
    assert response.status_code == 403
    assert "LEXGRAPH_API_KEYS" in response.json()["detail"]


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_api_docs_load_with_no_network(client: httpx.AsyncClient, page: str) -> None:
    html = (await client.get(page)).text
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and all(a.startswith("/") for a in assets), assets
    assert not re.search(r"https?://", html.replace("http://lexgraph.test", ""))
    for asset in assets:
        response = await client.get(asset)
        assert response.status_code == 200 and len(response.content) > 1000, asset
