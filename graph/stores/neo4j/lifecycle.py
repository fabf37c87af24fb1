"""Lifecycle of the Neo4j store: open, close, health, migrations, counts."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from graph.clock import timestamp
from graph.errors import LexgraphError, MigrationError
from graph.migrations import discover, pending
from graph.models import GraphCounts, Relation
from graph.process import process_name
from graph.stores.neo4j.db import Neo4jRole

log = logging.getLogger("lexgraph")

APPLIED_MIGRATIONS = "MATCH (m:Migration) RETURN m.version AS version, m.checksum AS checksum"

# One process migrates at a time: it holds a lease that expires unless renewed, so a process that dies while
# migrating holds up the others for one lease, not forever. Times are the server's, the one clock all share.
MIGRATION_LEASE = "schema"
MIGRATION_LEASE_SECONDS = 60.0
MIGRATION_LEASE_RENEW_SECONDS = 15.0
MIGRATION_LEASE_POLL_SECONDS = 0.5
# Made here, not by a migration: the lease must be unique before the first migration runs.
CREATE_MIGRATION_LEASE_CONSTRAINT = (
    "CREATE CONSTRAINT migration_lease_name IF NOT EXISTS FOR (l:MigrationLease) REQUIRE l.name IS UNIQUE"
)
# Setting asked_at first takes the node's write lock, so the check reads the last holder's committed lease.
TAKE_MIGRATION_LEASE = """
MERGE (l:MigrationLease {name: $name})
SET l.asked_at = timestamp()
WITH l, (l.holder IS NULL OR l.holder = $holder OR l.expires_at < timestamp()) AS free
FOREACH (_ IN CASE WHEN free THEN [1] ELSE [] END |
  SET l.holder = $holder, l.expires_at = timestamp() + toInteger($seconds * 1000))
RETURN l.holder AS holder
"""
# Released, the lease is gone: a migrated store holds no trace of it.
RELEASE_MIGRATION_LEASE = """
MATCH (l:MigrationLease {name: $name})
WHERE l.holder = $holder
DELETE l
"""

RECORD_MIGRATION = """
MERGE (m:Migration {version: $version})
SET m.name = $name, m.checksum = $checksum, m.applied_at = $applied_at
"""


def count_links_query(relation: Relation) -> str:
    return f"MATCH ()-[l:{relation.rel_type}]->() RETURN count(l) AS n"


COUNT_DOCUMENTS = "MATCH (d:Document) RETURN count(d) AS n"

COUNT_ORGANIZATIONS = "MATCH (o:Organization) RETURN count(o) AS n"

PING = "RETURN 1 AS ok"
PROBE_WRITE = "MERGE (p:HealthProbe {worker: $worker}) SET p.at = $at"


class Neo4jLifecycle(Neo4jRole):
    """Connecting, health and schema of the Neo4j store."""

    kind = "neo4j"
    migrations_dir: Any
    # How long migrate waits for another process's migrations before it gives up.
    migration_wait_seconds = 600.0

    async def open(self) -> None:
        await self.db.verify()

    async def close(self) -> None:
        await self.db.close()

    async def ping(self) -> bool:
        try:
            await self.db.read(PING)
        except LexgraphError:
            return False
        return True

    def unit_of_work(self) -> AbstractAsyncContextManager[None]:
        return self.db.unit_of_work()

    async def probe_write(self, worker: str) -> None:
        await self.db.write(PROBE_WRITE, worker=worker, at=timestamp())

    async def warm(self) -> None:
        """Nothing to build: Neo4j keeps its own caches."""

    async def migrate(self) -> list[str]:
        migrations = discover(self.migrations_dir, "cypher")
        if not pending(migrations, await self._applied_migrations()):
            return []
        done = []
        async with self._migration_lease():
            # Read again: the process that held the lease before this one may have applied them.
            for migration in pending(migrations, await self._applied_migrations()):
                # Schema statements cannot share a transaction with writes; each is idempotent (IF NOT EXISTS), and
                # a backfill sets what it would set again.
                for statement in migration.statements():
                    await self.db.run_auto_commit(statement)
                await self.db.write(
                    RECORD_MIGRATION,
                    version=migration.version,
                    name=migration.name,
                    checksum=migration.checksum,
                    applied_at=timestamp(),
                )
                done.append(migration.label)
        return done

    async def _applied_migrations(self) -> dict[int, str]:
        return {r["version"]: r["checksum"] for r in await self.db.read(APPLIED_MIGRATIONS)}

    @asynccontextmanager
    async def _migration_lease(self) -> AsyncIterator[None]:
        """Hold the migration lease for the block, renewing it; wait while another process holds it."""
        await self.db.run_auto_commit(CREATE_MIGRATION_LEASE_CONSTRAINT)
        holder = process_name()
        give_up = time.monotonic() + self.migration_wait_seconds
        while (held_by := await self._take_migration_lease(holder)) != holder:
            if time.monotonic() >= give_up:
                raise MigrationError(
                    f"{held_by} has held the migration lease for over {self.migration_wait_seconds:g} s; "
                    "wait for its migrations to end, or stop it"
                )
            await asyncio.sleep(MIGRATION_LEASE_POLL_SECONDS)
        renewing = asyncio.create_task(self._renew_migration_lease(holder))
        try:
            yield
        finally:
            renewing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewing
            await self.db.write(RELEASE_MIGRATION_LEASE, name=MIGRATION_LEASE, holder=holder)

    async def _take_migration_lease(self, holder: str) -> str:
        """Take or renew the lease if it is free, expired or ``holder``'s; who holds it afterwards."""
        [record] = await self.db.write(
            TAKE_MIGRATION_LEASE, name=MIGRATION_LEASE, holder=holder, seconds=MIGRATION_LEASE_SECONDS
        )
        return str(record["holder"])

    async def _renew_migration_lease(self, holder: str) -> None:
        while True:
            await asyncio.sleep(MIGRATION_LEASE_RENEW_SECONDS)
            try:
                held_by = await self._take_migration_lease(holder)
            except LexgraphError as e:
                log.warning("the migration lease was not renewed (%s); trying again", e)
                continue
            if held_by != holder:
                log.warning("the migration lease expired and %s took it: both may be migrating", held_by)
                return

    async def counts(self) -> GraphCounts:
        links = 0
        for relation in Relation:
            links += (await self.db.read(count_links_query(relation)))[0]["n"]
        return GraphCounts(
            documents=(await self.db.read(COUNT_DOCUMENTS))[0]["n"],
            links=links,
            organizations=(await self.db.read(COUNT_ORGANIZATIONS))[0]["n"],
        )
