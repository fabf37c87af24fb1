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
from graph.errors import LexgraphError, StoreBusyError
from graph.migrations import discover, pending
from graph.models import GraphCounts, Relation
from graph.process import process_name
from graph.stores.neo4j.db import Neo4jRole

log = logging.getLogger("lexgraph")

APPLIED_MIGRATIONS = "MATCH (m:Migration) RETURN m.version AS version, m.checksum AS checksum"

# What one process at a time may do (migrate, seed an empty store) it does under a lease that expires unless
# renewed, so a process that dies holds up the others for one lease, not forever. Times are the server's, the one
# clock every machine shares.
MIGRATION_LEASE = "schema"
LEASE_SECONDS = 60.0
LEASE_RENEW_SECONDS = 15.0
LEASE_POLL_SECONDS = 0.5
LEASE_SCHEMA_ATTEMPTS = 5
# Made here, not by a migration: leases must be unique before the first migration runs.
CREATE_LEASE_CONSTRAINT = "CREATE CONSTRAINT lease_name IF NOT EXISTS FOR (l:Lease) REQUIRE l.name IS UNIQUE"
# Setting asked_at first takes the node's write lock, so the check reads the last holder's committed lease.
TAKE_LEASE = """
MERGE (l:Lease {name: $name})
SET l.asked_at = timestamp()
WITH l, (l.holder IS NULL OR l.holder = $holder OR l.expires_at < timestamp()) AS free
FOREACH (_ IN CASE WHEN free THEN [1] ELSE [] END |
  SET l.holder = $holder, l.expires_at = timestamp() + toInteger($seconds * 1000))
RETURN l.holder AS holder
"""
# Released, the lease is gone: the graph holds no trace of it.
RELEASE_LEASE = """
MATCH (l:Lease {name: $name})
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
    # How long a process waits for another's lease (its migrations, its seeding) before it gives up.
    lease_wait_seconds = 600.0

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
        async with self.exclusive(MIGRATION_LEASE):
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
    async def exclusive(self, name: str) -> AsyncIterator[None]:
        """Hold the lease ``name`` for the block, renewing it; wait while another process holds it."""
        await self._create_lease_constraint()
        holder = process_name()
        give_up = time.monotonic() + self.lease_wait_seconds
        while (held_by := await self._take_lease(name, holder)) != holder:
            if time.monotonic() >= give_up:
                raise StoreBusyError(
                    f"{held_by} has held the lease '{name}' for over {self.lease_wait_seconds:g} s; "
                    "wait for it to end, or stop that process"
                )
            await asyncio.sleep(LEASE_POLL_SECONDS)
        renewing = asyncio.create_task(self._renew_lease(name, holder))
        try:
            yield
        finally:
            renewing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewing
            await self.db.write(RELEASE_LEASE, name=name, holder=holder)

    async def _create_lease_constraint(self) -> None:
        # Processes starting together on a new database create it at once, and Neo4j may fail all but one with a
        # deadlock on the label's schema lock (three workers: two failed); a later attempt finds it made.
        for attempt in range(1, LEASE_SCHEMA_ATTEMPTS + 1):
            try:
                await self.db.run_auto_commit(CREATE_LEASE_CONSTRAINT)
                return
            except StoreBusyError:
                if attempt == LEASE_SCHEMA_ATTEMPTS:
                    raise
                await asyncio.sleep(LEASE_POLL_SECONDS * attempt)

    async def _take_lease(self, name: str, holder: str) -> str:
        """Take or renew the lease if it is free, expired or ``holder``'s; who holds it afterwards."""
        [record] = await self.db.write(TAKE_LEASE, name=name, holder=holder, seconds=LEASE_SECONDS)
        return str(record["holder"])

    async def _renew_lease(self, name: str, holder: str) -> None:
        while True:
            await asyncio.sleep(LEASE_RENEW_SECONDS)
            try:
                held_by = await self._take_lease(name, holder)
            except LexgraphError as e:
                log.warning("the lease '%s' was not renewed (%s); trying again", name, e)
                continue
            if held_by != holder:
                log.warning("the lease '%s' expired and %s took it: both may be in its block", name, held_by)
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
