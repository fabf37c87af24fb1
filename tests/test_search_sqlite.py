"""The embedded store's full-text recall when more documents match than it fetches: those holding the
query words side by side come first, then the most recently written; filters apply before the cap."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

import graph.search_flow
from graph.identity import DocumentDraft
from graph.models import Level
from graph.seeds import load_seeds
from graph.stores.sqlite import SqliteStore

pytestmark = pytest.mark.contract

# Written in this order on top of the seeds: the words "dân vận" side by side only in the first.
SIDE_BY_SIDE = DocumentDraft(
    symbol="21-KH/TU",
    type="Kế hoạch",
    date=dt.date(2020, 3, 2),
    issuer="thanh-hoa.btv",
    title="Về đẩy mạnh công tác dân vận của chính quyền các cấp",
)
APART = [
    DocumentDraft(
        symbol="22-KH/TU",
        type="Kế hoạch",
        date=dt.date(2021, 6, 10),
        issuer="thanh-hoa.btv",
        title="Về vận động nhân dân tham gia xây dựng nông thôn mới",
    ),
    DocumentDraft(
        symbol="23-KH/TU",
        type="Kế hoạch",
        date=dt.date(2022, 8, 19),
        issuer="thanh-hoa.btv",
        title="Về vận hành cổng dịch vụ công phục vụ người dân",
    ),
]


@pytest.fixture
async def crowded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[SqliteStore]:
    """A seeded store with :data:`SIDE_BY_SIDE` and :data:`APART`, recalling one document per fetch."""
    store = SqliteStore(tmp_path / "search.db")
    await store.open()
    await store.migrate()
    await load_seeds(store, units=False)
    await store.upsert_documents([SIDE_BY_SIDE, *APART])
    monkeypatch.setattr(graph.search_flow, "RECALL_DEPTH", 1)
    yield store
    await store.close()


@pytest.mark.parametrize(
    ("query", "first"),
    [
        pytest.param("dan van", "21-kh-tu-2020.thanh-hoa", id="side-by-side-over-newer"),
        pytest.param("dân vậ", "21-kh-tu-2020.thanh-hoa", id="side-by-side-with-prefix"),
        pytest.param("van dan", "23-kh-tu-2022.thanh-hoa", id="no-phrase-most-recent"),
    ],
)
async def test_capped_recall_prefers_phrase_then_recency(crowded: SqliteStore, query: str, first: str) -> None:
    assert [hit.key for hit in await crowded.search(query, limit=5)] == [first]


async def test_capped_recall_filters_before_the_cap(crowded: SqliteStore) -> None:
    hits = await crowded.search("dan van", limit=5, level=Level.central)
    assert len(hits) == 1 and hits[0].level == Level.central
