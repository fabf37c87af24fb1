"""A unit of work run again after the store reports a deadlock with another write."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import StoreBusyError
from graph.models import Organization
from graph.stores.sqlite import SqliteStore
from graph.usecases.units import ATTEMPTS, in_one_unit

pytestmark = pytest.mark.contract


@pytest.mark.parametrize(("busy", "written"), [(0, True), (1, True), (ATTEMPTS - 1, True), (ATTEMPTS, False)])
async def test_a_busy_store_runs_the_unit_again(tmp_path: Path, busy: int, written: bool) -> None:
    store = SqliteStore(tmp_path / "u.db")
    await store.open()
    await store.migrate()
    calls = 0

    async def work() -> int:
        nonlocal calls
        calls += 1
        await store.upsert_organizations([Organization(key=f"u{calls}", name="Xã", kind="commune", level="commune")])
        if calls <= busy:
            raise StoreBusyError("deadlock")
        return calls

    try:
        if written:
            assert await in_one_unit(store, work) == busy + 1
        else:
            with pytest.raises(StoreBusyError):
                await in_one_unit(store, work)
        # Only the attempt that finished left its write: the others were rolled back.
        kept = [o.key for o in await store.list_organizations()]
        assert kept == ([f"u{busy + 1}"] if written else [])
    finally:
        await store.close()
