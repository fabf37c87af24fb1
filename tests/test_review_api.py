"""The review flow over HTTP on both stores: write checks, the queue, decisions, views, the change log."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import WRITE_HEADERS

pytestmark = pytest.mark.api

PLAN = "138-kh-tu-2019.thanh-hoa"  # 2019-03-27
LATER = "18-nq-tw-2022"
RESOLUTION = "25-nq-tw-2013"


def proposal(relation: str, target: str, text: str = "text-1", confidence: float = 0.4) -> dict[str, Any]:
    return {
        "source": PLAN,
        "relation": relation,
        "target": target,
        "origin": "extracted",
        "evidence": "căn cứ",
        "source_text_id": text,
        "confidence": confidence,
    }


async def propose(client: httpx.AsyncClient, relation: str, target: str, **fields: Any) -> dict[str, Any]:
    response = await client.post("/links", json=proposal(relation, target, **fields), headers=WRITE_HEADERS)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"source": PLAN, "relation": "cites", "target": PLAN}, "itself"),
        ({"source": PLAN, "relation": "cites", "target": "ghost"}, "ghost"),
        ({"source": "ghost", "relation": "cites", "target": PLAN}, "ghost"),
        ({"source": PLAN, "relation": "implements", "target": LATER}, "force"),
    ],
)
async def test_bad_links_are_422_with_the_reason(client: httpx.AsyncClient, body: dict[str, Any], detail: str) -> None:
    response = await client.post("/links", json=body, headers=WRITE_HEADERS)
    assert response.status_code == 422 and detail in response.json()["detail"]


async def test_a_forced_link_is_flagged(client: httpx.AsyncClient) -> None:
    body = {"source": PLAN, "relation": "implements", "target": LATER, "force": True}
    response = await client.post("/links", json=body, headers=WRITE_HEADERS)
    assert response.status_code == 201 and response.json()["flagged"] is True


@pytest.mark.parametrize("path", ["/links", "/links/0123abcd"])
async def test_the_queue_needs_a_key(client: httpx.AsyncClient, path: str) -> None:
    assert (await client.get(path)).status_code == 401


async def test_the_queue_pages_lowest_confidence_first(client: httpx.AsyncClient) -> None:
    cited = [await propose(client, "cites", LATER, text=f"t{n}", confidence=0.7) for n in range(2)]
    low = await propose(client, "based_on", RESOLUTION, confidence=0.2)
    mid = await propose(client, "guides", RESOLUTION, confidence=0.3)
    first = (await client.get("/links", params={"limit": 2}, headers=WRITE_HEADERS)).json()
    assert [link["id"] for link in first["items"]] == [low["id"], mid["id"]] and first["next"] == "2"
    rest = (await client.get("/links", params={"limit": 2, "next": first["next"]}, headers=WRITE_HEADERS)).json()
    assert [link["id"] for link in rest["items"]] == [cited[0]["id"]] and rest["next"] is None
    by_text = (await client.get("/links", params={"text": "t1"}, headers=WRITE_HEADERS)).json()["items"]
    assert [link["id"] for link in by_text] == [cited[1]["id"]] == [cited[0]["id"]]  # one link, seen in two texts
    assert [p["text_id"] for p in by_text[0]["provenance"]] == ["t0", "t1"]


async def test_accept_reject_and_the_change_log(client: httpx.AsyncClient) -> None:
    link = await propose(client, "cites", LATER)
    assert link["review"] == "proposed"
    for review in ("accepted", "rejected"):
        response = await client.patch(f"/links/{link['id']}", json={"review": review}, headers=WRITE_HEADERS)
        assert response.status_code == 200 and response.json()["link"]["review"] == review
    changes = (await client.get("/changes", headers=WRITE_HEADERS)).json()["items"]
    decisions = [c for c in changes if c["method"] == "PATCH"]
    assert [(c["before"][0]["review"], c["after"][0]["review"]) for c in decisions] == [
        ("proposed", "accepted"),
        ("accepted", "rejected"),
    ]
    out = (await client.get(f"/documents/{PLAN}/links", params={"direction": "out"})).json()["items"]
    assert link["id"] not in {x["id"] for x in out}  # rejected links never count


async def test_a_correction_over_http(client: httpx.AsyncClient) -> None:
    wrong = await propose(client, "based_on", RESOLUTION)
    response = await client.patch(f"/links/{wrong['id']}", json={"relation": "implements"}, headers=WRITE_HEADERS)
    body = response.json()
    assert response.status_code == 200 and body["link"]["review"] == "rejected"
    assert body["corrected"]["review"] == "accepted" and body["link"]["corrected_to"] == body["corrected"]["id"]
    fetched = (await client.get(f"/links/{body['corrected']['id']}", headers=WRITE_HEADERS)).json()
    assert (fetched["relation"], fetched["target"]) == ("implements", RESOLUTION)


@pytest.mark.parametrize(
    "body",
    [{}, {"review": "proposed"}, {"review": "accepted", "relation": "cites"}, {"relation": "loves"}, {"x": 1}],
)
async def test_bad_decisions_are_422(client: httpx.AsyncClient, body: dict[str, Any]) -> None:
    link = await propose(client, "cites", LATER)
    response = await client.patch(f"/links/{link['id']}", json=body, headers=WRITE_HEADERS)
    assert response.status_code == 422


@pytest.mark.parametrize(("method", "body"), [("GET", None), ("PATCH", {"review": "accepted"}), ("DELETE", None)])
async def test_unknown_ids_are_404(client: httpx.AsyncClient, method: str, body: dict[str, Any] | None) -> None:
    response = await client.request(method, "/links/0123abcd", json=body, headers=WRITE_HEADERS)
    assert response.status_code == 404


async def test_delete(client: httpx.AsyncClient) -> None:
    link = await propose(client, "cites", LATER)
    assert (await client.delete(f"/links/{link['id']}", headers=WRITE_HEADERS)).status_code == 204
    assert (await client.get(f"/links/{link['id']}", headers=WRITE_HEADERS)).status_code == 404


@pytest.mark.parametrize(
    ("params", "status"),
    [({"review": "accepted"}, 200), ({"as_of": "2015-01-01"}, 200), ({"as_of": "2015"}, 422), ({"review": "x"}, 422)],
)
async def test_views_on_reads(client: httpx.AsyncClient, params: dict[str, str], status: int) -> None:
    for path in (f"/documents/{RESOLUTION}/lineage", f"/documents/{RESOLUTION}/implementers", "/paths"):
        query = params | ({"from": RESOLUTION, "to": "290-qd-tw-2010"} if path == "/paths" else {})
        assert (await client.get(path, params=query)).status_code == status, path


async def test_as_of_leaves_later_documents_out(client: httpx.AsyncClient) -> None:
    now = (await client.get(f"/documents/{RESOLUTION}/lineage")).json()
    then = (await client.get(f"/documents/{RESOLUTION}/lineage", params={"as_of": "2016-12-31"})).json()
    assert PLAN in {n["key"] for n in now["nodes"]} and PLAN not in {n["key"] for n in then["nodes"]}
    assert all(n["date"] is None or n["date"] <= "2016-12-31" for n in then["nodes"])
    assert all("review" in e for e in then["edges"])
