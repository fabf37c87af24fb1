"""Lineage pages the embedded store keeps while its data is unchanged: a kept page answers as a page walked now, and
any write to documents or links, from any process, is seen by the next page."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any, NoReturn

import pytest

from graph.identity import DocumentDraft
from graph.lineage import LineageJson
from graph.models import LINEAGE_RELATIONS, LineageDirection, Link, LinkDraft, Relation, Review
from graph.stores.sqlite import SqliteStore
from tests.test_store_contract import RESOLUTION

DOWN = LineageDirection.down


async def page(store: SqliteStore, **ask: Any) -> dict[str, Any]:
    found = await store.lineage_json(RESOLUTION, DOWN, LINEAGE_RELATIONS, 4, **ask)
    return dataclasses.asdict(found) | {"nodes": [json.loads(node) for node in found.nodes]}


async def walked(store: SqliteStore, **ask: Any) -> dict[str, Any]:
    """The page walked now, as lineage_json answers it."""
    found = LineageJson.of(await store.lineage(RESOLUTION, DOWN, LINEAGE_RELATIONS, 4, **ask))
    return dataclasses.asdict(found) | {"nodes": [json.loads(node) for node in found.nodes]}


def no_walk(*_: object) -> NoReturn:
    raise AssertionError("walked again")


async def test_a_kept_page_answers_as_a_page_walked_now(
    two_workers: tuple[SqliteStore, SqliteStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    reader, _ = two_workers
    asks: list[dict[str, Any]] = [{}, {"offset": 1, "limit": 2}]
    first = [await page(reader, **ask) for ask in asks]
    assert first[0]["nodes"] and first[0]["edges"] != "[]"
    assert len(reader.lineage_pages) == len(asks)
    expected = [await walked(reader, **ask) for ask in asks]
    monkeypatch.setattr(reader, "_lineage_in_index", no_walk)
    monkeypatch.setattr(reader, "_lineage", no_walk)
    assert [await page(reader, **ask) for ask in asks] == first == expected


async def test_a_plan_written_by_another_worker_is_on_the_page(two_workers: tuple[SqliteStore, SqliteStore]) -> None:
    reader, writer = two_workers
    before = await page(reader)
    [plan] = await writer.upsert_documents(
        [DocumentDraft(symbol="41-KH/TU", date=dt.date(2020, 3, 1), issuer="thanh-hoa.btv", title="Kế hoạch dân vận")]
    )
    await writer.upsert_links([LinkDraft(source=plan.key, relation=Relation.implements, target=RESOLUTION)])
    after = await page(reader)
    assert after["total"] == before["total"] + 1
    assert plan.key in [node["key"] for node in after["nodes"]]
    assert any(edge["source"] == plan.key for edge in json.loads(after["edges"]))
    assert after == await walked(reader)


async def test_a_link_rejected_by_another_worker_leaves_the_page(two_workers: tuple[SqliteStore, SqliteStore]) -> None:
    reader, writer = two_workers
    before = await page(reader)
    link = Link.model_validate(json.loads(before["edges"])[0])
    await writer.update_link(link.model_copy(update={"review": Review.rejected}))
    after = await page(reader)
    assert not any(edge["id"] == link.id for edge in json.loads(after["edges"]))
    assert after == await walked(reader)


async def test_a_store_keeping_no_pages_walks_each_time(two_workers: tuple[SqliteStore, SqliteStore]) -> None:
    reader, _ = two_workers
    reader.lineage_pages.budget = 0
    assert await page(reader) == await page(reader) == await walked(reader)
    assert len(reader.lineage_pages) == 0
