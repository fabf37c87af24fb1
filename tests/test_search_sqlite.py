"""The embedded store's two full-text recalls: bm25-ordered for selective queries, most recent for the rest.

With fewer matches than the candidate cap both recalls fetch every match, so the answers must agree.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

import graph.store.sqlite_search
from graph.models import Level
from graph.seeds import load_seeds
from graph.store.sqlite import SqliteStore


@pytest.fixture
async def seeded_sqlite(tmp_path: Path) -> AsyncIterator[SqliteStore]:
    store = SqliteStore(tmp_path / "search.db")
    await store.open()
    await store.migrate()
    await load_seeds(store)
    yield store
    await store.close()


@pytest.mark.parametrize(
    ("query", "filters"),
    [
        pytest.param("dan van", {}, id="title-words"),
        pytest.param("dang", {"level": Level.province}, id="filtered-by-level"),
        pytest.param("cong tac", {"type": "Kết luận"}, id="filtered-by-type"),
        pytest.param("mat tran to quc", {}, id="typo"),
        pytest.param("nghi quyet 25", {}, id="type-and-number"),
        pytest.param("th", {"jurisdiction": "thanh-hoa"}, id="short-prefix"),
    ],
)
async def test_recent_recall_agrees_when_every_match_fits(
    seeded_sqlite: SqliteStore, monkeypatch: pytest.MonkeyPatch, query: str, filters: dict[str, object]
) -> None:
    ranked = await seeded_sqlite.search(query, limit=50, **filters)  # type: ignore[arg-type]
    monkeypatch.setattr(graph.store.sqlite_search, "RANKED_MATCHES", 0)
    recent = await seeded_sqlite.search(query, limit=50, **filters)  # type: ignore[arg-type]
    assert ranked and recent == ranked
