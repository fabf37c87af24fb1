"""Lifecycle of the embedded store: open, close, health, migrations, counts."""

from __future__ import annotations

import sqlite3
from contextlib import AbstractAsyncContextManager
from pathlib import Path

from graph.clock import timestamp
from graph.errors import StoreUnavailableError
from graph.migrations import discover, pending
from graph.models import GraphCounts
from graph.stores.sqlite.db import SqliteRole

CREATE_MIGRATIONS_TABLE = (
    "CREATE TABLE IF NOT EXISTS schema_migrations "
    "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)"
)
APPLIED_MIGRATIONS = "SELECT version, checksum FROM schema_migrations"
RECORD_MIGRATION = "INSERT INTO schema_migrations VALUES (?, ?, ?, ?)"
COUNT = {
    "documents": "SELECT count(*) FROM documents",
    "links": "SELECT count(*) FROM links",
    "organizations": "SELECT count(*) FROM organizations",
}

PROBE_WRITE = "INSERT OR REPLACE INTO health_probe VALUES (?, ?)"


class SqliteLifecycle(SqliteRole):
    """Connecting, health and schema of the embedded store."""

    kind = "sqlite"
    migrations_dir: Path

    async def open(self) -> None:
        self.db.path.parent.mkdir(parents=True, exist_ok=True)
        await self.db.run(self.db.connection)

    async def close(self) -> None:
        self.db.close()

    async def ping(self) -> bool:
        try:
            await self.db.run(lambda: self.db.connection().execute("SELECT 1").fetchone())
        except (StoreUnavailableError, sqlite3.Error):
            return False
        return True

    def unit_of_work(self) -> AbstractAsyncContextManager[None]:
        return self.db.unit_of_work()

    async def probe_write(self, worker: str) -> None:
        def write() -> None:
            with self.db.write() as tx:
                tx.execute(PROBE_WRITE, (worker, timestamp()))

        await self.db.run(write)

    async def migrate(self) -> list[str]:
        return await self.db.run(self._migrate)

    def _migrate(self) -> list[str]:
        self.db.connection().execute(CREATE_MIGRATIONS_TABLE)
        applied_now = []
        with self.db.write() as tx:
            applied = {r[0]: r[1] for r in tx.execute(APPLIED_MIGRATIONS)}
            for migration in pending(discover(self.migrations_dir, "sql"), applied):
                for statement in migration.statements():
                    tx.execute(statement)
                tx.execute(RECORD_MIGRATION, (migration.version, migration.name, migration.checksum, timestamp()))
                applied_now.append(migration.label)
        return applied_now

    async def counts(self) -> GraphCounts:
        def count() -> GraphCounts:
            conn = self.db.connection()
            return GraphCounts(**{name: conn.execute(sql).fetchone()[0] for name, sql in COUNT.items()})

        return await self.db.run(count)
