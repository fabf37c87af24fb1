"""The startup heap is frozen once the app has started, when the settings ask for it (app.heap)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

import app.main
from app.heap import YOUNG_COLLECTION_EVERY, freeze_startup_heap
from app.settings import Settings


@pytest.fixture
def restored_collector() -> Iterator[None]:
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


def test_freezing_moves_the_live_heap_out_of_collections(restored_collector: None) -> None:
    survivor = [object()]
    assert gc.get_freeze_count() == 0
    freeze_startup_heap()
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold()[0] == YOUNG_COLLECTION_EVERY
    assert not any(o is survivor for o in gc.get_objects(generation=2))


@pytest.mark.parametrize("freeze", [True, False])
async def test_the_app_freezes_its_heap_after_startup_only_when_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, freeze: bool
) -> None:
    calls: list[None] = []
    monkeypatch.setattr(app.main, "freeze_startup_heap", lambda: calls.append(None))
    settings = Settings(sqlite_path=tmp_path / "heap.db", load_seeds=False, freeze_startup_heap=freeze)
    api = app.main.create_app(settings)
    async with api.router.lifespan_context(api):
        assert calls == ([None] if freeze else [])
