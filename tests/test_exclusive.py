"""What one process at a time may do among the processes sharing a store (seeding an empty store): on both
stores, a second process's block of the same name waits for the first's."""

from __future__ import annotations

import asyncio

import pytest

from graph.ports import GraphStore
from graph.stores.sqlite import SqliteStore
from tests.conftest import neo4j_store

pytestmark = pytest.mark.contract


async def second_process(store: GraphStore) -> GraphStore:
    """Another process's store on the same data, with a connection of its own."""
    other: GraphStore = SqliteStore(store.db.path) if isinstance(store, SqliteStore) else neo4j_store()
    await other.open()
    return other


async def test_blocks_of_one_name_run_one_at_a_time(store: GraphStore) -> None:
    other = await second_process(store)
    steps: list[str] = []

    async def block(process: GraphStore, who: str) -> None:
        async with process.exclusive("seeds"):
            steps.append(f"{who} in")
            await asyncio.sleep(0.3)
            steps.append(f"{who} out")

    try:
        await asyncio.gather(block(store, "a"), block(other, "b"))
    finally:
        await other.close()
    assert steps in (["a in", "a out", "b in", "b out"], ["b in", "b out", "a in", "a out"])
