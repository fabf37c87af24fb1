"""The change feed: JSON Feed 1.1 and Atom 1.0, filtered, newest first, paged by cursor, on both stores."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from graph.events import EventFilter, EventKind, document_event, event, facets_of, with_facets
from graph.feed import ATOM_NS, JSON_FEED_VERSION, FeedPage, atom_feed, item_title, json_feed
from graph.models import Document, Level
from tests.conftest import STORE_KINDS, WRITE_HEADERS
from tests.test_keys import Api, serve_api

CONCLUSION = "43-kl-tw-2019"
A = f"{{{ATOM_NS}}}"


@pytest.fixture(params=STORE_KINDS)
async def api(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Api]:
    async for served in serve_api(request.param, tmp_path, webhook_dispatch=False):
        yield served


async def add_plan(api: Api, number: int, province: str, implements: str | None = None) -> str:
    body = {"symbol": f"{number}-KH/TU", "type": "Kế hoạch", "date": "2022-02-02", "issuer": f"{province}.btv"}
    key: str = (await api.client.post("/v1/documents", json=body, headers=WRITE_HEADERS)).json()["key"]
    if implements:
        link = {"source": key, "relation": "implements", "target": implements}
        await api.client.post("/v1/links", json=link, headers=WRITE_HEADERS)
    return key


@pytest.mark.api
async def test_feed_filters_pages_and_formats(api: Api) -> None:
    implementing = await add_plan(api, 701, "nghe-an", CONCLUSION)
    await add_plan(api, 702, "thanh-hoa")
    await add_plan(api, 703, "nghe-an")
    feed = (await api.client.get("/v1/feed", params={"implements": CONCLUSION, "limit": 5})).json()
    assert feed["version"] == JSON_FEED_VERSION
    assert [(i["tags"], i["_lexgraph"]["document"]) for i in feed["items"]][:1] == [(["link.created"], implementing)]
    assert all(CONCLUSION in i["_lexgraph"]["facets"]["implements"] for i in feed["items"])
    local = (await api.client.get("/feed", params={"jurisdiction": "Nghệ An", "limit": 1})).json()
    assert local["items"][0]["_lexgraph"]["document"] == "703-kh-tu-2022.nghe-an"
    following = (await api.client.get(local["next_url"].removeprefix("http://lexgraph.test"))).json()
    assert following["items"][0]["_lexgraph"]["document"] == implementing  # its link, the newest before 703
    atom = await api.client.get("/v1/feed", params={"format": "atom", "type": "Kế hoạch", "limit": 3})
    assert atom.headers["content-type"].startswith("application/atom+xml")
    entries = ET.fromstring(atom.content).findall(f"{A}entry")
    assert [e.find(f"{A}category").get("term") for e in entries] == ["document.created"] * 2 + ["link.created"]  # type: ignore[union-attr]


@pytest.mark.unit
def test_rendering_both_formats() -> None:
    events = [
        event(EventKind.document_created, "1-kh-tu-2020.x", "1-kh-tu-2020.x", payload={"symbol": "1-KH/TU"}),
        event(
            EventKind.link_created,
            "a implements b",
            "a",
            keys=["b"],
            payload={"source": "a", "relation": "implements", "target": "b"},
        ),
    ]
    page = FeedPage(
        events, "https://h/v1/feed", "https://h/", "https://h/v1/documents/{key}", "https://h/v1/feed?next=1"
    )
    items = json_feed(page)["items"]
    assert [i["url"] for i in items] == ["https://h/v1/documents/1-kh-tu-2020.x", "https://h/v1/documents/a"]
    assert item_title(events[1]) == "New link: a implements b" and items[0]["title"] == "New document: 1-KH/TU"
    root = ET.fromstring(atom_feed(page, events[0].at))
    assert root.find(f"{A}link[@rel='next']").get("href") == "https://h/v1/feed?next=1"  # type: ignore[union-attr]
    assert [e.findtext(f"{A}id") for e in root.findall(f"{A}entry")] == [f"urn:lexgraph:event:{e.id}" for e in events]


DELETED = Document(key="9-kh-tu-2020.x", symbol="9-KH/TU", type="Kế hoạch", level=Level.province, jurisdiction="x")


@pytest.mark.unit
@pytest.mark.parametrize(
    ("query", "passes"),
    [
        (EventFilter(), True),
        (EventFilter(jurisdiction="x", level=Level.province), True),
        (EventFilter(jurisdiction="y"), False),
        (EventFilter(type="KẾ HOẠCH"), True),
        (EventFilter(type="Nghị quyết"), False),
        (EventFilter(implements="25-nq-tw-2013"), True),
        (EventFilter(implements="43-kl-tw-2019"), False),
    ],
)
def test_a_removed_document_keeps_the_facets_it_was_given(query: EventFilter, passes: bool) -> None:
    gone = document_event(EventKind.document_deleted, DELETED, facets=facets_of(DELETED, ["25-nq-tw-2013"]))
    [recorded] = with_facets([gone], documents={}, implements={})
    assert query.matches(recorded) is passes


@pytest.mark.api
async def test_the_feed_carries_decisions_deletions_merges_and_status_changes(api: Api) -> None:
    client = api.client
    decree = {"type": "Nghị định", "issuer": "chinh-phu", "date": "2019-03-01"}
    older = await client.post("/v1/documents", json=decree | {"symbol": "931/2019/NĐ-CP"}, headers=WRITE_HEADERS)
    newer = await client.post(
        "/v1/documents", json=decree | {"symbol": "932/2020/NĐ-CP", "date": "2020-05-01"}, headers=WRITE_HEADERS
    )
    assert older.status_code == newer.status_code == 201, (older.text, newer.text)
    old_key, new_key = older.json()["key"], newer.json()["key"]
    link = {"source": new_key, "relation": "amends", "target": old_key}
    link_id = (await client.post("/v1/links", json=link, headers=WRITE_HEADERS)).json()["id"]
    rejected = await client.patch(f"/v1/links/{link_id}", json={"review": "rejected"}, headers=WRITE_HEADERS)
    assert rejected.status_code == 200, rejected.text
    assert (await client.delete(f"/v1/links/{link_id}", headers=WRITE_HEADERS)).status_code == 204
    duplicate = await add_plan(api, 704, "nghe-an")
    kept = await add_plan(api, 705, "nghe-an")
    merged = await client.post(f"/v1/documents/{kept}/merge", json={"from": duplicate}, headers=WRITE_HEADERS)
    assert merged.status_code == 200, merged.text
    assert (await client.delete(f"/v1/documents/{kept}", headers=WRITE_HEADERS)).status_code == 204
    items = (await client.get("/v1/feed", params={"limit": 30})).json()["items"]
    seen = [(i["tags"][0], i["_lexgraph"]["key"], i["_lexgraph"]["payload"].get("to")) for i in items]
    assert ("document.deleted", kept, None) in seen and ("document.merged", duplicate, None) in seen
    assert ("link.deleted", link_id, None) in seen and ("link.reviewed", link_id, None) in seen
    # The amendment made the older decree amended; rejecting it brought it back in force.
    changes = [to for kind, key, to in seen if kind == "status.changed" and key == old_key]
    assert changes == ["in_force", "amended"]  # newest first
