"""GET /paths over HTTP: the k shortest chains, direction, relations, bounds and errors, on both stores."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.api

PLAN = "138-kh-tu-2019.thanh-hoa"
EARLIER_PLAN = "73-kh-tu-2018.thanh-hoa"
RESOLUTION = "25-nq-tw-2013"


async def chains(client: httpx.AsyncClient, **params: Any) -> dict[str, Any]:
    response = await client.get("/paths", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def keys(body: dict[str, Any]) -> list[list[str]]:
    return [[n["key"] for n in p["nodes"]] for p in body["paths"]]


async def test_k_shortest_chains_with_their_links(client: httpx.AsyncClient) -> None:
    body = await chains(client, **{"from": EARLIER_PLAN, "to": RESOLUTION, "k": 4, "max_length": 4})
    assert not body["partial"] and body["expanded"] > 0
    assert keys(body)[0] == [EARLIER_PLAN, PLAN, RESOLUTION] and len(body["paths"]) == 4
    assert [p["length"] for p in body["paths"]] == sorted(p["length"] for p in body["paths"])
    for path in body["paths"]:
        assert path["length"] == len(path["edges"]) == len(path["nodes"]) - 1
        dates = {n["key"]: n["date"] for n in path["nodes"]}
        for edge, (a, b) in zip(path["edges"], zip(path["nodes"], path["nodes"][1:], strict=False), strict=True):
            assert {edge["source"], edge["target"]} == {a["key"], b["key"]}
            assert edge["review"] == "accepted" and edge["date"] == dates[edge["source"]] and edge["relation"]


@pytest.mark.parametrize(
    ("params", "expected_first"),
    [
        pytest.param({"from": PLAN, "to": RESOLUTION, "directed": "true"}, [PLAN, RESOLUTION], id="along-links"),
        pytest.param({"from": RESOLUTION, "to": PLAN, "directed": "true"}, None, id="against-links"),
        pytest.param({"from": RESOLUTION, "to": PLAN}, [RESOLUTION, PLAN], id="undirected"),
        pytest.param(
            {"from": PLAN, "to": RESOLUTION, "relation": ["implements", "continues"]},
            [PLAN, "43-kl-tw-2019", RESOLUTION],
            id="relations-repeated",
        ),
        pytest.param({"from": PLAN, "to": RESOLUTION, "relation": "repeals"}, None, id="relation-absent"),
        pytest.param({"from": PLAN, "to": RESOLUTION, "review": "accepted"}, [PLAN, RESOLUTION], id="accepted"),
    ],
)
async def test_direction_relations_and_view(
    client: httpx.AsyncClient, params: dict[str, Any], expected_first: list[str] | None
) -> None:
    found = keys(await chains(client, **params))
    assert (found[0] if found else None) == expected_first


async def test_k_and_limit_bound_the_answer(client: httpx.AsyncClient) -> None:
    many = await chains(client, **{"from": EARLIER_PLAN, "to": RESOLUTION, "k": 20, "max_length": 5})
    assert len(many["paths"]) > 2
    for name in ("k", "limit"):
        two = await chains(client, **{"from": EARLIER_PLAN, "to": RESOLUTION, name: 2, "max_length": 5})
        assert keys(two) == keys(many)[:2]


@pytest.mark.parametrize(
    "params",
    [
        {"from": PLAN, "to": RESOLUTION, "max_length": 26},
        {"from": PLAN, "to": RESOLUTION, "k": 0},
        {"from": PLAN, "to": RESOLUTION, "k": 101},
        {"from": PLAN, "to": RESOLUTION, "directed": "sideways"},
        {"from": PLAN, "to": RESOLUTION, "relation": "loves"},
        {"from": PLAN, "to": RESOLUTION, "review": "rejected"},
        {"from": PLAN, "to": RESOLUTION, "as_of": "2019"},
    ],
)
async def test_bad_parameters_are_422(client: httpx.AsyncClient, params: dict[str, Any]) -> None:
    response = await client.get("/paths", params=params)
    assert response.status_code == 422 and response.json()["code"] == "validation_error"


async def test_an_end_not_yet_issued_on_the_day_is_not_found(client: httpx.AsyncClient) -> None:
    response = await client.get("/paths", params={"from": PLAN, "to": RESOLUTION, "as_of": "2019-01-01"})
    assert response.status_code == 404, response.text
    assert PLAN in response.json()["detail"]
