"""Neo4j migrations with several processes starting at once: one migrates, the others wait for its lease and
find nothing left to do; a lease whose holder died expires; a store already up to date does not wait for it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from graph.errors import StoreBusyError
from graph.migrations import DEFAULT_MIGRATIONS_DIR, discover
from graph.stores.neo4j import Neo4jStore
from graph.stores.neo4j.lifecycle import MIGRATION_LEASE
from tests.conftest import neo4j_store

pytestmark = [pytest.mark.contract, pytest.mark.neo4j]

ALL_LABELS = [m.label for m in discover(DEFAULT_MIGRATIONS_DIR, "cypher")]
FORGET_MIGRATIONS = "MATCH (m:Migration) DELETE m"
COUNT_MIGRATIONS = "MATCH (m:Migration) RETURN count(m) AS n"
HOLD_LEASE = """
MERGE (l:Lease {name: $name})
SET l.holder = $holder, l.expires_at = timestamp() + $milliseconds
"""
LEASE = "MATCH (l:Lease {name: $name}) RETURN l.holder AS holder"


DROP_LEASE_CONSTRAINT = "DROP CONSTRAINT lease_name IF EXISTS"


async def second_process() -> Neo4jStore:
    store = neo4j_store()
    await store.open()
    return store


@pytest.fixture
async def other(neo4j: Neo4jStore) -> AsyncIterator[Neo4jStore]:
    """A second process's store on the same database, its driver of its own; no migration applied yet."""
    store = await second_process()
    await neo4j.db.write(FORGET_MIGRATIONS)
    yield store
    await store.close()


async def hold_lease(store: Neo4jStore, holder: str, seconds: float) -> None:
    await store.db.write(HOLD_LEASE, name=MIGRATION_LEASE, holder=holder, milliseconds=int(seconds * 1000))


async def lease_holder(store: Neo4jStore) -> str | None:
    records = await store.db.read(LEASE, name=MIGRATION_LEASE)
    return records[0]["holder"] if records else None


async def test_three_processes_starting_at_once_on_a_new_database_apply_each_migration_once(
    neo4j: Neo4jStore, other: Neo4jStore
) -> None:
    await neo4j.db.run_auto_commit(DROP_LEASE_CONSTRAINT)  # as on a database no lexgraph has migrated
    third = await second_process()
    try:
        # Each to its end before any driver closes: one cut off mid-way could leave a half-made constraint.
        outcomes = await asyncio.gather(neo4j.migrate(), other.migrate(), third.migrate(), return_exceptions=True)
    finally:
        await third.close()
    applied = [labels for labels in outcomes if isinstance(labels, list)]
    assert len(applied) == len(outcomes), outcomes
    assert sorted(label for labels in applied for label in labels) == sorted(ALL_LABELS)
    assert (await neo4j.db.read(COUNT_MIGRATIONS))[0]["n"] == len(ALL_LABELS)
    assert await lease_holder(neo4j) is None


async def test_migrate_waits_while_another_process_holds_the_lease(neo4j: Neo4jStore, other: Neo4jStore) -> None:
    await hold_lease(neo4j, "elsewhere:1:abc", seconds=60)
    migrating = asyncio.create_task(other.migrate())
    await asyncio.sleep(1.5)
    assert not migrating.done()
    assert (await neo4j.db.read(COUNT_MIGRATIONS))[0]["n"] == 0
    await hold_lease(neo4j, "elsewhere:1:abc", seconds=-1)
    assert await asyncio.wait_for(migrating, 60) == ALL_LABELS
    assert await lease_holder(neo4j) is None


async def test_the_lease_of_a_process_that_died_expires(neo4j: Neo4jStore, other: Neo4jStore) -> None:
    await hold_lease(neo4j, "gone:1:abc", seconds=-1)
    assert await asyncio.wait_for(other.migrate(), 60) == ALL_LABELS


async def test_migrate_gives_up_naming_the_holder(neo4j: Neo4jStore, other: Neo4jStore) -> None:
    await hold_lease(neo4j, "stuck-host:42:abc", seconds=60)
    other.lease_wait_seconds = 1.0
    with pytest.raises(StoreBusyError, match="stuck-host:42:abc"):
        await other.migrate()
    assert (await neo4j.db.read(COUNT_MIGRATIONS))[0]["n"] == 0


async def test_a_store_already_migrated_does_not_wait_for_the_lease(neo4j: Neo4jStore) -> None:
    await hold_lease(neo4j, "elsewhere:1:abc", seconds=60)
    neo4j.lease_wait_seconds = 0.5
    assert await neo4j.migrate() == []
    assert await lease_holder(neo4j) == "elsewhere:1:abc"
