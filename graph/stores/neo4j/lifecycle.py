"""Lifecycle of the Neo4j store: open, close, health, migrations, counts."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Any

from graph.clock import timestamp
from graph.errors import LexgraphError
from graph.migrations import discover, pending
from graph.models import GraphCounts, Relation
from graph.stores.neo4j.db import Neo4jRole

APPLIED_MIGRATIONS = "MATCH (m:Migration) RETURN m.version AS version, m.checksum AS checksum"

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
        applied = {r["version"]: r["checksum"] for r in await self.db.read(APPLIED_MIGRATIONS)}
        done = []
        for migration in pending(discover(self.migrations_dir, "cypher"), applied):
            # Schema statements cannot share a transaction with writes; each is idempotent (IF NOT EXISTS), and a
            # backfill sets what it would set again.
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

    async def counts(self) -> GraphCounts:
        links = 0
        for relation in Relation:
            links += (await self.db.read(count_links_query(relation)))[0]["n"]
        return GraphCounts(
            documents=(await self.db.read(COUNT_DOCUMENTS))[0]["n"],
            links=links,
            organizations=(await self.db.read(COUNT_ORGANIZATIONS))[0]["n"],
        )
